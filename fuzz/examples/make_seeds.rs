//! Writes seed corpora for the fuzz targets from a freshly built sample bundle, and for `post` and `config` from the
//! sample site and build-index's fixtures: `cargo run --example make_seeds [_posts folder…]` (in fuzz/) fills
//! `corpus/<target>/` (git-ignored). Each `_posts` folder given adds its first few posts to the `post` seeds.
use std::fs;
use std::path::{Path, PathBuf};

use jiansuo::format::FileKind;
use jiansuo_fuzz::{jekyll, kind_of, mutable_files, sample_bundle, HEADER_LEN};

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
    let repo = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut folders = vec![repo.join("sample/_posts"), repo.join("build-index/tests/fixtures/bad-posts/_posts")];
    let given: Vec<PathBuf> = std::env::args_os().skip(1).map(PathBuf::from).collect();
    folders.extend(given.iter().cloned());
    let mut seeds = 0;
    for folder in &folders {
        // The repository's own folders whole; of a corpus given, a few.
        let limit = if given.contains(folder) { 8 } else { usize::MAX };
        let mut files: Vec<PathBuf> = walk(folder)?;
        files.sort();
        for file in files.into_iter().take(limit) {
            let name = file.strip_prefix(folder).unwrap_or(&file).to_string_lossy().into_owned();
            let mut input = vec![(seeds % jekyll::sites().len()) as u8];
            input.extend_from_slice(name.as_bytes());
            input.push(b'\n');
            input.extend_from_slice(&fs::read(&file)?);
            write("post", &format!("{seeds}-{name}"), &input)?;
            seeds += 1;
        }
    }
    let configs = [
        fs::read_to_string(repo.join("sample/_config.yml"))?,
        fs::read_to_string(repo.join("build-index/tests/fixtures/site/_config.yml"))?,
        jekyll::DEFAULTS_CONFIG.to_string(),
        "permalink: pretty\ntimezone: America/New_York\nencoding: bom|GBK\nfuture: \"false\"\nunpublished: 0\n\
         markdown_ext: \"md, .Markdown,txt\"\ncollections_dir: /my/\nexclude: [vendor, \"_posts/old/*\", \"/\"]\n\
         include: [_posts, 3]\ncollections: {posts: {permalink: \"/:year/:slug:output_ext\"}}\n"
            .to_string(),
        "collections_dir: my\ndefaults:\n  - scope: {path: \"my/_posts/{a,b,sub}/**/*.md\", type: post}\n    \
         values: &v {tags: [x, {y: z}], permalink: false, date: \"2021-12-08 10:18:31\"}\n  - scope: {path: /abs}\n    \
         values: *v\n  - values: {title: ~}\n    other: 1\n"
            .to_string(),
    ];
    for (i, config) in configs.iter().enumerate() {
        write("config", &format!("c{i}"), config.as_bytes())?;
    }
    println!("seeds written to {}", root.display());
    Ok(())
}

/// The files below `folder`, at any depth.
fn walk(folder: &Path) -> std::io::Result<Vec<PathBuf>> {
    let mut files = Vec::new();
    for entry in fs::read_dir(folder)? {
        let path = entry?.path();
        if path.is_dir() {
            files.extend(walk(&path)?);
        } else {
            files.push(path);
        }
    }
    Ok(files)
}
