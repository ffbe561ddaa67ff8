//! What the fuzz targets share: a small real bundle, a host that serves its files to `jiansuo::Index`, and the
//! mutations that turn one of its files into hostile input while keeping its checksum valid.

pub mod jekyll;

use std::collections::HashMap;
use std::io::Read;
use std::sync::OnceLock;

use jiansuo::build::{BuildOptions, Document, IndexBuilder};
use jiansuo::format::{self, FileKind};
use jiansuo::{Index, SearchOptions, SortOrder, Step};

/// Bytes of the header every index file starts with (magic, version, kind, checksum).
pub const HEADER_LEN: usize = 14;

pub fn inflate(compressed: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    flate2::read::DeflateDecoder::new(compressed).read_to_end(&mut out).expect("bundle files inflate");
    out
}

/// A few hundred posts: enough for a doc list of its own postings file (> 1 KiB), a companion file of positions,
/// categories, tags, dates, Latin runs and traditional characters.
pub fn sample_documents() -> Vec<Document> {
    const TITLES: [&str; 6] =
        ["长春打造人工智能创新策源地", "黄金价格再创新高", "苹果发布iPhone15", "生物医药产业", "雨", "智能手机"];
    const TEXTS: [&str; 6] = [
        "科大讯飞吉林公司助力长春。人工智能产业。",
        "国际金价上涨，黄金价格突破每盎司4495.29美元。白银也涨了。",
        "iPhone 15 Pro 搭载新芯片；ambiphone 不是手机。5G网络覆盖。",
        "生物医药企业研发新药。2.5G 不是 5G。PM2.5 超标。",
        "今天有雨。AI芯片出货量增长3.72%。Open Source 软件。",
        "長春的人工智慧與智能手機銷量。",
    ];
    const CATEGORIES: [&str; 4] = ["本地", "财经", "科技", "社会"];
    const TAGS: [&str; 5] = ["长春日报", "黄金", "天气", "新闻", "a<b>&\"'"];
    (0..400u32)
        .map(|i| {
            let k = i as usize;
            let day = 19_000 + i64::from(i % 700);
            let (year, month, date) = (2022 + i / 300, 1 + i % 12, 1 + i % 28);
            Document {
                url: format!("/{year}/{month:02}/{date:02}/post-{i}.html"),
                title: format!("{} {i}", TITLES[k % TITLES.len()]),
                date: format!("{year}-{month:02}-{date:02}T08:00:00+08:00"),
                timestamp: day * 86_400,
                categories: vec![CATEGORIES[k % CATEGORIES.len()].to_string()],
                tags: (0..k % 3).map(|t| TAGS[(k + t) % TAGS.len()].to_string()).collect(),
                text: format!(
                    "{}\n{} 第{i}篇。人工智能{}",
                    TEXTS[k % TEXTS.len()],
                    TEXTS[(k / 6) % TEXTS.len()],
                    i % 7
                ),
                words: vec!["人工智能".into(), "长春".into(), "黄金".into()],
            }
        })
        .collect()
}

/// The sample bundle, inflated: (path, bytes as the host hands them to the engine), sorted by path.
pub fn sample_bundle() -> &'static [(String, Vec<u8>)] {
    static BUNDLE: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    BUNDLE.get_or_init(|| {
        let mut builder = IndexBuilder::new(BuildOptions::default());
        for document in sample_documents() {
            builder.add(document);
        }
        let bundle = builder.finish().expect("the sample bundle builds");
        let mut files: Vec<(String, Vec<u8>)> =
            bundle.files.iter().map(|f| (f.path.clone(), inflate(&f.bytes))).collect();
        files.sort_by(|a, b| a.0.cmp(&b.0));
        files
    })
}

/// The kind of a bundle file, from its path.
pub fn kind_of(path: &str) -> FileKind {
    match path.split('/').next() {
        Some("manifest.bin") => FileKind::Manifest,
        Some("t") => FileKind::TermChunk,
        Some("p") => FileKind::Postings,
        Some("m") => FileKind::DocMeta,
        Some("f") if path.ends_with("/values.bin") => FileKind::FacetValues,
        Some("f") => FileKind::FacetChunk,
        Some("d") => FileKind::Document,
        _ => FileKind::FoldingTable,
    }
}

