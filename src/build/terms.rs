//! The term lists of the index, built on every core.
//!
//! Each document is analysed on its own (folding, tokens, per-field frequencies, bigram positions already encoded).
//! Merging those into per-term lists must see every term's documents in id order, which used to make the merge one
//! sequential loop over all terms of all documents. Instead every key belongs to one of [`SHARDS`] shards by its
//! hash, an analysed document hands its terms over grouped by shard, and the shards of a batch are merged in
//! parallel, each in id order. Which shard holds a key, and in which order keys were first seen, never reaches the
//! output: the writer sorts all keys before cutting the dictionary.
//!
//! Keys live in byte arenas found again by open addressing ([`KeyTable`]), not one allocation per key and term.

use std::hash::Hasher;
use std::ops::Range;

use rustc_hash::FxHasher;

use crate::normalize::normalize;
use crate::postings::{self, FieldFreqs, BODY, FIELDS, META, TITLE};
use crate::termdict;
use crate::token::{tokenize, TokenKind};

use super::words::WordFinder;
use super::Document;

/// Enough shards for two to sixteen cores to share the merge evenly.
pub(super) const SHARDS: usize = 64;

/// A key's hash: FxHash (fast on short keys) with a finalizer, since both its low bits (table slot) and its high
/// bits (shard) are used.
fn key_hash(key: &[u8]) -> u64 {
    let mut hasher = FxHasher::default();
    hasher.write(key);
    let mut x = hasher.finish();
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^ (x >> 31)
}

fn shard_of(hash: u64) -> usize {
    (hash >> 58) as usize % SHARDS
}

/// Distinct keys, numbered in the order they were first interned.
#[derive(Default)]
pub(super) struct KeyTable {
    bytes: Vec<u8>,
    /// End of key `id` in `bytes`; it starts where the previous one ends.
    ends: Vec<usize>,
    hashes: Vec<u64>,
    /// The length is a power of two.
    slots: Vec<Slot>,
}

/// A slot of the open-addressing table. Most keys (a CJK character or bigram) fit in 7 bytes and are compared
/// right here; longer ones by hash first, then in the arena. Either way a probe rarely leaves the slot array.
#[derive(Clone, Copy, Default)]
struct Slot {
    /// [`Slot::tag`] of the key.
    tag: u64,
    /// `id + 1`; 0 for an empty slot.
    id: u32,
}

impl Slot {
    /// A short key itself (bytes and length, which tells keys with trailing zero bytes apart), else its hash with
    /// the low byte 0xFF (never the length byte of a short key).
    fn tag(key: &[u8], hash: u64) -> u64 {
        if key.len() < 8 {
            let mut packed = [0u8; 8];
            packed[..key.len()].copy_from_slice(key);
            packed[7] = key.len() as u8;
            u64::from_le_bytes(packed).rotate_left(8)
        } else {
            hash | 0xFF
        }
    }
}

impl KeyTable {
    fn with_capacity(keys: usize) -> KeyTable {
        KeyTable { slots: vec![Slot::default(); (keys * 2).next_power_of_two().max(16)], ..KeyTable::default() }
    }

    pub(super) fn len(&self) -> usize {
        self.ends.len()
    }

    pub(super) fn key(&self, id: usize) -> &[u8] {
        let start = if id == 0 { 0 } else { self.ends[id - 1] };
        &self.bytes[start..self.ends[id]]
    }

