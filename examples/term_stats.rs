//! Bytes of a bundle's term dictionary per kind of key, or the keys under a prefix.
//!
//! ```text
//! cargo run --release --example term_stats -- BUNDLE              # the table
//! cargo run --release --example term_stats -- BUNDLE --list ychangchun/   # the words that read changchun
//! cargo run --release --example term_stats -- BUNDLE --lists     # the table, then every list against an ideal code
//! ```
//! Keys carry their kind in their first byte (`b` bigram, `c` character, `r` Latin run, `w` vocabulary word, `y`
//! pinyin reading, `z` initials; see `jiansuo::termdict`), and chunks cover key ranges, so almost every chunk holds
//! one kind. A chunk's inflated bytes are split between its kinds exactly for its entries (recomputed from the
//! entries) and in proportion to key bytes for its FST; its bytes on disk (deflated, as served) in proportion to the
//! inflated ones. `postings` is what entries point to in `p/` files (doc lists and positions, inflated).
//! In `--list`, `/` stands for the `\0` between a pinyin key's letters and its word.
//!
//! `--lists` decodes every doc list and position list and sets what they take beside the smallest code for sets
//! of their sizes, log2 C(n, k) bits for k members of n: what no coding of one list at a time can beat for lists
//! that look random (Elias–Fano comes within 2 bits per member; lists that cluster can go lower).
//! Bigram positions count as positions in the whole index, whose n is the number of bigram occurrences: with
//! them the bigram doc lists and frequencies would be implied. It is about what any index that answers a keyword
//! with its own lists, as this one does, takes for them, whatever the encoding.

mod common;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use jiansuo::format::{FileKind, Reader};
use jiansuo::manifest::Manifest;
use jiansuo::pinyin::{self, Weighted};
use jiansuo::postings::{decode_doclist, PositionLists};
use jiansuo::termdict::{DataRef, TermChunk, TermInfo, BIGRAM, CHAR, INITIALS, PINYIN, RUN, WORD};

#[derive(Default, Clone)]
struct Kind {
    keys: u64,
    key_bytes: u64,
    fst: f64,
    entries: u64,
    inflated: f64,
    stored: f64,
    postings: u64,
    whole_chunks: u64,
    shared_chunks: u64,
}

