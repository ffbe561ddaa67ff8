//! `decode_doclist` and `PositionLists::decode` on what follows it. Input: doc count (u32 LE), posting count
//! (u32 LE), then the lists.
#![no_main]

use jiansuo::format::Reader;
use jiansuo::postings::{decode_doclist, PositionLists, FIELDS};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((doc_count, rest)) = data.split_first_chunk::<4>() else { return };
    let Some((posting_count, bytes)) = rest.split_first_chunk::<4>() else { return };
    let doc_count = u32::from_le_bytes(*doc_count);
    let posting_count = u32::from_le_bytes(*posting_count);
    let mut reader = Reader::new("p/0.bin", bytes);
    let Ok(postings) = decode_doclist(&mut reader, posting_count, doc_count) else { return };
    assert_eq!(postings.len(), posting_count as usize);
    assert!(postings.windows(2).all(|w| w[0].doc < w[1].doc), "doc ids ascend");
    assert!(postings.iter().all(|p| p.doc < doc_count));
    let Ok(lists) = PositionLists::decode(&mut reader, &postings) else { return };
    for (i, posting) in postings.iter().enumerate() {
        for field in 0..FIELDS {
            assert_eq!(lists.get(i, field).len(), posting.freqs[field] as usize);
        }
    }
    let _ = lists.get(postings.len(), 0);
});
