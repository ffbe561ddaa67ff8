//! The document store: what a result shows, and what ranking needs to know about every document.
//!
//! Two kinds of files, so each is fetched only when needed:
//! - one *document* file per post (`d/<store-hash>/<id>.bin`): URL, title, date, categories, tags and text, fetched
//!   only for the results shown (the text makes the excerpt);
//! - *doc-meta* chunks (`m/<hash>/<n>.bin`), each covering a fixed range of ids: one byte per post packing its
//!   title length and quantized body length (BM25's length normalization), the days of the posts (recency prior,
//!   date ranges) and which posts repeat a newer post's story. Every relevance query reads them for all its
//!   candidates, so they are kept to about a byte per post.
//!
//! ```text
//! document := url str, title coded, date str, category-count varint, str…, tag-count varint, str…,
//!             text coded, needs-folding u8 (1 when the post contains traditional characters)
//! coded    := byte-length varint, the text's codes (see crate::textcode; the table is in the manifest)
//! docmeta  := first-id varint, count varint, count × norm u8 (title length class << 5 | body length class),
//!             run-count varint, run-count × (day zigzag varint, run-length varint), each run's day but the
//!             first as its difference to the run before (a chunk's runs mostly count down one day at a time),
//!             duplicate-count varint, duplicate-count × (id gap varint, id − its story's newest post id varint)
//! ```
//! Ids are assigned newest first, so days never increase along a chunk and the runs are few.

use crate::format::Reader;
use crate::textcode::TextCodes;
use crate::Error;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StoredDocument {
    pub url: String,
    pub title: String,
    pub date: String,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub text: String,
    /// The post contains traditional characters: its excerpt needs the folding table.
    pub needs_folding: bool,
}

impl StoredDocument {
    #[cfg(feature = "build")]
    pub fn encode(&self, codes: &TextCodes) -> Vec<u8> {
        use crate::format::{put_bytes, put_varint};
        let mut out = Vec::with_capacity(self.text.len() + self.title.len() + 128);
        let mut coded = Vec::with_capacity(self.text.len());
        let mut put_coded = |out: &mut Vec<u8>, text: &str| {
            coded.clear();
            codes.encode(text, &mut coded);
            put_bytes(out, &coded);
        };
        put_bytes(&mut out, self.url.as_bytes());
        put_coded(&mut out, &self.title);
        put_bytes(&mut out, self.date.as_bytes());
        for list in [&self.categories, &self.tags] {
            put_varint(&mut out, list.len() as u64);
            for item in list {
                put_bytes(&mut out, item.as_bytes());
            }
        }
        put_coded(&mut out, &self.text);
        out.push(u8::from(self.needs_folding));
        out
    }

    pub fn decode(name: &str, payload: &[u8], codes: &TextCodes) -> Result<StoredDocument, Error> {
        let mut reader = Reader::new(name, payload);
        let url = reader.str()?.to_string();
        let coded = reader.bytes()?;
        let title = codes.decode(coded, |what| reader.error(what))?;
        let mut doc = StoredDocument { url, title, date: reader.str()?.to_string(), ..Default::default() };
        for list in [&mut doc.categories, &mut doc.tags] {
            let count = reader.bounded(reader.remaining(), "list length")?;
            for _ in 0..count {
                list.push(reader.str()?.to_string());
            }
        }
        let coded = reader.bytes()?;
        doc.text = codes.decode(coded, |what| reader.error(what))?;
        doc.needs_folding = match reader.u8()? {
            0 => false,
            1 => true,
            _ => return Err(reader.error("bad folding flag")),
        };
        if !reader.is_empty() {
            return Err(reader.error("trailing bytes after document"));
        }
        Ok(doc)
    }
}

/// Body lengths are stored in 5 bits as `round(log_1.4(len + 1))` (up to about 34,000 tokens, within ±18 %);
/// BM25 only needs a length's order of magnitude.
const LENGTH_BASE: f64 = 1.4;
const BODY_CLASSES: u8 = 31;
/// Title lengths are exact up to this many tokens; longer ones share the top class.
pub const TITLE_EXACT_MAX: u32 = 6;

/// Packs a document's title and body lengths (in tokens) into its norm byte.
pub fn pack_norm(title_length: u32, body_length: u32) -> u8 {
    let body = ((f64::from(body_length) + 1.0).ln() / LENGTH_BASE.ln()).round().min(f64::from(BODY_CLASSES)) as u8;
    let title = title_length.min(TITLE_EXACT_MAX + 1) as u8;
    title << 5 | body
}

/// The title length (None when longer than [`TITLE_EXACT_MAX`]) and approximate body length of a norm byte.
pub fn unpack_norm(norm: u8) -> (Option<u32>, f32) {
    let title = u32::from(norm >> 5);
    let body = (LENGTH_BASE.powi(i32::from(norm & BODY_CLASSES)) - 1.0) as f32;
    ((title <= TITLE_EXACT_MAX).then_some(title), body)
}

/// Ranking data of a range of documents.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DocMeta {
    pub first: u32,
    /// Per post, see [`pack_norm`].
    pub norms: Vec<u8>,
    pub days: Vec<i32>,
    /// Posts of this range that repeat a story told by a newer post: (id, the newest post's id), by id.
    pub duplicates: Vec<(u32, u32)>,
}