/// The files a mutation may target: everything but the folding table (natively compiled in, so the engine never
/// decodes the bundle's copy) and all but the first few documents (the rest are alike).
pub fn mutable_files() -> &'static [usize] {
    static FILES: OnceLock<Vec<usize>> = OnceLock::new();
    FILES.get_or_init(|| {
        let bundle = sample_bundle();
        let mut files: Vec<usize> = (0..bundle.len())
            .filter(|&i| !matches!(kind_of(&bundle[i].0), FileKind::FoldingTable | FileKind::Document))
            .collect();
        let documents = (0..bundle.len()).filter(|&i| kind_of(&bundle[i].0) == FileKind::Document);
        let mut documents: Vec<usize> = documents.collect();
        documents.sort_by_key(|&i| item_number(&bundle[i].0));
        files.extend(documents.into_iter().take(16));
        files
    })
}

fn item_number(path: &str) -> u64 {
    path.rsplit('/').next().and_then(|item| item.strip_suffix(".bin")).and_then(|n| n.parse().ok()).unwrap_or(0)
}

/// Applies a mutation to `payload`. `mode` picks how `data` is read:
/// 0 XOR patches (offset u16 LE, byte)…; 1 replace the payload with `data`; 2 truncate to a u16 length, then
/// patches; 3 insert `data[2..]` at a u16 offset.
pub fn mutate(payload: &mut Vec<u8>, mode: u8, data: &[u8]) {
    let u16_at = |i: usize| {
        usize::from(u16::from_le_bytes([data.get(i).copied().unwrap_or(0), data.get(i + 1).copied().unwrap_or(0)]))
    };
    let patch = |payload: &mut Vec<u8>, data: &[u8]| {
        if payload.is_empty() {
            return;
        }
        for triple in data.chunks_exact(3) {
            let len = payload.len();
            payload[usize::from(u16::from_le_bytes([triple[0], triple[1]])) % len] ^= triple[2];
        }
    };
    match mode % 4 {
        0 => patch(payload, data),
        1 => *payload = data.to_vec(),
        2 => {
            payload.truncate(u16_at(0));
            patch(payload, data.get(2..).unwrap_or_default());
        }
        _ => {
            let at = u16_at(0).min(payload.len());
            let insert = data.get(2..).unwrap_or_default();
            payload.splice(at..at, insert.iter().copied());
        }
    }
}

/// A bundle as a host serves it: the sample bundle, some of its files replaced, one possibly withdrawn.
#[derive(Default)]
pub struct Served {
    overrides: HashMap<String, Vec<u8>>,
    withdrawn: Option<String>,
}

impl Served {
    /// The bytes at `name`, if the bundle has such a file.
    pub fn get(&self, name: &str) -> Option<&[u8]> {
        if let Some(bytes) = self.overrides.get(name) {
            return Some(bytes);
        }
        if self.withdrawn.as_deref() == Some(name) {
            return None;
        }
        let bundle = sample_bundle();
        let i = bundle.binary_search_by(|(path, _)| path.as_str().cmp(name)).ok()?;
        Some(&bundle[i].1)
    }

    /// For a name in another folder than the bundle's (a mutated manifest names other folders): the file at the
    /// same place in its kind.
    fn same_place(&self, name: &str) -> Option<&[u8]> {
        let (kind, item) = (name.split('/').next()?, name.rsplit('/').next()?);
        let (kind, item) = (format!("{kind}/"), format!("/{item}"));
        let mut found = sample_bundle().iter().map(|(path, _)| path).filter(|path| path.split('/').count() == 3);
        self.get(found.find(|path| path.starts_with(&kind) && path.ends_with(&item))?)
    }
}

