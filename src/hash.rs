//! The engine's hash map, with FNV-1a. (It has one type of them: each is 2–3 KB of the wasm module.)
//!
//! Its keys are the bundle's own file names, so std's SipHash with random keys buys nothing.
//! rustc-hash's FxHasher would do, but its byte hashing unwraps slice conversions, which keeps Debug formatting in
//! the wasm module: this loop is 0.9 KiB smaller there, compressed.

use std::hash::{BuildHasherDefault, Hasher};

pub type HashMap<K, V> = std::collections::HashMap<K, V, BuildHasherDefault<Fnv>>;

pub struct Fnv(u64);

impl Default for Fnv {
    fn default() -> Fnv {
        Fnv(0xcbf2_9ce4_8422_2325)
    }
}

impl Hasher for Fnv {
    fn write(&mut self, bytes: &[u8]) {
        for &byte in bytes {
            self.0 = (self.0 ^ u64::from(byte)).wrapping_mul(0x100_0000_01b3);
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}
