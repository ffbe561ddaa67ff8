//! The manifest: the one file with a fixed name, read first, naming every other file.
//!
//! It stays small whatever the number of posts: corpus statistics, where each term-dictionary chunk begins
//! (prefix-compressed), and content hashes of the folders holding chunks, doc-meta and documents. Files inside a
//! hashed folder are named by number; each carries its own checksum, so a file from another build is detected.
//!
//! ```text
//! manifest := doc-count varint, newest-day zigzag varint, recency-half-life f32, 3 × average field length f32,
//!             term-folder u64, chunk-count varint, chunk-count × (shared-prefix varint, suffix str),
//!             meta-folder u64, docs-per-meta-chunk varint, store-folder u64, facet-folder u64,
//!             folding-table u64, text-codes str (the characters with codes of their own, most frequent first;
//!             see crate::textcode)
//! ```

use crate::format::{self, Reader};
use crate::postings::FIELDS;
use crate::textcode::TextCodes;
use crate::Error;

#[derive(Debug, Clone, PartialEq)]
pub struct Manifest {
    pub doc_count: u32,
    /// Day (since 1970-01-01) of the newest post: the reference point of the recency prior.
    pub newest_day: i32,
    pub recency_half_life_days: f32,
    pub average_lengths: [f32; FIELDS],
    pub term_folder: u64,
    /// Where each term chunk begins, ascending: chunk `i` holds keys in `[first_keys[i], first_keys[i + 1])`. A
    /// boundary need not be a key (see [`crate::termdict::chunk_boundary`]).
    pub first_keys: Vec<Vec<u8>>,
    pub meta_folder: u64,
    pub docs_per_meta_chunk: u32,
    pub store_folder: u64,
    /// Facet values (`f/<folder>/values.bin`) and per-document value ids, chunked like doc-meta.
    pub facet_folder: u64,
    /// Checksum of the traditional → simplified table (`s/<hash>.bin`), fetched only when needed.
    pub folding_table: u64,
    /// How the documents' titles and text are coded.
    pub text_codes: TextCodes,
}

pub const MANIFEST_FILE: &str = "manifest.bin";

/// The name of document `doc` in the store folder `store_folder` (the writer knows it before the manifest).
pub fn document_name(store_folder: u64, doc: u32) -> String {
    format!("d/{}/{doc}.bin", format::hex(store_folder))
}

/// Posts an index may hold: the engine keeps a few bytes per post for browsing and duplicates, so a manifest
/// claiming more is refused rather than trusted with the memory.
pub const MAX_DOCUMENTS: u32 = 1 << 24;
/// Bounds of the doc-meta chunk size (the writer uses 16,384): tiny chunks would mean millions of files.
const META_CHUNK_RANGE: std::ops::RangeInclusive<u32> = 256..=(1 << 20);

impl Manifest {
    #[cfg(feature = "build")]
    pub fn encode(&self) -> Vec<u8> {
        use format::put_varint;
        let mut out = Vec::new();
        put_varint(&mut out, u64::from(self.doc_count));
        put_varint(&mut out, format::zigzag(self.newest_day));
        out.extend_from_slice(&self.recency_half_life_days.to_le_bytes());
        for average in self.average_lengths {
            out.extend_from_slice(&average.to_le_bytes());
        }
        out.extend_from_slice(&self.term_folder.to_le_bytes());
        put_varint(&mut out, self.first_keys.len() as u64);
        let mut previous: &[u8] = &[];
        for key in &self.first_keys {
            let shared = previous.iter().zip(key).take_while(|(a, b)| a == b).count();
            put_varint(&mut out, shared as u64);
            format::put_bytes(&mut out, &key[shared..]);
            previous = key;
        }
        out.extend_from_slice(&self.meta_folder.to_le_bytes());
        put_varint(&mut out, u64::from(self.docs_per_meta_chunk));
        out.extend_from_slice(&self.store_folder.to_le_bytes());
        out.extend_from_slice(&self.facet_folder.to_le_bytes());
        out.extend_from_slice(&self.folding_table.to_le_bytes());
        format::put_bytes(&mut out, self.text_codes.chars().iter().collect::<String>().as_bytes());
        out
    }

