//! The term dictionary: every key the index knows, split by key range into chunks fetched on demand.
//!
//! A chunk is an FST (written by BurntSushi's `fst`, read by `fstread`) mapping each key to the offset of its entry in the chunk's data. Small
//! doc lists live in the entry itself, larger ones and all position lists in separate postings files that the
//! chunk names by content hash, so a query downloads only what it reads.
//!
//! Keys carry their kind in the first byte, which also groups each kind into its own key range:
//! ```text
//! b<token><token>  bigram of two adjacent tokens (with positions)
//! c<char>          a single non-Latin character
//! r<run>           a Latin/digit run
//! w<word>          a word of jieba's segmentation (vocabulary only: the results a search for it shows, no postings)
//! y<pinyin>\0<word> a reading of a vocabulary word (value: see `pinyin::Weighted`; no postings)
//! z<initials>\0<word> the initials of a reading (likewise)
//! chunk   := file-count varint, file-count × checksum u64, fst-length varint, fst, data
//! entry   := df varint, doclist ref, [positions ref]    (positions only for bigram keys)
//! ref     := 0, length varint, bytes                     (inline)
//!          | file-index + 1 varint, start varint, length varint
//! ```

use crate::format::{self, Reader};
use crate::token::{Token, TokenKind};
use crate::Error;

pub const BIGRAM: u8 = b'b';
pub const CHAR: u8 = b'c';
pub const RUN: u8 = b'r';
pub const WORD: u8 = b'w';
pub const PINYIN: u8 = b'y';
pub const INITIALS: u8 = b'z';

/// The key of a single token (none for a space, which is never searched alone).
pub fn unigram_key(token: &Token<'_>) -> Option<Vec<u8>> {
    let mut key = Vec::with_capacity(1 + token.text.len());
    push_unigram_key(&mut key, token).then_some(key)
}

/// Appends the unigram key of `token` to `out`; false (and nothing appended) for a space.
pub fn push_unigram_key(out: &mut Vec<u8>, token: &Token<'_>) -> bool {
    let kind = match token.kind {
        TokenKind::Run => RUN,
        TokenKind::Char => CHAR,
        TokenKind::Space => return false,
    };
    out.push(kind);
    out.extend_from_slice(token.text.as_bytes());
    true
}

pub fn bigram_key(first: &Token<'_>, second: &Token<'_>) -> Vec<u8> {
    let mut key = Vec::with_capacity(1 + first.text.len() + second.text.len());
    push_bigram_key(&mut key, first, second);
    key
}

pub fn push_bigram_key(out: &mut Vec<u8>, first: &Token<'_>, second: &Token<'_>) {
    out.push(BIGRAM);
    out.extend_from_slice(first.text.as_bytes());
    out.extend_from_slice(second.text.as_bytes());
}

/// The key of `text` as a key of `kind` (a run, a vocabulary word, a pinyin reading…), or the prefix of such keys.
pub fn kind_key(kind: u8, text: &str) -> Vec<u8> {
    let mut key = Vec::with_capacity(1 + text.len());
    key.push(kind);
    key.extend_from_slice(text.as_bytes());
    key
}

pub fn word_key(word: &str) -> Vec<u8> {
    kind_key(WORD, word)
}

/// Where a doc list or position list is stored.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DataRef {
    /// Within the chunk's own data.
    Inline { start: usize, len: usize },
    /// Within a postings file (`p/<hash>.bin`).
    External { file: String, start: usize, len: usize },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TermInfo {
    /// The posts that contain the term; for a vocabulary word (`w`) the results a search for it shows, for a pinyin
    /// key (`y`, `z`) a packed [`crate::pinyin::Weighted`].
    pub doc_freq: u32,
    pub doclist: DataRef,
    pub positions: Option<DataRef>,
}

/// Where a chunk starting with key `first` begins in the manifest, after a chunk ending with key `last`: the
/// shortest prefix of `first` above `last`. Any boundary in `(last, first]` splits the keys the same way, and the
/// manifest, read before every first query, holds one per chunk: `b惯、` becomes 4 bytes instead of 7.
pub fn chunk_boundary(last: &[u8], first: &[u8]) -> Vec<u8> {
    debug_assert!(last < first);
    let shared = last.iter().zip(first).take_while(|(a, b)| a == b).count();
    first[..(shared + 1).min(first.len())].to_vec()
}

pub fn postings_file_name(checksum: u64) -> String {
    format!("p/{}.bin", format::hex(checksum))
}

