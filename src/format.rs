//! The container every index file shares, and the integer codecs inside them.
//!
//! A bundle is read by browsers that trust nothing: every file starts with a header carrying a magic number, the
//! format version, the kind of file and a checksum of its payload, and every read inside a payload is
//! bounds-checked. Writer and reader both live here so the two can never drift apart.
//!
//! ```text
//! file    := magic "JSUO" | version u8 | kind u8 | checksum u64 (little endian, FNV-1a 64 of payload) | payload
//! varint  := LEB128, at most 10 bytes
//! ```
//! Files are deflate-compressed as written; the host inflates them before they reach [`open_file`].

use crate::error::Error;

pub const MAGIC: &[u8; 4] = b"JSUO";
/// Bumped whenever any file's layout changes; a bundle of another version is rejected as a whole.
pub const FORMAT_VERSION: u8 = 5;
const HEADER_LEN: usize = 4 + 1 + 1 + 8;

/// What a file holds; checked so that a file can never be mistaken for another kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
pub enum FileKind {
    Manifest = 1,
    TermChunk = 2,
    Postings = 3,
    DocMeta = 4,
    Document = 5,
    FacetValues = 6,
    FacetChunk = 7,
    FoldingTable = 8,
}

impl FileKind {
    fn from_byte(byte: u8) -> Option<FileKind> {
        Some(match byte {
            1 => FileKind::Manifest,
            2 => FileKind::TermChunk,
            3 => FileKind::Postings,
            4 => FileKind::DocMeta,
            5 => FileKind::Document,
            6 => FileKind::FacetValues,
            7 => FileKind::FacetChunk,
            8 => FileKind::FoldingTable,
            _ => return None,
        })
    }
}

/// The checksum of a payload, also the content hash in the names of postings files. FNV-1a (64 bits, seeded)
/// rather than a faster hash such as xxh64: the engine's hash maps use FNV already, so the checksum adds no code to
/// the wasm module (xxh64 was 0.5 kB of it deflated). It runs at about 1 GB/s natively (xxh64 at 22 GB/s): a query's
/// files (tens to hundreds of kB) are checked in a fraction of a millisecond, the heaviest (的) in 1.1 ms more than
/// with xxh64 (bench/perf/profile.mjs). 64 bits make a collision among a bundle's files unlikely (about
/// 10⁻¹⁰ for 60,000 files); the checksum detects damage, not a file made to hurt (the decoders check every read).
pub fn checksum(payload: &[u8]) -> u64 {
    use std::hash::Hasher;
    let mut hasher = fnv::FnvHasher::with_key(0x6a69_616e_7375_6f00);
    hasher.write(payload);
    hasher.finish()
}

/// Checks the header of `bytes` (an inflated file named `name`) and returns its payload and checksum.
pub fn open_file<'a>(name: &str, bytes: &'a [u8], expected: FileKind) -> Result<(&'a [u8], u64), Error> {
    if bytes.len() < HEADER_LEN || &bytes[..4] != MAGIC {
        return Err(Error::corrupt(name, "not a jiansuo index file (bad magic or truncated header)"));
    }
    if bytes[4] != FORMAT_VERSION {
        return Err(Error::VersionMismatch { file: name.to_string(), found: bytes[4], expected: FORMAT_VERSION });
    }
    match FileKind::from_byte(bytes[5]) {
        Some(kind) if kind == expected => {}
        _ => return Err(Error::corrupt(name, format!("expected a {expected:?} file, found kind {}", bytes[5]))),
    }
    let mut stored = [0u8; 8];
    stored.copy_from_slice(&bytes[6..14]);
    let stored = u64::from_le_bytes(stored);
    let payload = &bytes[HEADER_LEN..];
    if checksum(payload) != stored {
        return Err(Error::corrupt(name, "checksum mismatch (truncated or damaged file)"));
    }
    Ok((payload, stored))
}

/// Wraps a payload in the file header; returns the bytes (uncompressed) and the checksum.
#[cfg(feature = "build")]
pub fn seal_file(kind: FileKind, payload: &[u8]) -> (Vec<u8>, u64) {
    let sum = checksum(payload);
    let mut out = Vec::with_capacity(HEADER_LEN + payload.len());
    out.extend_from_slice(MAGIC);
    out.push(FORMAT_VERSION);
    out.push(kind as u8);
    out.extend_from_slice(&sum.to_le_bytes());
    out.extend_from_slice(payload);
    (out, sum)
}

/// The hex form of a checksum used in file names.
pub fn hex(sum: u64) -> String {
    format!("{sum:016x}")
}

pub fn put_varint(out: &mut Vec<u8>, mut value: u64) {
    while value >= 0x80 {
        out.push((value as u8 & 0x7f) | 0x80);
        value >>= 7;
    }
    out.push(value as u8);
}

/// Zigzag coding maps small negative and positive numbers to small unsigned ones, for varints.
pub fn zigzag(v: i32) -> u64 {
    u64::from(((v << 1) ^ (v >> 31)) as u32)
}