impl DocMeta {
    /// The newest post telling the same story as `doc` (itself when it is the newest or unique).
    pub fn story_of(&self, doc: u32) -> u32 {
        match self.duplicates.binary_search_by_key(&doc, |&(d, _)| d) {
            Ok(i) => self.duplicates[i].1,
            Err(_) => doc,
        }
    }

    pub fn len(&self) -> usize {
        self.norms.len()
    }

    pub fn is_empty(&self) -> bool {
        self.norms.is_empty()
    }

    #[cfg(feature = "build")]
    pub fn encode(&self) -> Vec<u8> {
        use crate::format::put_varint;
        let mut out = Vec::with_capacity(self.len() * 2 + 64);
        put_varint(&mut out, u64::from(self.first));
        put_varint(&mut out, self.len() as u64);
        out.extend_from_slice(&self.norms);
        let mut runs: Vec<(i32, u64)> = Vec::new();
        for &day in &self.days {
            match runs.last_mut() {
                Some((d, n)) if *d == day => *n += 1,
                _ => runs.push((day, 1)),
            }
        }
        put_varint(&mut out, runs.len() as u64);
        let mut previous = 0;
        for (day, n) in runs {
            put_varint(&mut out, crate::format::zigzag(day.wrapping_sub(previous)));
            put_varint(&mut out, n);
            previous = day;
        }
        put_varint(&mut out, self.duplicates.len() as u64);
        let mut next = self.first;
        for &(doc, story) in &self.duplicates {
            put_varint(&mut out, u64::from(doc - next));
            put_varint(&mut out, u64::from(doc - story));
            next = doc + 1;
        }
        out
    }

    pub fn decode(name: &str, payload: &[u8]) -> Result<DocMeta, Error> {
        let mut reader = Reader::new(name, payload);
        let first = reader.u32_varint()?;
        let count = reader.bounded(reader.remaining(), "document count")?;
        if u64::from(first) + count as u64 > 1 << 32 {
            return Err(reader.error("document ids beyond the 32-bit range"));
        }
        let norms = reader.take(count)?.to_vec();
        let run_count = reader.bounded(count, "day run count")?;
        let mut days = Vec::with_capacity(count);
        let mut previous = 0i32;
        for _ in 0..run_count {
            let difference =
                crate::format::unzigzag(reader.varint()?).ok_or_else(|| reader.error("day out of range"))?;
            let day = previous.wrapping_add(difference);
            previous = day;
            let n = reader.bounded(count - days.len(), "day run length")?;
            days.extend(std::iter::repeat_n(day, n));
        }
        if days.len() != count {
            return Err(reader.error("day runs do not cover the documents"));
        }
        let duplicate_count = reader.bounded(count, "duplicate count")?;
        let mut duplicates = Vec::with_capacity(duplicate_count);
        let end = u64::from(first) + count as u64;
        let mut next = u64::from(first);
        for _ in 0..duplicate_count {
            let doc = next.checked_add(reader.varint()?).ok_or_else(|| reader.error("document id overflow"))?;
            let distance = reader.varint()?;
            if doc >= end || distance == 0 || distance > doc {
                return Err(reader.error("duplicate entry out of range"));
            }
            duplicates.push((doc as u32, (doc - distance) as u32));
            next = doc + 1;
        }
        if !reader.is_empty() {
            return Err(reader.error("trailing bytes"));
        }
        Ok(DocMeta { first, norms, days, duplicates })
    }
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    #[test]
    fn documents_round_trip() {
        let doc = StoredDocument {
            url: "/2024/01/02/a.html".into(),
            title: "标题 <b>".into(),
            date: "2024-01-02T08:00:00+08:00".into(),
            categories: vec!["财经".into()],
            tags: vec!["a".into(), "b".into()],
            text: "正文".into(),
            needs_folding: true,
        };
        let codes = TextCodes::from_counts("正文标题".chars().map(|c| (c, 1)));
        let bytes = doc.encode(&codes);
        assert_eq!(StoredDocument::decode("d", &bytes, &codes).unwrap(), doc);
        for cut in 0..bytes.len() {
            assert!(StoredDocument::decode("d", &bytes[..cut], &codes).is_err());
        }
    }

    #[test]
    fn doc_meta_round_trips() {
        let meta = DocMeta {
            first: 4096,
            norms: vec![pack_norm(10, 500), 0, 255, 1, 2, 3],
            days: vec![19800, 19800, -3, i32::MAX, i32::MIN, 0],
            duplicates: vec![(4097, 12), (4098, 4096)],
        };
        assert_eq!(meta.story_of(4097), 12);
        assert_eq!(meta.story_of(4096), 4096);
        assert_eq!(DocMeta::decode("m", &meta.encode()).unwrap(), meta);
        let (title, body) = unpack_norm(pack_norm(4, 500));
        assert_eq!(title, Some(4));
        assert!((body - 500.0).abs() / 500.0 < 0.2, "{body}");
        assert_eq!(unpack_norm(pack_norm(7, 0)), (None, 0.0));
        assert_eq!(unpack_norm(pack_norm(0, 0)), (Some(0), 0.0));
    }
}
