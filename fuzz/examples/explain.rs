//! Triage help: prints what an input of a fuzz target decodes to.
//! `cargo run --example explain -- <target> <file>` (targets: manifest, search_bundle).
use jiansuo::manifest::Manifest;
use jiansuo_fuzz::{mutable_files, sample_bundle, HEADER_LEN};

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let [_, target, file] = args.as_slice() else { panic!("usage: explain <target> <file>") };
    let input = std::fs::read(file).expect("input file");
    println!("{} bytes: {}", input.len(), input.iter().map(|b| format!("{b:02x}")).collect::<String>());
    match target.as_str() {
        "manifest" => println!("{:#?}", Manifest::decode(&input)),
        "search_bundle" => {
            let Some((&selector, rest)) = input.split_first() else { return };
            let (path, _) = &sample_bundle()[mutable_files()[usize::from(selector) % mutable_files().len()]];
            println!("mutates {path}, mode {:?}", rest.first().map(|m| m % 4));
            let mutated = jiansuo_fuzz::mutated_bundle(&input);
            if path == "manifest.bin" {
                let manifest = mutated.get(path).expect("the manifest is served");
                println!("{:#?}", Manifest::decode(&manifest[HEADER_LEN..]));
            }
        }
        other => panic!("no explanation for {other}"),
    }
}
