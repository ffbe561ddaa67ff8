//! Facets: the categories and tags of the posts, to filter results and to count them per value.
//!
//! Only the filter panel needs them, so they live in files of their own, fetched when a query filters by category
//! or tag or asks for counts: one file listing every value, and chunks by doc-id range (like doc-meta) giving each
//! post's value ids. Counting is then a pass over the matching ids of the chunks.
//!
//! ```text
//! values := category-count varint, str…, tag-count varint, str…
//! chunk  := first-id varint, count varint, count × (n varint, n × category id varint, m varint, m × tag id varint)
//! ```

use crate::format::Reader;
use crate::Error;

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetValues {
    pub categories: Vec<String>,
    pub tags: Vec<String>,
}

impl FacetValues {
    #[cfg(feature = "build")]
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::new();
        for list in [&self.categories, &self.tags] {
            crate::format::put_varint(&mut out, list.len() as u64);
            for value in list {
                crate::format::put_bytes(&mut out, value.as_bytes());
            }
        }
        out
    }

    pub fn decode(name: &str, payload: &[u8]) -> Result<FacetValues, Error> {
        let mut reader = Reader::new(name, payload);
        let mut values = FacetValues::default();
        for list in [&mut values.categories, &mut values.tags] {
            let count = reader.bounded(reader.remaining(), "value count")?;
            for _ in 0..count {
                list.push(reader.str()?.to_string());
            }
        }
        if !reader.is_empty() {
            return Err(reader.error("trailing bytes"));
        }
        Ok(values)
    }
}

/// The value ids of a range of documents.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FacetChunk {
    pub first: u32,
    /// Per document: (category ids, tag ids).
    pub documents: Vec<(Vec<u32>, Vec<u32>)>,
}

impl FacetChunk {
    #[cfg(feature = "build")]
    pub fn encode(&self) -> Vec<u8> {
        use crate::format::put_varint;
        let mut out = Vec::new();
        put_varint(&mut out, u64::from(self.first));
        put_varint(&mut out, self.documents.len() as u64);
        for (categories, tags) in &self.documents {
            for ids in [categories, tags] {
                put_varint(&mut out, ids.len() as u64);
                for &id in ids {
                    put_varint(&mut out, u64::from(id));
                }
            }
        }
        out
    }

    /// Decodes a chunk; its ids are checked against the values where they are used.
    pub fn decode(name: &str, payload: &[u8]) -> Result<FacetChunk, Error> {
        let mut reader = Reader::new(name, payload);
        let first = reader.u32_varint()?;
        let count = reader.bounded(reader.remaining() / 2, "document count")?;
        if u64::from(first) + count as u64 > 1 << 32 {
            return Err(reader.error("document ids beyond the 32-bit range"));
        }
        let mut documents = Vec::with_capacity(count);
        for _ in 0..count {
            let mut ids = || -> Result<Vec<u32>, Error> {
                let n = reader.bounded(reader.remaining(), "value count")?;
                (0..n).map(|_| reader.u32_varint()).collect()
            };
            let categories = ids()?;
            let tags = ids()?;
            documents.push((categories, tags));
        }
        if !reader.is_empty() {
            return Err(reader.error("trailing bytes"));
        }
        Ok(FacetChunk { first, documents })
    }
}

/// How many results have a value.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FacetCount {
    pub value: String,
    pub count: usize,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct Facets {
    pub categories: Vec<FacetCount>,
    pub tags: Vec<FacetCount>,
}

/// Counts per value id, turned into counts per value, most frequent first (ties by value: ids are in value order).
pub fn counts(counts: &[usize], names: &[String]) -> Vec<FacetCount> {
    let mut keys: Vec<u64> = counts
        .iter()
        .enumerate()
        .filter(|(_, &count)| count > 0)
        .map(|(id, &count)| (u64::from(!(count as u32)) << 32) | id as u64)
        .collect();
    crate::sort::sort_u64(&mut keys);
    keys.into_iter()
        .filter_map(|key| {
            let id = (key & 0xFFFF_FFFF) as usize;
            Some(FacetCount { value: names.get(id)?.clone(), count: *counts.get(id)? })
        })
        .collect()
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    #[test]
    fn round_trip_and_bounds() {
        let values = FacetValues { categories: vec!["财经".into(), "科技".into()], tags: vec!["a".into()] };
        assert_eq!(FacetValues::decode("v", &values.encode()).unwrap(), values);
        let chunk = FacetChunk { first: 8192, documents: vec![(vec![0, 1], vec![0]), (vec![], vec![])] };
        assert_eq!(FacetChunk::decode("f", &chunk.encode()).unwrap(), chunk);
        assert!(FacetChunk::decode("f", &chunk.encode()[..5]).is_err());
        let counted = counts(&[1, 3], &values.categories);
        assert_eq!(counted[0], FacetCount { value: "科技".into(), count: 3 });
    }
}