fn main() {
    let bundle = common::bundle_arg("term_stats BUNDLE [--list PREFIX | --lists]");
    let args: Vec<String> = std::env::args().collect();
    let manifest = common::manifest(&bundle);
    if let Some(at) = args.iter().position(|a| a == "--list") {
        let prefix = args.get(at + 1).unwrap_or_else(|| common::fail("--list needs a prefix, e.g. ychangchun"));
        // `/` stands for the separator between a pinyin key's letters and its word, as in the output.
        let prefix = prefix.replace('/', "\0");
        let range = manifest.chunks_for_prefix(prefix.as_bytes());
        for chunk in range {
            for (key, info) in chunk_entries(&bundle, &manifest.chunk_name(chunk), prefix.as_bytes()).1 {
                println!("{}", describe(&key, &info));
            }
        }
        return;
    }

    let mut kinds: BTreeMap<u8, Kind> = BTreeMap::new();
    let (mut total_stored, mut total_inflated) = (0u64, 0u64);
    for chunk in 0..manifest.first_keys.len() {
        let name = manifest.chunk_name(chunk);
        let ((payload_len, fst_len, stored), entries) = chunk_entries(&bundle, &name, b"");
        total_stored += stored;
        total_inflated += payload_len;
        let mut here: BTreeMap<u8, Kind> = BTreeMap::new();
        for (key, info) in &entries {
            let kind = here.entry(key[0]).or_default();
            kind.keys += 1;
            kind.key_bytes += key.len() as u64;
            kind.entries += entry_len(info);
            kind.postings += [Some(&info.doclist), info.positions.as_ref()]
                .into_iter()
                .flatten()
                .map(|r| match r {
                    DataRef::External { len, .. } => *len as u64,
                    DataRef::Inline { .. } => 0,
                })
                .sum::<u64>();
        }
        let key_bytes: u64 = here.values().map(|k| k.key_bytes).sum::<u64>().max(1);
        let entry_bytes: u64 = here.values().map(|k| k.entries).sum();
        // What is neither FST nor entries: the chunk's list of postings files.
        let header = payload_len.saturating_sub(fst_len + entry_bytes);
        let shared = here.len() > 1;
        for (byte, part) in here {
            let share = part.key_bytes as f64 / key_bytes as f64;
            let inflated = part.entries as f64 + share * (fst_len + header) as f64;
            let kind = kinds.entry(byte).or_default();
            kind.keys += part.keys;
            kind.key_bytes += part.key_bytes;
            kind.entries += part.entries;
            kind.postings += part.postings;
            kind.fst += share * fst_len as f64;
            kind.inflated += inflated;
            kind.stored += stored as f64 * inflated / payload_len.max(1) as f64;
            if shared {
                kind.shared_chunks += 1;
            } else {
                kind.whole_chunks += 1;
            }
        }
    }

    println!(
        "{}: {} dictionary chunks, {} on disk (deflated), {} inflated",
        bundle.display(),
        manifest.first_keys.len(),
        bytes(total_stored as f64),
        bytes(total_inflated as f64)
    );
    println!();
    println!("| key | what | keys | key bytes | FST | entries | inflated | on disk | share of t/ | chunks (whole + shared) | postings in p/ |");
    println!("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|");
    for (byte, kind) in &kinds {
        println!(
            "| `{}` | {} | {} | {} | {} | {} | {} | {} | {:.1} % | {} + {} | {} |",
            *byte as char,
            what(*byte),
            kind.keys,
            bytes(kind.key_bytes as f64),
            bytes(kind.fst),
            bytes(kind.entries as f64),
            bytes(kind.inflated),
            bytes(kind.stored),
            100.0 * kind.stored / total_stored.max(1) as f64,
            kind.whole_chunks,
            kind.shared_chunks,
            bytes(kind.postings as f64),
        );
    }
    let pinyin: Vec<&Kind> = [PINYIN, INITIALS].iter().filter_map(|b| kinds.get(b)).collect();
    if !pinyin.is_empty() {
        let stored: f64 = pinyin.iter().map(|k| k.stored).sum();
        let inflated: f64 = pinyin.iter().map(|k| k.inflated).sum();
        let words = kinds.get(&WORD).map_or(0, |k| k.keys);
        println!();
        println!(
            "pinyin keys (y + z): {} on disk, {} inflated, {:.1} % of t/ on disk; {} words in the vocabulary",
            bytes(stored),
            bytes(inflated),
            100.0 * stored / total_stored.max(1) as f64,
            words
        );
    }
    if args.iter().any(|a| a == "--lists") {
        println!();
        list_floor(&bundle, &manifest);
    }
}

/// The lists of one kind of key: how many, their members, their bytes (inflated), and the ideal code's bits.
#[derive(Default)]
struct Lists {
    terms: u64,
    postings: u64,
    positions: u64,
    doclist_bytes: u64,
    position_bytes: u64,
    doclist_floor: f64,
    /// Occurrences per bigram, for the floor over the whole index's positions.
    occurrences: Vec<u64>,
}

