//! Inputs the fuzzers (`fuzz/`, issue #6) found to crash or stall the engine, replayed through the public API.
//! Each must end in an error or a result, quickly and within bounded memory: never a panic, an abort or a hang.
//!
//! In the browser a panic or a failed allocation aborts the wasm module, so every search after it fails too. This
//! test binary stands in for that: its allocator refuses any single allocation over [`ALLOCATION_LIMIT`] (the
//! process then aborts, as wasm would), and debug builds check integer overflow as the fuzz builds do.

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;
use std::time::{Duration, Instant};

use std::collections::HashMap;
use std::io::Read;

use jiansuo::build::{BuildOptions, Document, IndexBuilder};
use jiansuo::format::{put_varint, seal_file, FileKind, Reader};
use jiansuo::manifest::{Manifest, MANIFEST_FILE};
use jiansuo::postings::decode_doclist;
use jiansuo::postings::{encode_doclist, encode_positions, Posting};
use jiansuo::store::DocMeta;
use jiansuo::termdict::TermChunk;
use jiansuo::termdict::{ChunkWriter, Placement};
use jiansuo::{Index, SearchOptions, Step};

/// Far above what a bundle of a few hundred bytes may cost, far below what a 32-bit wasm module can have.
const ALLOCATION_LIMIT: usize = 256 << 20;
const TIME_LIMIT: Duration = Duration::from_secs(2);

struct Limited;

thread_local! {
    /// Bytes allocated and not yet freed by this thread (frees of another thread's memory included: an estimate).
    static LIVE: Cell<isize> = const { Cell::new(0) };
}

fn account(change: isize) {
    let _ = LIVE.try_with(|live| live.set(live.get() + change));
}

fn live_bytes() -> isize {
    LIVE.with(Cell::get)
}

