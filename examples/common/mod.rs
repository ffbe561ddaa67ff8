//! What the examples share: reading a bundle folder's files the way a host does (inflate, check the header).
#![allow(dead_code)] // each example uses part of it

use std::io::Read;
use std::path::Path;

use jiansuo::format::{self, FileKind};
use jiansuo::manifest::{Manifest, MANIFEST_FILE};

/// The bundle folder named on the command line (the first argument that is not an option).
pub fn bundle_arg(usage: &str) -> std::path::PathBuf {
    match std::env::args().skip(1).find(|a| !a.starts_with("--")) {
        Some(dir) => dir.into(),
        None => {
            eprintln!("usage: {usage}");
            std::process::exit(2);
        }
    }
}

/// A file of the bundle: its payload (inflated, header checked) and its size on disk (deflated, as served).
pub fn read(bundle: &Path, name: &str, kind: FileKind) -> (Vec<u8>, u64) {
    let path = bundle.join(name);
    let stored = std::fs::read(&path).unwrap_or_else(|e| fail(&format!("{}: {e}", path.display())));
    let mut inflated = Vec::with_capacity(stored.len() * 3);
    flate2::read::DeflateDecoder::new(stored.as_slice())
        .read_to_end(&mut inflated)
        .unwrap_or_else(|e| fail(&format!("{}: cannot inflate: {e}", path.display())));
    let payload = format::open_file(name, &inflated, kind).unwrap_or_else(|e| fail(&e.to_string())).0.to_vec();
    (payload, stored.len() as u64)
}

pub fn manifest(bundle: &Path) -> Manifest {
    let (payload, _) = read(bundle, MANIFEST_FILE, FileKind::Manifest);
    Manifest::decode(&payload).unwrap_or_else(|e| fail(&e.to_string()))
}

pub fn fail(message: &str) -> ! {
    eprintln!("error: {message}");
    std::process::exit(1);
}