fn list_floor(bundle: &Path, manifest: &Manifest) {
    let doc_count = u64::from(manifest.doc_count);
    let mut postings_files: HashMap<String, Vec<u8>> = HashMap::new();
    let mut kinds: BTreeMap<u8, Lists> = BTreeMap::new();
    for chunk in 0..manifest.first_keys.len() {
        let name = manifest.chunk_name(chunk);
        let (payload, _) = common::read(bundle, &name, FileKind::TermChunk);
        let parsed = TermChunk::parse(&name, &payload).unwrap_or_else(|e| common::fail(&e.to_string()));
        let entries = parsed.prefixed(b"").unwrap_or_else(|e| common::fail(&e.to_string()));
        for (key, info) in entries {
            if ![BIGRAM, CHAR, RUN].contains(&key[0]) {
                continue;
            }
            let mut data = |reference: &DataRef| -> Vec<u8> {
                match reference {
                    DataRef::Inline { start, len } => {
                        parsed.inline(*start, *len).unwrap_or_else(|e| common::fail(&e.to_string())).to_vec()
                    }
                    DataRef::External { file, start, len } => {
                        let payload = postings_files
                            .entry(file.clone())
                            .or_insert_with(|| common::read(bundle, file, FileKind::Postings).0);
                        payload
                            .get(*start..start + len)
                            .unwrap_or_else(|| common::fail(&format!("{file}: too short")))
                            .to_vec()
                    }
                }
            };
            let doclist = data(&info.doclist);
            let postings = decode_doclist(&mut Reader::new(&name, &doclist), info.doc_freq, manifest.doc_count)
                .unwrap_or_else(|e| common::fail(&e.to_string()));
            let lists = kinds.entry(key[0]).or_default();
            lists.terms += 1;
            lists.postings += postings.len() as u64;
            lists.doclist_bytes += doclist.len() as u64;
            lists.doclist_floor += log2_binomial(doc_count, postings.len() as u64);
            if let Some(reference) = &info.positions {
                let bytes = data(reference);
                PositionLists::decode(&mut Reader::new(&name, &bytes), &postings)
                    .unwrap_or_else(|e| common::fail(&e.to_string()));
                let occurrences: u64 = postings.iter().flat_map(|p| p.freqs).map(u64::from).sum();
                lists.positions += occurrences;
                lists.position_bytes += bytes.len() as u64;
                lists.occurrences.push(occurrences);
            }
        }
    }

    let mib = |bits: f64| bytes(bits / 8.0);
    println!(
        "Every list of `{}`, decoded (bytes inflated, as the engine reads them; on disk they are deflated):",
        bundle.display()
    );
    println!();
    println!("| lists | terms | members | inflated | bits per member | smallest code for sets of these sizes | bits per member |");
    println!("|---|--:|--:|--:|--:|--:|--:|");
    let mut floor_bits = 0.0;
    for (kind, lists) in &kinds {
        let per = |bytes: u64, members: u64| 8.0 * bytes as f64 / members.max(1) as f64;
        println!(
            "| {} doc lists (with frequencies) | {} | {} | {} | {:.1} | {} (ids only) | {:.1} |",
            one(*kind),
            lists.terms,
            lists.postings,
            bytes(lists.doclist_bytes as f64),
            per(lists.doclist_bytes, lists.postings),
            mib(lists.doclist_floor),
            lists.doclist_floor / lists.postings.max(1) as f64,
        );
        if lists.occurrences.is_empty() {
            floor_bits += lists.doclist_floor;
            continue;
        }
        let all: u64 = lists.positions;
        let positions_floor: f64 = lists.occurrences.iter().map(|&k| log2_binomial(all, k)).sum();
        floor_bits += positions_floor;
        println!(
            "| {} positions | | {} | {} | {:.1} | | |",
            one(*kind),
            lists.positions,
            bytes(lists.position_bytes as f64),
            per(lists.position_bytes, lists.positions),
        );
        println!(
            "| {} doc lists and positions as positions in the whole index | | {} | {} | {:.1} | {} | {:.1} |",
            one(*kind),
            lists.positions,
            bytes((lists.doclist_bytes + lists.position_bytes) as f64),
            per(lists.doclist_bytes + lists.position_bytes, lists.positions),
            mib(positions_floor),
            positions_floor / lists.positions.max(1) as f64,
        );
    }
    let documents = folder_bytes(&bundle.join("d"));
    let whole = folder_bytes(bundle);
    println!();
    println!(
        "Floor of these lists: {} (bigrams as positions in the whole index; characters and runs as doc lists, without \
         their frequencies). With the documents (d/, {} as written) that is {}; the bundle as written is {}.",
        mib(floor_bits),
        bytes(documents as f64),
        bytes(floor_bits / 8.0 + documents as f64),
        bytes(whole as f64),
    );
}

