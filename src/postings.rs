//! Posting lists: which documents contain a term, how often per field, and (for bigrams) where.
//!
//! Doc lists and position lists are stored apart because most queries need only the former: a keyword of one or
//! two characters is answered from doc lists alone; positions are fetched only to verify longer keywords.
//!
//! ```text
//! doclist   := df × posting                      (df, the count, is in the term's dictionary entry)
//! posting   := gap << 1 | 1 varint                                   once in the text only (most postings)
//!            | gap << 1 varint, packed varint (body_tf << 2 | has_title << 1 | has_meta),
//!              [title_tf varint], [meta_tf varint]                   otherwise
//!              gap: the first posting's id, then id − previous − 1
//! positions := for each posting, for each field with tf > 0 (title, meta, body): tf positions, delta-coded
//! ```
//!
//! Three postings in four of a bigram's are one occurrence in the text and nowhere else: the flag makes them
//! one varint. With the count left to the entry, the 45k corpus's bundle is 2.7 MB (3.3 %) smaller as written.

use crate::format::Reader;
use crate::Error;

/// Fields of a document, in the order they are stored.
pub const TITLE: usize = 0;
pub const META: usize = 1;
pub const BODY: usize = 2;
pub const FIELDS: usize = 3;

pub type FieldFreqs = [u32; FIELDS];

/// The frequencies of most postings, coded as a flag.
const ONCE_IN_TEXT: FieldFreqs = [0, 0, 1];

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Posting {
    pub doc: u32,
    pub freqs: FieldFreqs,
}

/// Appends the postings of a doc list; its count goes in the dictionary entry.
#[cfg(feature = "build")]
pub fn encode_doclist(postings: &[Posting], out: &mut Vec<u8>) {
    let mut next = 0u32;
    for posting in postings {
        encode_posting(out, posting.doc - next, &posting.freqs);
        next = posting.doc + 1;
    }
}

/// Appends one posting: the gap to the previous id + 1, then the frequencies.
#[cfg(feature = "build")]
pub fn encode_posting(out: &mut Vec<u8>, doc_gap: u32, freqs: &FieldFreqs) {
    use crate::format::put_varint;
    let [title, meta, body] = *freqs;
    let once_in_text = *freqs == ONCE_IN_TEXT;
    put_varint(out, u64::from(doc_gap) << 1 | u64::from(once_in_text));
    if once_in_text {
        return;
    }
    put_varint(out, u64::from(body) << 2 | u64::from(title > 0) << 1 | u64::from(meta > 0));
    if title > 0 {
        put_varint(out, u64::from(title));
    }
    if meta > 0 {
        put_varint(out, u64::from(meta));
    }
}

/// Decodes a doc list of `count` postings (the term's document frequency), checking ids stay below `doc_count`.
pub fn decode_doclist(reader: &mut Reader<'_>, count: u32, doc_count: u32) -> Result<Vec<Posting>, Error> {
    // Each posting takes at least a byte: never reserve more than the data can hold.
    if count > doc_count || count as usize > reader.remaining() {
        return Err(reader.error("more postings than fit"));
    }
    let mut postings = Vec::with_capacity(count as usize);
    let mut next = 0u64;
    for _ in 0..count {
        let gap_and_flag = reader.varint()?;
        // At most 2^32 + 2^63: no overflow.
        let doc = next + (gap_and_flag >> 1);
        if doc >= u64::from(doc_count) {
            return Err(reader.error(format!("document id {doc} out of range")));
        }
        next = doc + 1;
        if gap_and_flag & 1 != 0 {
            postings.push(Posting { doc: doc as u32, freqs: ONCE_IN_TEXT });
            continue;
        }
        let packed = reader.varint()?;
        let body = u32::try_from(packed >> 2).map_err(|_| reader.error("frequency overflow"))?;
        let title = if packed & 2 != 0 { reader.u32_varint()? } else { 0 };
        let meta = if packed & 1 != 0 { reader.u32_varint()? } else { 0 };
        postings.push(Posting { doc: doc as u32, freqs: [title, meta, body] });
    }
    Ok(postings)
}

