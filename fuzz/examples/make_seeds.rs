//! Writes seed corpora for the fuzz targets from a freshly built sample bundle:
//! `cargo run --example make_seeds` (in fuzz/) fills `corpus/<target>/` (git-ignored).
use std::fs;
use std::path::Path;

use jiansuo::format::FileKind;
use jiansuo_fuzz::{kind_of, mutable_files, sample_bundle, HEADER_LEN};

fn main() -> std::io::Result<()> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("corpus");
    let write = |target: &str, name: &str, bytes: &[u8]| -> std::io::Result<()> {
        let dir = root.join(target);
        fs::create_dir_all(&dir)?;
        fs::write(dir.join(name.replace('/', "_")), bytes)
    };
    let bundle = sample_bundle();
    for (path, bytes) in bundle {
        let payload = &bytes[HEADER_LEN..];
        match kind_of(path) {
            FileKind::Manifest => {
                write("manifest", "sealed", bytes)?;
                write("manifest", "payload", payload)?;
            }
            FileKind::TermChunk => {
                for key in [&b"b\xe4\xba\xba\xe5\xb7\xa5"[..], b"c\xe9\xbb\x84", b"rip"] {
                    let mut input = vec![0, key.len() as u8];
                    input.extend_from_slice(key);
                    input.extend_from_slice(payload);
                    write("term_chunk", &format!("{path}-{}", key.len()), &input)?;
                }
            }
            FileKind::Postings => {
                // Postings files hold doc lists and position lists at offsets the chunks know; the start of each
                // is a doc list (a file of its own) or positions (a companion): seed with the prefix.
                let mut input = [400u32.to_le_bytes(), 16u32.to_le_bytes()].concat();
                input.extend_from_slice(&payload[..payload.len().min(4096)]);
                write("postings", path, &input)?;
            }
            FileKind::DocMeta | FileKind::FacetValues | FileKind::FacetChunk => write("store", path, payload)?,
            FileKind::Document if path.ends_with("/0.bin") || path.ends_with("/5.bin") => {
                write("store", path, payload)?
            }
            _ => {}
        }
    }
    // Made around a valid FST (odd mode): two keys and the entries of a unigram and a bigram.
    let made = [1u8, 1, b'c', 1, 2, 2, b'b', b'x', 0, 0, 2, b'c', b'x', 5, 0, 2, 0, 2, 1, 0, 0, 1, 0, 1, 3, 2, 0, 1, 9];
    write("term_chunk", "made", &made)?;
    for (slot, &file) in mutable_files().iter().enumerate() {
        let (path, bytes) = &bundle[file];
        // Unchanged (no patches), and the payload given whole (replace mode).
        write("search_bundle", &format!("{slot}-same"), &[slot as u8, 0])?;
        let mut replace = vec![slot as u8, 1];
        replace.extend_from_slice(&bytes[HEADER_LEN..]);
        if replace.len() <= 8192 {
            write("search_bundle", &format!("{slot}-{path}"), &replace)?;
        }
    }
    let queries = [
        "长春 人工智能",
        "\"open source\" -软件 黄金 OR 白银",
        "ＧＤＰ 長春\0長春的ＧＤＰ <b>&</b> iPhone15",
        "a\u{0301}\u{200b}b\0e\u{0301} pm2.5",
    ];
    for (i, q) in queries.iter().enumerate() {
        let mut input = vec![40u8];
        input.extend_from_slice(q.as_bytes());
        write("query", &format!("q{i}"), &input)?;
    }
    println!("seeds written to {}", root.display());
    Ok(())
}