fn one(kind: u8) -> &'static str {
    match kind {
        BIGRAM => "bigram",
        CHAR => "character",
        RUN => "Latin run",
        _ => "?",
    }
}

/// log2 of the number of ways to choose `k` of `n`.
fn log2_binomial(n: u64, k: u64) -> f64 {
    let k = k.min(n - k.min(n));
    (0..k).map(|i| ((n - i) as f64 / (k - i) as f64).log2()).sum()
}

/// The bytes of every file under `dir`.
fn folder_bytes(dir: &Path) -> u64 {
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| common::fail(&format!("{}: {e}", dir.display())));
    entries
        .map(|entry| {
            let entry = entry.unwrap_or_else(|e| common::fail(&format!("{}: {e}", dir.display())));
            let path = entry.path();
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => folder_bytes(&path),
                Ok(_) => entry.metadata().map_or(0, |m| m.len()),
                Err(e) => common::fail(&format!("{}: {e}", path.display())),
            }
        })
        .sum()
}

/// Inflated payload length, FST length and size on disk of a chunk, and its entries under `prefix`.
type ChunkSizes = (u64, u64, u64);

fn chunk_entries(bundle: &std::path::Path, name: &str, prefix: &[u8]) -> (ChunkSizes, Vec<(Vec<u8>, TermInfo)>) {
    let (payload, stored) = common::read(bundle, name, FileKind::TermChunk);
    let mut reader = Reader::new(name, &payload);
    let fst_len = (|| -> Result<usize, jiansuo::Error> {
        let files = reader.varint()? as usize;
        reader.take(files * 8)?;
        Ok(reader.bytes()?.len())
    })()
    .unwrap_or_else(|e| common::fail(&e.to_string()));
    let chunk = TermChunk::parse(name, &payload).unwrap_or_else(|e| common::fail(&e.to_string()));
    let entries = chunk.prefixed(prefix).unwrap_or_else(|e| common::fail(&e.to_string()));
    ((payload.len() as u64, fst_len as u64, stored), entries)
}

/// The bytes of an entry in the chunk's data, as `ChunkWriter::add` writes it.
fn entry_len(info: &TermInfo) -> u64 {
    let reference = |r: &DataRef| match r {
        DataRef::Inline { len, .. } => 1 + varint_len(*len as u64) + *len as u64,
        // The file's index is one byte unless a chunk names more than 127 postings files.
        DataRef::External { start, len, .. } => 1 + varint_len(*start as u64) + varint_len(*len as u64),
    };
    varint_len(u64::from(info.doc_freq)) + reference(&info.doclist) + info.positions.as_ref().map_or(0, reference)
}

fn varint_len(value: u64) -> u64 {
    u64::from((64 - value.leading_zeros()).max(1).div_ceil(7))
}

fn describe(key: &[u8], info: &TermInfo) -> String {
    let text = String::from_utf8_lossy(key).replace('\0', "/");
    match key[0] {
        PINYIN | INITIALS => {
            let weighted = Weighted::unpack(info.doc_freq);
            let word = pinyin::word_of(key).unwrap_or("?");
            format!(
                "{text}\t{word}\tresults {}\tinside longer words {}\tsecondary readings {}\tweight {:.2}",
                weighted.results,
                weighted.inside_longer,
                weighted.secondary_readings,
                weighted.weight()
            )
        }
        _ => format!("{text}\tdf {}", info.doc_freq),
    }
}

fn what(kind: u8) -> &'static str {
    match kind {
        BIGRAM => "bigrams",
        CHAR => "characters",
        RUN => "Latin runs",
        WORD => "vocabulary words",
        PINYIN => "pinyin readings",
        INITIALS => "pinyin initials",
        _ => "?",
    }
}

fn bytes(n: f64) -> String {
    if n >= 1024.0 * 1024.0 {
        format!("{:.2} MiB", n / 1024.0 / 1024.0)
    } else if n >= 1024.0 {
        format!("{:.1} KiB", n / 1024.0)
    } else {
        format!("{n:.0} B")
    }
}