unsafe impl GlobalAlloc for Limited {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ALLOCATION_LIMIT {
            refuse();
            return std::ptr::null_mut();
        }
        account(layout.size() as isize);
        unsafe { System.alloc(layout) }
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        if layout.size() > ALLOCATION_LIMIT {
            refuse();
            return std::ptr::null_mut();
        }
        account(layout.size() as isize);
        unsafe { System.alloc_zeroed(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        account(-(layout.size() as isize));
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > ALLOCATION_LIMIT {
            refuse();
            return std::ptr::null_mut();
        }
        account(new_size as isize - layout.size() as isize);
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

fn refuse() {
    use std::io::Write;
    let _ = std::io::stderr().write_all(b"fuzz_regressions: refused an allocation over 256 MiB (wasm would abort)\n");
}

#[global_allocator]
static ALLOCATOR: Limited = Limited;

fn hex(text: &str) -> Vec<u8> {
    let digits: Vec<u8> = text.bytes().filter(u8::is_ascii_hexdigit).collect();
    digits.chunks(2).map(|pair| u8::from_str_radix(std::str::from_utf8(pair).unwrap(), 16).unwrap()).collect()
}

/// What the `manifest` target does with its input: open it sealed, search once, browse once by a filter.
fn open_and_search(manifest_payload: &[u8]) {
    let (file, _) = seal_file(FileKind::Manifest, manifest_payload);
    let Ok(mut index) = Index::open(&file) else { return };
    let started = Instant::now();
    let _ = index.search("长春 iphone 人工智能", &SearchOptions::default());
    let browse = SearchOptions { categories: vec!["财经".into()], ..SearchOptions::default() };
    let _ = index.search("", &browse);
    assert!(started.elapsed() < TIME_LIMIT, "took {:?}", started.elapsed());
}

/// Target `term_chunk`: a two-key FST (`ca`, `cb`) with one node byte changed. `fst` trusts the bytes it walks
/// and panics (index out of bounds, overflow, assertion) on a malformed FST; the chunk's checksum is no defence,
/// since whoever writes a hostile chunk writes its checksum too.
#[test]
fn term_chunk_with_a_malformed_fst() {
    let payload = hex(
        "00 2d 03 00 00 00 00 00 00 00 00 00 00 00 00 00 00 00 01 00 00 00 62 61 00 02 ca 02 00 00 00 00 00 00 00 18
         00 00 00 00 00 00 00 5a 65 b6 67",
    );
    if let Ok(chunk) = TermChunk::parse("t/0/0.bin", &payload) {
        let _ = chunk.get(b"ca");
        let _ = chunk.prefixed(b"c");
    }
}

/// Target `manifest`: 65 bytes claiming 637,500,688 documents. The search allocates a `u32` per claimed document
/// (`collapse_duplicates`: `vec![0u32; doc_count]`), 2.5 GB.
#[test]
fn manifest_claiming_637_million_documents() {
    open_and_search(&hex(
        "90fafdaf 020080b6 4385ebe5 40e17aac 40ae0748 42573acb dcfeffaf c3050007 00000000 00e5b083 64001bf9 fb0eb2bc
         81ffffff ffffffff 000463e6 99ba0007 ab",
    ));
}

/// Target `manifest`: 64 bytes claiming 49,152 documents in doc-meta chunks of 4. Browsing by a filter needs
/// 12,288 doc-meta and 12,288 facet chunks; `Index::need` removes duplicate names with a quadratic scan.
#[test]
fn manifest_with_tiny_meta_chunks() {
    open_and_search(&hex(
        "808003fe af427269 cdcd3372 69000080 90039003 feaf42a0 bdd08d37 26000000 80900320 30390104 21634fcf fef93c72
         afe4bc81 000463e6 99d93090 2499d930",
    ));
}

/// Target `postings` (format 4): a doc list of 2 postings whose second id gap was 2^64 − 1. `decode_doclist` added
/// the gap to the next id unchecked: a panic with overflow checks, and in release (wasm) a wrapped id that goes
/// backwards, breaking the ascending order that binary searches rely on. Since format 5 a gap is at most 2^63 − 1
/// (a flag takes the low bit): the largest must be refused as out of range.
#[test]
fn doclist_gap_out_of_range() {
    let bytes = hex("00 00 feffffffffffffffff01 00");
    let decoded = decode_doclist(&mut Reader::new("p/0.bin", &bytes), 2, 2);
    assert!(matches!(&decoded, Err(e) if e.to_string().contains("out of range")), "{decoded:?}");
}

/// Target `postings`: a few bytes said to hold 2^32 − 1 postings of a collection of as many documents:
/// `decode_doclist` reserved room for them all (64 GiB) before reading any; the bytes left can hold at most one
/// per byte.
#[test]
fn doclist_claiming_4_billion_postings() {
    let bytes = hex("ffffffff0f");
    assert!(decode_doclist(&mut Reader::new("p/0.bin", &bytes), u32::MAX, u32::MAX).is_err());
}

/// Found on review (the `store` target's one run before the fix did not hit it): a doc-meta chunk for document 1
/// whose one duplicate entry has an id gap of 2^64 − 1. `DocMeta::decode` adds it to the next id
/// unchecked (store.rs `next + reader.varint()?`), as `decode_doclist` does.
#[test]
fn doc_meta_duplicate_gap_overflows() {
    let bytes = hex("01 01 00 01 00 01 01 ffffffffffffffffff01 01");
    assert!(DocMeta::decode("m/0/0.bin", &bytes).is_err());
}

/// The inflated files of a real one-post bundle, by path, and its manifest.
fn one_post_bundle() -> (HashMap<String, Vec<u8>>, Manifest) {
    let mut builder = IndexBuilder::new(BuildOptions::default());
    builder.add(Document {
        url: "/a.html".into(),
        title: "人工智能".into(),
        date: "2024-01-01T08:00:00+08:00".into(),
        timestamp: 1_704_067_200,
        text: "人工智能产业。".into(),
        ..Default::default()
    });
    let mut files = HashMap::new();
    for file in builder.finish().expect("bundle").files {
        let mut bytes = Vec::new();
        flate2::read::DeflateDecoder::new(file.bytes.as_slice()).read_to_end(&mut bytes).expect("inflate");
        files.insert(file.path, bytes);
    }
    let manifest = Manifest::decode(&files[MANIFEST_FILE][14..]).expect("manifest");
    (files, manifest)
}

/// Searches `query` as a host would, serving `files`; the outcome does not matter, only that there is one.
fn search_served(files: &HashMap<String, Vec<u8>>, query: &str) {
    let mut index = Index::open(&files[MANIFEST_FILE]).expect("open");
    for _ in 0..32 {
        match index.search(query, &SearchOptions::default()) {
            Ok(Step::Need(names)) => {
                for name in names {
                    let Some(bytes) = files.get(&name) else { return };
                    if index.add_file(&name, bytes).is_err() {
                        return;
                    }
                }
            }
            Ok(Step::Done(_)) | Err(_) => return,
        }
    }
}

/// Found on review (the `search_bundle` target did not reach it in its first runs): a manifest whose newest day is
/// the earliest an `i32` holds. The recency prior computes `newest_day - day` unchecked (rank.rs).
#[test]
fn manifest_newest_day_at_the_i32_minimum() {
    let (mut files, mut manifest) = one_post_bundle();
    manifest.newest_day = i32::MIN;
    files.insert(MANIFEST_FILE.into(), seal_file(FileKind::Manifest, &manifest.encode()).0);
    search_served(&files, "人工智能");
}

/// Found on review: a term chunk whose bigram 人工 occurs at position 2^32 − 1. Verifying the 3-token keyword
/// 人工智 looks for 工智 at `p + lookup.offset`, unchecked (search.rs `match_keyword`).
#[test]
fn bigram_position_at_the_u32_maximum() {
    let (mut files, mut manifest) = one_post_bundle();
    let posting = [Posting { doc: 0, freqs: [0, 0, 1] }];
    let mut doclist = Vec::new();
    encode_doclist(&posting, &mut doclist);
    let mut chunk = ChunkWriter::default();
    for (key, position) in [("b人工", u32::MAX), ("b工智", 0)] {
        let mut positions = Vec::new();
        encode_positions(&[[vec![], vec![], vec![position]]], &mut positions);
        chunk.add(key.as_bytes(), 1, Placement::Inline(&doclist), Some(Placement::Inline(&positions)));
    }
    manifest.first_keys = vec![b"b".to_vec()];
    files.insert(manifest.chunk_name(0), seal_file(FileKind::TermChunk, &chunk.finish(0)).0);
    files.insert(MANIFEST_FILE.into(), seal_file(FileKind::Manifest, &manifest.encode()).0);
    search_served(&files, "人工智");
}

/// Found on review: first keys are prefix-compressed, so 3 bytes (the whole previous key shared, one byte added)
/// make a key one byte longer than the last. 20,000 of them, 84 KB, decode to 200 MB of keys, 400 MB allocated
/// (n²/2: a 300 KB manifest would need several GB). The manifest is the first file a search reads.
#[test]
fn manifest_keys_growing_by_one_byte() {
    const KEYS: usize = 20_000;
    let (_, manifest) = one_post_bundle();
    let keyless = Manifest { first_keys: Vec::new(), ..manifest }.encode();
    // doc count, newest day, 4 × f32, term folder: then the key count (0, one byte) and the rest.
    let mut reader = Reader::new("manifest", &keyless);
    reader.varint().unwrap();
    reader.varint().unwrap();
    let keys_at = reader.position() + 16 + 8;
    let mut payload = keyless[..keys_at].to_vec();
    put_varint(&mut payload, KEYS as u64);
    for shared in 0..KEYS {
        put_varint(&mut payload, shared as u64);
        payload.extend_from_slice(&[1, b'a']);
    }
    payload.extend_from_slice(&keyless[keys_at + 1..]);
    let before = live_bytes();
    let decoded = Manifest::decode(&payload);
    let growth = live_bytes() - before;
    drop(decoded);
    assert!(growth < 64 * payload.len() as isize, "{} bytes of manifest took {growth} bytes", payload.len());
}

/// Target `store` (its round-trip check): a doc-meta chunk for documents 2^32 − 1 and 2^32, whose duplicate entry
/// names document 2^32. `DocMeta::decode` checks the entry against the chunk's range in `u64`, then keeps it
/// `as u32`: document 0, told by document 2^32 − 2, outside the chunk and newer than its story; encoding it again
/// overflows (store.rs `doc - next`).
#[test]
fn doc_meta_ids_past_the_u32_range() {
    let bytes = hex("ffffffff0f 02 0101 02 0201 0101 01 01 02");
    if let Ok(meta) = DocMeta::decode("m/0/0.bin", &bytes) {
        for &(doc, story) in &meta.duplicates {
            let in_chunk = doc >= meta.first && ((doc - meta.first) as usize) < meta.len();
            assert!(in_chunk && story < doc, "duplicate ({doc}, story {story}) in a chunk from {}", meta.first);
        }
    }
}