    pub fn decode(payload: &[u8]) -> Result<Manifest, Error> {
        let mut reader = Reader::new(MANIFEST_FILE, payload);
        let doc_count = reader.u32_varint()?;
        let newest_day = format::unzigzag(reader.varint()?).ok_or_else(|| reader.error("newest day out of range"))?;
        let recency_half_life_days = reader.f32_le()?;
        let mut average_lengths = [0f32; FIELDS];
        for average in &mut average_lengths {
            *average = reader.f32_le()?;
        }
        let term_folder = reader.u64_le()?;
        let chunk_count = reader.bounded(reader.remaining(), "chunk count")?;
        let mut first_keys: Vec<Vec<u8>> = Vec::with_capacity(chunk_count);
        // Prefix compression lets a few bytes stand for a long key; real keys are short, so the keys may not
        // expand to more than this, whatever the file says.
        let key_budget = payload.len().saturating_mul(16).saturating_add(1 << 16);
        let mut key_bytes = 0usize;
        for _ in 0..chunk_count {
            let previous = first_keys.last().map(Vec::as_slice).unwrap_or_default();
            let shared = reader.bounded(previous.len(), "shared key prefix")?;
            let suffix = reader.bytes()?;
            key_bytes = key_bytes.saturating_add(shared + suffix.len());
            if key_bytes > key_budget {
                return Err(reader.error("chunk keys expand beyond any real dictionary"));
            }
            let mut key = previous[..shared].to_vec();
            key.extend_from_slice(suffix);
            if first_keys.last().is_some_and(|last| *last >= key) {
                return Err(reader.error("chunk keys out of order"));
            }
            first_keys.push(key);
        }
        let meta_folder = reader.u64_le()?;
        let docs_per_meta_chunk = reader.u32_varint()?;
        let store_folder = reader.u64_le()?;
        let facet_folder = reader.u64_le()?;
        let folding_table = reader.u64_le()?;
        let text_codes = TextCodes::from_table(reader.str()?.chars().collect())
            .ok_or_else(|| reader.error("bad text code table"))?;
        if doc_count > MAX_DOCUMENTS {
            return Err(reader.error(format!("{doc_count} posts, more than the {MAX_DOCUMENTS} an index may hold")));
        }
        if !META_CHUNK_RANGE.contains(&docs_per_meta_chunk) || !reader.is_empty() || !recency_half_life_days.is_finite()
        {
            return Err(reader.error("inconsistent manifest"));
        }
        Ok(Manifest {
            doc_count,
            newest_day,
            recency_half_life_days,
            average_lengths,
            term_folder,
            first_keys,
            meta_folder,
            docs_per_meta_chunk,
            store_folder,
            facet_folder,
            folding_table,
            text_codes,
        })
    }

    /// The chunk that may hold `key`.
    pub fn chunk_for(&self, key: &[u8]) -> Option<usize> {
        self.first_keys.partition_point(|first| first.as_slice() <= key).checked_sub(1)
    }

    /// The chunks that may hold keys starting with `prefix`.
    pub fn chunks_for_prefix(&self, prefix: &[u8]) -> std::ops::Range<usize> {
        let start = self.chunk_for(prefix).unwrap_or(0);
        let end = self.first_keys.partition_point(|first| first.as_slice() < prefix || first.starts_with(prefix));
        start..end.max(start)
    }

    pub fn chunk_name(&self, chunk: usize) -> String {
        format!("t/{}/{chunk}.bin", format::hex(self.term_folder))
    }

    pub fn meta_chunk_name(&self, chunk: usize) -> String {
        format!("m/{}/{chunk}.bin", format::hex(self.meta_folder))
    }

    pub fn facet_values_name(&self) -> String {
        format!("f/{}/values.bin", format::hex(self.facet_folder))
    }

    pub fn facet_chunk_name(&self, chunk: usize) -> String {
        format!("f/{}/{chunk}.bin", format::hex(self.facet_folder))
    }

    pub fn folding_table_name(&self) -> String {
        format!("s/{}.bin", format::hex(self.folding_table))
    }

    pub fn document_name(&self, doc: u32) -> String {
        document_name(self.store_folder, doc)
    }
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    fn manifest() -> Manifest {
        Manifest {
            doc_count: 3,
            newest_day: 19_000,
            recency_half_life_days: 365.0,
            average_lengths: [10.0, 2.0, 400.0],
            term_folder: 1,
            first_keys: vec![b"b".to_vec(), b"bab".to_vec(), b"c".to_vec(), b"r".to_vec()],
            meta_folder: 2,
            docs_per_meta_chunk: 4096,
            store_folder: 3,
            facet_folder: 4,
            folding_table: 5,
            text_codes: TextCodes::from_counts([('的', 3), ('一', 2)]),
        }
    }

    #[test]
    fn round_trips_and_finds_chunks() {
        let m = manifest();
        assert_eq!(Manifest::decode(&m.encode()).unwrap(), m);
        assert_eq!(m.chunk_for(b"a"), None);
        assert_eq!(m.chunk_for(b"b"), Some(0));
        assert_eq!(m.chunk_for(b"ba"), Some(0));
        assert_eq!(m.chunk_for(b"bz"), Some(1));
        assert_eq!(m.chunk_for(b"zz"), Some(3));
        assert_eq!(m.chunks_for_prefix(b"b"), 0..2);
        assert_eq!(m.chunks_for_prefix(b"ba"), 0..2);
        assert_eq!(m.chunks_for_prefix(b"bb"), 1..2);
        assert_eq!(m.chunks_for_prefix(b"r"), 3..4);
        let bytes = m.encode();
        for cut in 0..bytes.len() {
            assert!(Manifest::decode(&bytes[..cut]).is_err());
        }
    }
}