/// The sample bundle with one file mutated, as a host would serve it: the first input byte picks the file, the
/// second the mode of [`mutate`], the rest is the mutation. The mutated payload is sealed again so that its checksum
/// holds; a postings file changes name with its checksum, and the term chunks naming it are rewritten to match.
pub fn mutated_bundle(input: &[u8]) -> Served {
    let mut served = Served::default();
    let ([selector, mode], data) = match input {
        [selector, mode, data @ ..] => ([*selector, *mode], data),
        _ => return served,
    };
    let bundle = sample_bundle();
    let targets = mutable_files();
    let (path, bytes) = &bundle[targets[usize::from(selector) % targets.len()]];
    let kind = kind_of(path);
    let mut payload = bytes[HEADER_LEN..].to_vec();
    mutate(&mut payload, mode, data);
    let (sealed, checksum) = format::seal_file(kind, &payload);
    if kind != FileKind::Postings {
        served.overrides.insert(path.clone(), sealed);
        return served;
    }
    let old_checksum = u64::from_le_bytes(bytes[6..14].try_into().expect("8 bytes"));
    served.withdrawn = Some(path.clone());
    served.overrides.insert(jiansuo::termdict::postings_file_name(checksum), sealed);
    for (path, bytes) in bundle.iter().filter(|(path, _)| kind_of(path) == FileKind::TermChunk) {
        let mut payload = bytes[HEADER_LEN..].to_vec();
        if rename_postings_file(&mut payload, old_checksum, checksum) {
            served.overrides.insert(path.clone(), format::seal_file(FileKind::TermChunk, &payload).0);
        }
    }
    served
}

/// Replaces `old` by `new` in the file table at the start of a term chunk's payload; whether it was there.
fn rename_postings_file(payload: &mut [u8], old: u64, new: u64) -> bool {
    let mut reader = format::Reader::new("chunk", payload);
    let Ok(count) = reader.varint() else { return false };
    let start = reader.position();
    let mut found = false;
    for i in 0..count as usize {
        let at = start + i * 8;
        if let Some(slot) = payload.get_mut(at..at + 8) {
            if slot == old.to_le_bytes() {
                slot.copy_from_slice(&new.to_le_bytes());
                found = true;
            }
        }
    }
    found
}

/// The queries run against every (mutated) bundle: each kind of lookup, the filters, facets and both sort orders.
pub fn queries() -> Vec<(&'static str, SearchOptions)> {
    let options = SearchOptions::default;
    vec![
        ("人工智能", options()),
        ("智能 长春", SearchOptions { facets: true, ..options() }),
        ("药", SearchOptions { sort: SortOrder::Date, ..options() }),
        ("iphone", options()),
        ("\"open source\" 软件", options()),
        ("黄金 OR 白银 -价格", SearchOptions { limit: 3, offset: 2, ..options() }),
        ("長春", options()),
        ("5g pm2.5", options()),
        ("", SearchOptions { categories: vec!["财经".into()], tags: vec!["黄金".into()], facets: true, ..options() }),
        (
            "人工智能产业",
            SearchOptions { from: Some("2022-03-01".into()), to: Some("2023-12-31".into()), facets: true, ..options() },
        ),
    ]
}

/// Fetch rounds after which a query is given up, as the JS host does.
const MAX_ROUNDS: usize = 32;

/// Opens the bundle's `manifest.bin` and runs [`queries`] on one `Index`, serving what it asks for. Errors are
/// fine (a host shows them); panics are what the fuzzers look for. Returns how many queries gave a page.
pub fn run_queries(files: &Served) -> usize {
    let Some(manifest) = files.get("manifest.bin") else { return 0 };
    let Ok(mut index) = Index::open(manifest) else { return 0 };
    let mut pages = 0;
    'queries: for (query, options) in queries() {
        for _ in 0..MAX_ROUNDS {
            match index.search(query, &options) {
                Ok(Step::Done(_)) => {
                    pages += 1;
                    continue 'queries;
                }
                Ok(Step::Need(names)) => {
                    for name in names {
                        let Some(bytes) = files.get(&name).or_else(|| files.same_place(&name)) else {
                            continue 'queries; // as a failed fetch
                        };
                        if index.add_file(&name, bytes).is_err() {
                            continue 'queries;
                        }
                    }
                }
                Err(_) => continue 'queries,
            }
        }
    }
    pages
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_query_settles_on_the_unchanged_bundle() {
        assert_eq!(run_queries(&mutated_bundle(&[])), queries().len());
        // No patches: the file is sealed again unchanged, postings files keep their names.
        for slot in 0..mutable_files().len() {
            assert_eq!(run_queries(&mutated_bundle(&[slot as u8, 0])), queries().len(), "slot {slot}");
        }
    }
}