/// A parsed dictionary chunk.
pub struct TermChunk {
    name: String,
    files: Vec<String>,
    map: crate::fstread::Fst,
    data: Vec<u8>,
}

impl TermChunk {
    pub fn parse(name: &str, payload: &[u8]) -> Result<TermChunk, Error> {
        let mut reader = Reader::new(name, payload);
        let file_count = reader.bounded(reader.remaining() / 8, "file count")?;
        let files = (0..file_count).map(|_| reader.u64_le().map(postings_file_name)).collect::<Result<_, _>>()?;
        let fst_bytes = reader.bytes()?.to_vec();
        let map = crate::fstread::Fst::new(fst_bytes).map_err(|what| Error::corrupt(name, what))?;
        let data = reader.rest().to_vec();
        // Every key has an entry of two bytes at least; more keys are nodes written to be listed forever. The keys
        // of a chunk as written take less than 16 times its payload (an FST shares their prefixes and suffixes);
        // far more is a chain of nodes written to make a prefix listing copy gigabytes.
        if map.len() > data.len() as u64 / 2 {
            return Err(Error::corrupt(name, "more keys than entries"));
        }
        if map.key_bytes() > 16 * payload.len() as u64 + (64 << 10) {
            return Err(Error::corrupt(name, "keys far longer than the chunk"));
        }
        Ok(TermChunk { name: name.to_string(), files, map, data })
    }

    pub fn get(&self, key: &[u8]) -> Result<Option<TermInfo>, Error> {
        match self.map.get(key).map_err(|what| Error::corrupt(&self.name, what))? {
            Some(offset) => self.entry(key, offset).map(Some),
            None => Ok(None),
        }
    }

    /// Every key starting with `prefix`, in key order.
    pub fn prefixed(&self, prefix: &[u8]) -> Result<Vec<(Vec<u8>, TermInfo)>, Error> {
        let keys = self.map.prefixed(prefix).map_err(|what| Error::corrupt(&self.name, what))?;
        let mut found = Vec::with_capacity(keys.len());
        for (key, offset) in keys {
            let info = self.entry(&key, offset)?;
            found.push((key, info));
        }
        Ok(found)
    }

    fn entry(&self, key: &[u8], offset: u64) -> Result<TermInfo, Error> {
        let start = usize::try_from(offset).ok().filter(|&o| o <= self.data.len());
        let start = start.ok_or_else(|| Error::corrupt(&self.name, "term entry offset out of range"))?;
        let mut reader = Reader::new(&self.name, &self.data[start..]);
        let doc_freq = reader.u32_varint()?;
        let doclist = self.data_ref(&mut reader, start)?;
        let positions = if key.first() == Some(&BIGRAM) { Some(self.data_ref(&mut reader, start)?) } else { None };
        Ok(TermInfo { doc_freq, doclist, positions })
    }

    fn data_ref(&self, reader: &mut Reader<'_>, base: usize) -> Result<DataRef, Error> {
        let tag = reader.varint()?;
        if tag == 0 {
            let len = reader.bounded(reader.remaining(), "inline length")?;
            let start = base + reader.position();
            reader.take(len)?;
            return Ok(DataRef::Inline { start, len });
        }
        let file = usize::try_from(tag - 1).ok().and_then(|index| self.files.get(index));
        let file = file.ok_or_else(|| reader.error("postings file index out of range"))?.clone();
        let start = reader.bounded(u32::MAX as usize, "postings offset")?;
        let len = reader.bounded(u32::MAX as usize, "postings length")?;
        Ok(DataRef::External { file, start, len })
    }

    /// The bytes of an inline reference.
    pub fn inline(&self, start: usize, len: usize) -> Result<&[u8], Error> {
        let slice = start.checked_add(len).and_then(|end| self.data.get(start..end));
        slice.ok_or_else(|| Error::corrupt(&self.name, "inline list out of range"))
    }

    pub fn name(&self) -> &str {
        &self.name
    }
}

/// Builds one chunk; entries must be added in key order.
#[cfg(feature = "build")]
pub struct ChunkWriter {
    files: Vec<u64>,
    map: fst::MapBuilder<Vec<u8>>,
    data: Vec<u8>,
}

#[cfg(feature = "build")]
impl Default for ChunkWriter {
    fn default() -> Self {
        // File 0 is the chunk's companion postings file, named when the chunk is finished.
        ChunkWriter { files: vec![0], map: fst::MapBuilder::memory(), data: Vec::new() }
    }
}