#[cfg(feature = "build")]
pub fn encode_positions(per_posting: &[[Vec<u32>; FIELDS]], out: &mut Vec<u8>) {
    for fields in per_posting {
        encode_posting_positions(out, fields);
    }
}

/// Appends the positions of one posting, field by field, delta-coded.
#[cfg(feature = "build")]
pub fn encode_posting_positions(out: &mut Vec<u8>, fields: &[Vec<u32>; FIELDS]) {
    for positions in fields {
        let mut previous = 0;
        for &p in positions {
            crate::format::put_varint(out, u64::from(p - previous));
            previous = p;
        }
    }
}

/// Positions of one term, aligned with its doc list.
#[derive(Debug, Clone, Default)]
pub struct PositionLists {
    /// `starts[i * FIELDS + f]..starts[i * FIELDS + f + 1]` indexes `data` for posting `i`, field `f`.
    starts: Vec<u32>,
    data: Vec<u32>,
}

impl PositionLists {
    pub fn decode(reader: &mut Reader<'_>, postings: &[Posting]) -> Result<PositionLists, Error> {
        let total: u64 = postings.iter().flat_map(|p| p.freqs).map(u64::from).sum();
        if total > reader.remaining() as u64 {
            return Err(reader.error("position list shorter than its doc list says"));
        }
        let mut lists = PositionLists { starts: Vec::with_capacity(postings.len() * FIELDS + 1), data: Vec::new() };
        lists.data.reserve(total as usize);
        lists.starts.push(0);
        for posting in postings {
            for &freq in &posting.freqs {
                let mut position = 0u32;
                for _ in 0..freq {
                    position =
                        position.checked_add(reader.u32_varint()?).ok_or_else(|| reader.error("position overflow"))?;
                    lists.data.push(position);
                }
                lists.starts.push(lists.data.len() as u32);
            }
        }
        Ok(lists)
    }

    pub fn get(&self, posting: usize, field: usize) -> &[u32] {
        let i = posting * FIELDS + field;
        match (self.starts.get(i), self.starts.get(i + 1)) {
            (Some(&start), Some(&end)) => &self.data[start as usize..end as usize],
            _ => &[],
        }
    }
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    #[test]
    fn doclists_and_positions_round_trip() {
        let postings = vec![
            Posting { doc: 0, freqs: [1, 0, 2] },
            Posting { doc: 7, freqs: [0, 1, 0] },
            Posting { doc: 8, freqs: [0, 0, 300] },
        ];
        let positions = vec![
            [vec![3], vec![], vec![0, 9]],
            [vec![], vec![2], vec![]],
            [vec![], vec![], (0..300).map(|i| i * 5).collect()],
        ];
        let mut doclist = Vec::new();
        encode_doclist(&postings, &mut doclist);
        let decoded = decode_doclist(&mut Reader::new("d", &doclist), 3, 9).unwrap();
        assert_eq!(decoded, postings);
        assert!(decode_doclist(&mut Reader::new("d", &doclist), 3, 8).is_err());
        assert!(decode_doclist(&mut Reader::new("d", &doclist), 4, 9).is_err());
        let mut encoded = Vec::new();
        encode_positions(&positions, &mut encoded);
        let lists = PositionLists::decode(&mut Reader::new("p", &encoded), &postings).unwrap();
        assert_eq!(lists.get(0, BODY), &[0, 9]);
        assert_eq!(lists.get(1, META), &[2]);
        assert_eq!(lists.get(2, BODY).len(), 300);
        assert!(PositionLists::decode(&mut Reader::new("p", &encoded[..10]), &postings).is_err());
    }

    #[test]
    fn a_posting_once_in_the_text_is_one_byte() {
        let postings = [Posting { doc: 5, freqs: ONCE_IN_TEXT }, Posting { doc: 6, freqs: ONCE_IN_TEXT }];
        let mut doclist = Vec::new();
        encode_doclist(&postings, &mut doclist);
        assert_eq!(doclist, [5 << 1 | 1, 1]);
        assert_eq!(decode_doclist(&mut Reader::new("d", &doclist), 2, 7).unwrap(), postings);
    }
}
