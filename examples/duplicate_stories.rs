//! The duplicate stories a bundle folds: posts that repeat a newer post's story (`jiansuo::dedup`), read back from
//! the doc-meta chunks.
//!
//! ```text
//! cargo run --release --example duplicate_stories -- BUNDLE          # counts
//! cargo run --release --example duplicate_stories -- BUNDLE --tsv    # also one line per folded post:
//!     post id, story id (the newest post of the story), post URL, story URL, post title, story title
//! ```

mod common;

use std::collections::BTreeMap;

use jiansuo::format::FileKind;
use jiansuo::store::{DocMeta, StoredDocument};

fn main() {
    let bundle = common::bundle_arg("duplicate_stories BUNDLE [--tsv]");
    let tsv = std::env::args().any(|a| a == "--tsv");
    let manifest = common::manifest(&bundle);
    let chunks = manifest.doc_count.div_ceil(manifest.docs_per_meta_chunk);
    let mut folded: Vec<(u32, u32)> = Vec::new();
    for chunk in 0..chunks as usize {
        let name = manifest.meta_chunk_name(chunk);
        let (payload, _) = common::read(&bundle, &name, FileKind::DocMeta);
        let meta = DocMeta::decode(&name, &payload).unwrap_or_else(|e| common::fail(&e.to_string()));
        folded.extend(meta.duplicates);
    }
    let mut stories: BTreeMap<u32, u32> = BTreeMap::new(); // story → posts folded into it
    for &(_, story) in &folded {
        *stories.entry(story).or_default() += 1;
    }
    let mut sizes: BTreeMap<u32, u32> = BTreeMap::new(); // posts per story → stories
    for &n in stories.values() {
        *sizes.entry(n + 1).or_default() += 1;
    }
    eprintln!(
        "{} posts; {} folded into another post's story; {} stories told by more than one post",
        manifest.doc_count,
        folded.len(),
        stories.len()
    );
    for (size, count) in &sizes {
        eprintln!("  {count} stories of {size} posts");
    }
    if tsv {
        let document = |id: u32| {
            let name = manifest.document_name(id);
            let (payload, _) = common::read(&bundle, &name, FileKind::Document);
            StoredDocument::decode(&name, &payload, &manifest.text_codes)
                .unwrap_or_else(|e| common::fail(&e.to_string()))
        };
        println!("post\tstory\tpost_url\tstory_url\tpost_title\tstory_title");
        for (post, story) in folded {
            let (a, b) = (document(post), document(story));
            let clean = |s: &str| s.replace(['\t', '\n', '\r'], " ");
            println!("{post}\t{story}\t{}\t{}\t{}\t{}", a.url, b.url, clean(&a.title), clean(&b.title));
        }
    }
}
