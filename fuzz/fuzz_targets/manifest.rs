//! `Index::open` on arbitrary bytes, as they are and sealed (so the payload gets past the checksum to the decoder),
//! then one round of a search and a browse by filter, which only read the manifest.
#![no_main]

use jiansuo::format::{seal_file, FileKind};
use jiansuo::{Index, SearchOptions};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = Index::open(data);
    let Ok(mut index) = Index::open(&seal_file(FileKind::Manifest, data).0) else { return };
    let manifest = index.manifest().clone();
    for key in [&b""[..], b"c\xe6\x98\xa5", b"ra", b"\xff"] {
        let _ = manifest.chunk_for(key);
        let _ = manifest.chunks_for_prefix(key);
    }
    let _ = index.search("长春 iphone 人工智能", &SearchOptions::default());
    let browse = SearchOptions { categories: vec!["财经".into()], ..SearchOptions::default() };
    let _ = index.search("", &browse);
});
