//! Embeds the web assets (`../www/dist/*`, built by `scripts/build-www.sh`) into the binary, so a
//! single `build-index` produces a complete bundle. When the folder is missing the binary still
//! builds, without assets; it then needs `--assets <DIR>` or `--no-assets` at run time.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

fn main() {
    let manifest_dir = PathBuf::from(std::env::var_os("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let out_dir = PathBuf::from(std::env::var_os("OUT_DIR").expect("cargo sets OUT_DIR"));
    let www = manifest_dir.join("..").join("www");
    let dist = www.join("dist");

    let mut files = Vec::new();
    if dist.is_dir() {
        collect(&dist, &dist, &mut files);
        files.sort();
    }
    // Watching `www` (or `dist` itself once it exists) notices the folder appearing later.
    let watched = if dist.is_dir() || !www.is_dir() { &dist } else { &www };
    println!("cargo:rerun-if-changed={}", watched.display());

    let mut code = String::from("/// Files of www/dist at compile time: (bundle path, bytes).\n");
    if files.is_empty() {
        code.push_str("pub static EMBEDDED: Option<&[(&str, &[u8])]> = None;\n");
    } else {
        code.push_str("pub static EMBEDDED: Option<&[(&str, &[u8])]> = Some(&[\n");
        for (name, path) in &files {
            writeln!(code, "    ({name:?}, include_bytes!({:?})),", path.display().to_string())
                .expect("writing to a String");
        }
        code.push_str("]);\n");
    }
    std::fs::write(out_dir.join("embedded_assets.rs"), code).expect("cannot write embedded_assets.rs to OUT_DIR");
}

fn collect(root: &Path, dir: &Path, files: &mut Vec<(String, PathBuf)>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        println!("cargo:warning=cannot list {}; web assets not embedded from it", dir.display());
        return;
    };
    for entry in entries.flatten() {
        let path = entry.path();
        if path.is_dir() {
            collect(root, &path, files);
            continue;
        }
        let relative = path.strip_prefix(root).unwrap_or(&path);
        let name = relative.components().map(|c| c.as_os_str().to_str()).collect::<Option<Vec<_>>>();
        match name {
            Some(parts) if path.is_file() => files.push((parts.join("/"), path.canonicalize().unwrap_or(path))),
            Some(_) => {}
            None => println!("cargo:warning=skipping web asset with a non-UTF-8 name: {}", path.display()),
        }
    }
}
