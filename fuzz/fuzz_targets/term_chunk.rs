//! `TermChunk::parse`, then exact and prefix lookups of arbitrary keys.
//!
//! Input: mode (1 byte), key length (1 byte), key, then by mode: even, a chunk payload as is (reaches the FST
//! reader with arbitrary bytes); odd, a chunk made here around a valid FST (keys and offsets from the input) and
//! arbitrary entry data, so that the fuzzer explores the entries past the FST. `JIANSUO_FUZZ_VALID_FST=1` makes
//! every input odd: the FST reader panics on malformed FSTs (reported), which would end every run at once.
#![no_main]

use jiansuo::format::put_varint;
use jiansuo::termdict::{DataRef, TermChunk};
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let [mode, key_len, rest @ ..] = data else { return };
    let (key, rest) = rest.split_at(usize::from(*key_len).min(rest.len()));
    static VALID_FST_ONLY: OnceLock<bool> = OnceLock::new();
    let valid_only = *VALID_FST_ONLY.get_or_init(|| std::env::var_os("JIANSUO_FUZZ_VALID_FST").is_some());
    let payload = if mode % 2 == 1 || valid_only { valid_fst_chunk(rest) } else { rest.to_vec() };
    let Ok(chunk) = TermChunk::parse("t/0/0.bin", &payload) else { return };
    let mut keys: Vec<&[u8]> = vec![key, b"", b"b", b"c", b"r", b"w"];
    keys.extend((0..key.len()).map(|n| &key[..n]));
    for key in keys {
        if let Ok(Some(info)) = chunk.get(key) {
            touch(&chunk, &info.doclist);
        }
        if let Ok(found) = chunk.prefixed(key) {
            for (_, info) in found {
                touch(&chunk, &info.doclist);
                if let Some(positions) = &info.positions {
                    touch(&chunk, positions);
                }
            }
        }
    }
});

/// `files (1 byte) | key count (1 byte) | count × (length byte, key, offset u16 LE) | entry data`.
fn valid_fst_chunk(input: &[u8]) -> Vec<u8> {
    let mut reader = input.iter().copied();
    let files = reader.next().unwrap_or(0) % 4;
    let count = reader.next().unwrap_or(0) % 32;
    let mut entries: Vec<(Vec<u8>, u64)> = Vec::new();
    for _ in 0..count {
        let len = usize::from(reader.next().unwrap_or(0) % 16);
        let key: Vec<u8> = reader.by_ref().take(len).collect();
        let offset = u64::from(u16::from_le_bytes([reader.next().unwrap_or(0), reader.next().unwrap_or(0)]));
        entries.push((key, offset));
    }
    entries.sort();
    entries.dedup_by(|a, b| a.0 == b.0);
    let mut builder = fst::MapBuilder::memory();
    for (key, offset) in &entries {
        builder.insert(key, *offset).expect("sorted unique keys");
    }
    let fst = builder.into_inner().expect("in-memory FST");
    let mut payload = Vec::new();
    put_varint(&mut payload, u64::from(files));
    payload.extend(std::iter::repeat_n(0u8, usize::from(files) * 8));
    jiansuo::format::put_bytes(&mut payload, &fst);
    payload.extend(reader);
    payload
}

fn touch(chunk: &TermChunk, data: &DataRef) {
    if let DataRef::Inline { start, len } = *data {
        if let Ok(bytes) = chunk.inline(start, len) {
            let _ = bytes.iter().map(|&b| usize::from(b)).sum::<usize>();
        }
    }
}