/// Where the writer should put a list: in the chunk or in postings file `checksum` at `start`.
#[cfg(feature = "build")]
pub enum Placement<'a> {
    Inline(&'a [u8]),
    External {
        checksum: u64,
        start: usize,
        len: usize,
    },
    /// In the chunk's companion postings file, which collects the small position lists of its terms.
    Companion {
        start: usize,
        len: usize,
    },
}

#[cfg(feature = "build")]
impl ChunkWriter {
    pub fn data_len(&self) -> usize {
        self.data.len()
    }

    pub fn add(&mut self, key: &[u8], doc_freq: u32, doclist: Placement<'_>, positions: Option<Placement<'_>>) {
        use crate::format::put_varint;
        let offset = self.data.len() as u64;
        // Keys arrive sorted and unique from the builder; fst only fails on order violations.
        self.map.insert(key, offset).expect("term keys are added in strictly increasing order");
        put_varint(&mut self.data, u64::from(doc_freq));
        for placement in std::iter::once(doclist).chain(positions) {
            match placement {
                Placement::Inline(bytes) => {
                    put_varint(&mut self.data, 0);
                    format::put_bytes(&mut self.data, bytes);
                }
                Placement::External { checksum, start, len } => {
                    let index = match self.files.iter().skip(1).position(|&f| f == checksum) {
                        Some(i) => i + 1,
                        None => {
                            self.files.push(checksum);
                            self.files.len() - 1
                        }
                    };
                    self.put_external(index, start, len);
                }
                Placement::Companion { start, len } => self.put_external(0, start, len),
            }
        }
    }

    fn put_external(&mut self, file_index: usize, start: usize, len: usize) {
        use crate::format::put_varint;
        put_varint(&mut self.data, file_index as u64 + 1);
        put_varint(&mut self.data, start as u64);
        put_varint(&mut self.data, len as u64);
    }

    /// The chunk's payload; `companion` is the checksum of its companion postings file (0 if it has none).
    pub fn finish(mut self, companion: u64) -> Vec<u8> {
        self.files[0] = companion;
        let mut payload = Vec::with_capacity(self.data.len() + 1024);
        format::put_varint(&mut payload, self.files.len() as u64);
        for checksum in &self.files {
            payload.extend_from_slice(&checksum.to_le_bytes());
        }
        let fst = self.map.into_inner().expect("in-memory fst writes cannot fail");
        format::put_bytes(&mut payload, &fst);
        payload.extend_from_slice(&self.data);
        payload
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunk_boundaries_are_short_and_split_keys_alike() {
        for (last, first) in [("b情驱", "b惯、"), ("bab", "babc"), ("b中国", "b中国人"), ("ba", "bb"), ("b1", "b2x")]
        {
            let boundary = chunk_boundary(last.as_bytes(), first.as_bytes());
            assert!(last.as_bytes() < boundary.as_slice() && boundary.as_slice() <= first.as_bytes(), "{last} {first}");
            assert!(first.as_bytes().starts_with(&boundary));
        }
        assert_eq!(chunk_boundary("b情驱".as_bytes(), "b惯、".as_bytes()), &"b惯".as_bytes()[..4]);
        assert_eq!(chunk_boundary(b"bab", b"babc"), b"babc");
        assert_eq!(chunk_boundary(b"ba", b"bbz"), b"bb");
    }

    #[cfg(feature = "build")]
    #[test]
    fn a_chunk_whose_keys_would_take_gigabytes_to_list_is_refused() {
        let chunk = |keys: &[Vec<u8>]| {
            let mut writer = ChunkWriter::default();
            for key in keys {
                writer.add(key, 1, Placement::Inline(&[]), None);
            }
            TermChunk::parse("t/x/0.bin", &writer.finish(0))
        };
        let mut words: Vec<Vec<u8>> = (0..3000u32).map(|n| format!("w词{n}").into_bytes()).collect();
        words.sort();
        assert!(chunk(&words).is_ok_and(|c| c.prefixed(b"w").is_ok_and(|found| found.len() == 3000)));
        // r, ra, raa, … : 3,000 keys, 4.5 MB of keys in a payload of a few KB.
        let chain: Vec<Vec<u8>> = (0..3000).map(|n| [b"r".as_slice(), &vec![b'a'; n]].concat()).collect();
        let refused = chunk(&chain).err().map(|e| e.to_string()).unwrap_or_default();
        assert!(refused.contains("keys far longer than the chunk"), "{refused}");
    }
}