pub fn unzigzag(v: u64) -> Option<i32> {
    let v = u32::try_from(v).ok()?;
    Some(((v >> 1) as i32) ^ -((v & 1) as i32))
}

pub fn put_bytes(out: &mut Vec<u8>, bytes: &[u8]) {
    put_varint(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// A bounds-checked cursor over a payload; every error names the file it reads.
#[derive(Clone)]
pub struct Reader<'a> {
    file: &'a str,
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> Reader<'a> {
    pub fn new(file: &'a str, bytes: &'a [u8]) -> Self {
        Reader { file, bytes, pos: 0 }
    }

    pub fn file(&self) -> &'a str {
        self.file
    }

    pub fn is_empty(&self) -> bool {
        self.pos >= self.bytes.len()
    }

    pub fn position(&self) -> usize {
        self.pos
    }

    pub fn error(&self, what: impl Into<String>) -> Error {
        Error::corrupt(self.file, format!("{} at byte {}", what.into(), self.pos))
    }

    pub fn u8(&mut self) -> Result<u8, Error> {
        let byte = *self.bytes.get(self.pos).ok_or_else(|| self.error("unexpected end of data"))?;
        self.pos += 1;
        Ok(byte)
    }

    pub fn u64_le(&mut self) -> Result<u64, Error> {
        let raw = self.take(8)?;
        let mut buf = [0u8; 8];
        buf.copy_from_slice(raw);
        Ok(u64::from_le_bytes(buf))
    }

    pub fn f32_le(&mut self) -> Result<f32, Error> {
        let raw = self.take(4)?;
        let mut buf = [0u8; 4];
        buf.copy_from_slice(raw);
        Ok(f32::from_le_bytes(buf))
    }

    pub fn varint(&mut self) -> Result<u64, Error> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let byte = self.u8()?;
            value |= u64::from(byte & 0x7f) << shift;
            if byte & 0x80 == 0 {
                if shift == 63 && byte > 1 {
                    break;
                }
                return Ok(value);
            }
        }
        Err(self.error("varint overflows 64 bits"))
    }

    /// A varint that must fit `usize` and be at most `limit`, typically the bytes or items left.
    pub fn bounded(&mut self, limit: usize, what: &str) -> Result<usize, Error> {
        let value = self.varint()?;
        if value > limit as u64 {
            return Err(self.error(format!("{what} {value} exceeds {limit}")));
        }
        Ok(value as usize)
    }

    pub fn u32_varint(&mut self) -> Result<u32, Error> {
        let value = self.varint()?;
        u32::try_from(value).map_err(|_| self.error("value exceeds 32 bits"))
    }

    pub fn take(&mut self, len: usize) -> Result<&'a [u8], Error> {
        let end = self.pos.checked_add(len).filter(|&end| end <= self.bytes.len());
        let end = end.ok_or_else(|| self.error(format!("{len} bytes wanted, {} left", self.remaining())))?;
        let slice = &self.bytes[self.pos..end];
        self.pos = end;
        Ok(slice)
    }

    pub fn bytes(&mut self) -> Result<&'a [u8], Error> {
        let len = self.bounded(self.remaining(), "length")?;
        self.take(len)
    }

    pub fn str(&mut self) -> Result<&'a str, Error> {
        let raw = self.bytes()?;
        std::str::from_utf8(raw).map_err(|_| self.error("invalid UTF-8 in string"))
    }

    pub fn remaining(&self) -> usize {
        self.bytes.len().saturating_sub(self.pos)
    }

    pub fn rest(&mut self) -> &'a [u8] {
        let rest = &self.bytes[self.pos.min(self.bytes.len())..];
        self.pos = self.bytes.len();
        rest
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varints_round_trip_and_reject_garbage() {
        let values = [0u64, 1, 127, 128, 300, 1 << 32, u64::MAX];
        let mut out = Vec::new();
        for v in values {
            put_varint(&mut out, v);
        }
        let mut reader = Reader::new("x", &out);
        for v in values {
            assert_eq!(reader.varint().unwrap(), v);
        }
        assert!(reader.is_empty());
        assert!(Reader::new("x", &[0xff; 11]).varint().is_err());
        assert!(Reader::new("x", &[0x80]).varint().is_err());
    }

    #[cfg(feature = "build")]
    #[test]
    fn header_detects_damage() {
        let (bytes, sum) = seal_file(FileKind::Postings, b"payload");
        assert_eq!(open_file("p", &bytes, FileKind::Postings).unwrap(), (&b"payload"[..], sum));
        assert!(matches!(open_file("p", &bytes, FileKind::Manifest), Err(Error::CorruptFile { .. })));
        let mut damaged = bytes.clone();
        *damaged.last_mut().unwrap() ^= 1;
        assert!(open_file("p", &damaged, FileKind::Postings).is_err());
        assert!(open_file("p", &bytes[..bytes.len() - 1], FileKind::Postings).is_err());
        let mut other_version = bytes.clone();
        other_version[4] = FORMAT_VERSION + 1;
        assert!(matches!(open_file("p", &other_version, FileKind::Postings), Err(Error::VersionMismatch { .. })));
    }
}
