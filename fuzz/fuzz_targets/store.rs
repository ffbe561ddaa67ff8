//! The decoders of documents, doc-meta chunks and facet files on the same bytes; what decodes must survive a
//! round trip through its encoder.
#![no_main]

use jiansuo::facet::{FacetChunk, FacetValues};
use jiansuo::store::{DocMeta, StoredDocument};
use jiansuo::textcode::TextCodes;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let codes = TextCodes::from_table("的一是在不了有和人这".chars().collect()).expect("a valid table");
    if let Ok(doc) = StoredDocument::decode("d/0/0.bin", data, &codes) {
        assert_eq!(StoredDocument::decode("d/0/0.bin", &doc.encode(&codes), &codes).as_ref(), Ok(&doc));
    }
    if let Ok(meta) = DocMeta::decode("m/0/0.bin", data) {
        assert_eq!(meta.len(), meta.days.len());
        assert_eq!(DocMeta::decode("m/0/0.bin", &meta.encode()).as_ref(), Ok(&meta));
    }
    if let Ok(values) = FacetValues::decode("f/0/values.bin", data) {
        assert_eq!(FacetValues::decode("f/0/values.bin", &values.encode()).as_ref(), Ok(&values));
    }
    if let Ok(chunk) = FacetChunk::decode("f/0/0.bin", data) {
        assert_eq!(FacetChunk::decode("f/0/0.bin", &chunk.encode()).as_ref(), Ok(&chunk));
    }
});