    /// The id of `key` (whose hash is `hash`), and whether it was new.
    fn intern(&mut self, key: &[u8], hash: u64) -> (usize, bool) {
        if self.slots.is_empty() || (self.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let tag = Slot::tag(key, hash);
        let mask = self.slots.len() - 1;
        let mut at = hash as usize & mask;
        loop {
            let slot = self.slots[at];
            if slot.id == 0 {
                let id = self.len();
                self.bytes.extend_from_slice(key);
                self.ends.push(self.bytes.len());
                self.hashes.push(hash);
                self.slots[at] = Slot { tag, id: id as u32 + 1 };
                return (id, true);
            }
            if slot.tag == tag {
                let id = slot.id as usize - 1;
                if key.len() < 8 || self.key(id) == key {
                    return (id, false);
                }
            }
            at = (at + 1) & mask;
        }
    }

    fn grow(&mut self) {
        let size = (self.slots.len() * 2).max(16);
        let mask = size - 1;
        let mut slots = vec![Slot::default(); size];
        for (id, &hash) in self.hashes.iter().enumerate() {
            let mut at = hash as usize & mask;
            while slots[at].id != 0 {
                at = (at + 1) & mask;
            }
            slots[at] = Slot { tag: Slot::tag(self.key(id), hash), id: id as u32 + 1 };
        }
        self.slots = slots;
    }
}

/// What one document contributes: its terms grouped by shard, with their keys and encoded positions.
pub(super) struct AnalysedDocument {
    keys: Vec<u8>,
    positions: Vec<u8>,
    terms: Vec<DocTerm>,
    /// `terms[shard_starts[s]..shard_starts[s + 1]]` belong to shard `s`.
    shard_starts: [u32; SHARDS + 1],
    pub(super) lengths: [u32; FIELDS],
    /// The vocabulary words the document contains (ids of [`WordFinder`]), each once.
    pub(super) words: Vec<u32>,
}

struct DocTerm {
    hash: u64,
    key: Range<u32>,
    freqs: FieldFreqs,
    /// Bigrams only (empty otherwise): the posting's positions as the format encodes them.
    positions: Range<u32>,
}

impl AnalysedDocument {
    fn shard(&self, shard: usize) -> &[DocTerm] {
        &self.terms[self.shard_starts[shard] as usize..self.shard_starts[shard + 1] as usize]
    }
}

/// A bigram occurrence: the term, its field, its position in the field.
struct Occurrence {
    term: u32,
    field: u8,
    position: u32,
}

pub(super) fn analyse(document: &Document, words: Option<&WordFinder>) -> AnalysedDocument {
    // Distinct terms grow slower than the text; the table grows if needed.
    let mut table = KeyTable::with_capacity((document.text.len() / 2).min(1 << 16) + 64);
    let mut freqs: Vec<FieldFreqs> = Vec::new();
    let mut occurrences: Vec<Occurrence> = Vec::new();
    let mut key = Vec::with_capacity(32);
    let mut lengths = [0u32; FIELDS];
    let mut found_words: Vec<u32> = Vec::new();
    let mut record = |key: &[u8], field: usize, position: Option<u32>| {
        let (term, new) = table.intern(key, key_hash(key));
        if new {
            freqs.push([0; FIELDS]);
        }
        freqs[term][field] += 1;
        if let Some(position) = position {
            occurrences.push(Occurrence { term: term as u32, field: field as u8, position });
        }
    };
    let meta_values: Vec<&str> = document.categories.iter().chain(&document.tags).map(String::as_str).collect();
    let fields: [(usize, Vec<&str>); FIELDS] =
        [(TITLE, vec![document.title.as_str()]), (META, meta_values), (BODY, vec![document.text.as_str()])];
    for (field, values) in fields {
        // Values of one field (the categories and tags) are separated by a gap so no bigram spans two of them.
        let mut base = 0u32;
        for value in values {
            let folded = normalize(value);
            if let Some(finder) = words {
                finder.find(&folded, &mut found_words);
            }
            let tokens = tokenize(&folded);
            for (i, token) in tokens.iter().enumerate() {
                key.clear();
                if termdict::push_unigram_key(&mut key, token) {
                    record(&key, field, None);
                }
                if let Some(next) = tokens.get(i + 1) {
                    key.clear();
                    termdict::push_bigram_key(&mut key, token, next);
                    record(&key, field, Some(base + i as u32));
                }
            }
            base += tokens.len() as u32 + 1;
            lengths[field] += tokens.iter().filter(|t| t.kind != TokenKind::Space).count() as u32;
        }
    }

    // Positions grouped by term and field (a stable placement keeps each field's positions in text order).
    let mut starts: Vec<u32> = Vec::with_capacity(freqs.len() * FIELDS + 1);
    let mut next = 0u32;
    for (term, term_freqs) in freqs.iter().enumerate() {
        let bigram = table.key(term).first() == Some(&termdict::BIGRAM);
        for &freq in term_freqs {
            starts.push(next);
            next += if bigram { freq } else { 0 };
        }
    }
    starts.push(next);
    let mut grouped = vec![0u32; next as usize];
    let mut fill = starts.clone();
    for occurrence in &occurrences {
        let at = &mut fill[occurrence.term as usize * FIELDS + usize::from(occurrence.field)];
        grouped[*at as usize] = occurrence.position;
        *at += 1;
    }

    // Terms in shard order, each with its key and encoded positions.
    let mut shard_starts = [0u32; SHARDS + 1];
    for &hash in &table.hashes {
        shard_starts[shard_of(hash) + 1] += 1;
    }
    for s in 0..SHARDS {
        shard_starts[s + 1] += shard_starts[s];
    }
    let mut order = vec![0u32; table.len()];
    let mut fill = shard_starts;
    for (term, &hash) in table.hashes.iter().enumerate() {
        let at = &mut fill[shard_of(hash)];
        order[*at as usize] = term as u32;
        *at += 1;
    }
    let mut scratch: [Vec<u32>; FIELDS] = Default::default();
    let mut positions = Vec::with_capacity(grouped.len() * 2);
    let terms = order
        .iter()
        .map(|&term| {
            let term = term as usize;
            let key_end = table.ends[term] as u32;
            let key_start = key_end - table.key(term).len() as u32;
            let first = starts[term * FIELDS] as usize;
            let last = starts[term * FIELDS + FIELDS] as usize;
            let start = positions.len() as u32;
            if last > first {
                for (field, list) in scratch.iter_mut().enumerate() {
                    list.clear();
                    let range = starts[term * FIELDS + field] as usize..starts[term * FIELDS + field + 1] as usize;
                    list.extend_from_slice(&grouped[range]);
                }
                postings::encode_posting_positions(&mut positions, &scratch);
            }
            DocTerm {
                hash: table.hashes[term],
                key: key_start..key_end,
                freqs: freqs[term],
                positions: start..positions.len() as u32,
            }
        })
        .collect();
    found_words.sort_unstable();
    found_words.dedup();
    // Kept until every document is analysed: without the room its repeats took.
    found_words.shrink_to_fit();
    AnalysedDocument { keys: table.bytes, positions, terms, shard_starts, lengths, words: found_words }
}

/// Every term's lists in one shard, encoded as documents arrive in id order.
#[derive(Default)]
pub(super) struct TermShard {
    pub(super) keys: KeyTable,
    pub(super) lists: Vec<TermLists>,
}

#[derive(Default)]
pub(super) struct TermLists {
    pub(super) doc_freq: u32,
    next_doc: u32,
    /// Postings (see [`crate::postings`]).
    pub(super) doclist: Vec<u8>,
    pub(super) positions: Vec<u8>,
}

impl TermShard {
    /// Adds the terms of document `doc` that belong to this shard (`shard`); documents must come in id order.
    pub(super) fn add(&mut self, shard: usize, doc: u32, analysed: &AnalysedDocument) {
        for term in analysed.shard(shard) {
            let key = &analysed.keys[term.key.start as usize..term.key.end as usize];
            let (id, new) = self.keys.intern(key, term.hash);
            if new {
                self.lists.push(TermLists::default());
            }
            let lists = &mut self.lists[id];
            postings::encode_posting(&mut lists.doclist, doc - lists.next_doc, &term.freqs);
            lists.next_doc = doc + 1;
            lists.doc_freq += 1;
            lists
                .positions
                .extend_from_slice(&analysed.positions[term.positions.start as usize..term.positions.end as usize]);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_table_interns_each_key_once() {
        let mut table = KeyTable::default();
        let keys: Vec<Vec<u8>> = (0..1000u32).map(|i| format!("k{}", i % 300).into_bytes()).collect();
        for key in &keys {
            table.intern(key, key_hash(key));
        }
        assert_eq!(table.len(), 300);
        assert_eq!(table.key(7), b"k7");
        assert_eq!(table.intern(b"k299", key_hash(b"k299")), (299, false));
        // Colliding hashes still tell keys apart, short or long.
        assert_eq!(table.intern(b"other", key_hash(b"k1")), (300, true));
        assert_eq!(table.intern(b"k1\0", key_hash(b"k1")), (301, true));
        assert_eq!(table.intern(b"a longer key", 7), (302, true));
        assert_eq!(table.intern(b"a longer kez", 7), (303, true));
        assert_eq!(table.intern(b"a longer key", 7), (302, false));
    }
}
