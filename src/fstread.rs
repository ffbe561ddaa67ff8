//! Reading a dictionary chunk's FST (as `fst` 0.4.7 writes it) without the `fst` crate.
//!
//! The engine asks an FST for two things only: the value of a key, and the keys under a prefix in order. Both are
//! short walks over [`crate::fstcheck`]'s node decoder, where `fst`'s reader and streams were 6 KB of the wasm
//! module. The bytes are checked by [`crate::fstcheck::check`] first (every edge goes to a lower address, so walks
//! end; no output sum overflows), and every read here is bounds-checked all the same.

use crate::fstcheck::{check, Node};

pub struct Fst {
    bytes: Vec<u8>,
    version: u64,
    root: usize,
    keys: u64,
    key_bytes: u64,
}

impl Fst {
    pub fn new(bytes: Vec<u8>) -> Result<Fst, &'static str> {
        let checked = check(&bytes)?;
        Ok(Fst {
            bytes,
            version: checked.version,
            root: checked.root,
            keys: checked.keys,
            key_bytes: checked.key_bytes,
        })
    }

    /// How many keys the FST holds (checked against its nodes).
    pub fn len(&self) -> u64 {
        self.keys
    }

    /// The bytes of all its keys together (saturating): what listing every key would copy.
    pub fn key_bytes(&self) -> u64 {
        self.key_bytes
    }

    fn node(&self, addr: usize) -> Result<Node, &'static str> {
        Node::decode(&self.bytes, self.version, addr)
    }

    /// The node reached by `key` and the sum of the outputs on the way, if any.
    fn walk(&self, key: &[u8]) -> Result<Option<(Node, u64)>, &'static str> {
        let mut node = self.node(self.root)?;
        let mut sum = 0u64;
        for &byte in key {
            let Some(&(_, target, output)) = node.transitions.iter().find(|t| t.0 == byte) else { return Ok(None) };
            sum = sum.wrapping_add(output);
            node = self.node(target)?;
        }
        Ok(Some((node, sum)))
    }

    /// The value of `key`.
    pub fn get(&self, key: &[u8]) -> Result<Option<u64>, &'static str> {
        Ok(self.walk(key)?.and_then(|(node, sum)| node.is_final.then(|| sum.wrapping_add(node.final_output))))
    }

    /// Every key starting with `prefix` and its value, in key order.
    pub fn prefixed(&self, prefix: &[u8]) -> Result<Vec<(Vec<u8>, u64)>, &'static str> {
        let Some((start, sum)) = self.walk(prefix)? else { return Ok(Vec::new()) };
        let mut found = Vec::new();
        let mut key = prefix.to_vec();
        if start.is_final {
            found.push((key.clone(), sum.wrapping_add(start.final_output)));
        }
        // Depth first, transitions in input order: a key comes before the longer keys it starts.
        // Each entry: a node, its next transition, the output sum up to it; all but the first added a byte to `key`.
        let mut stack = vec![(start, 0usize, sum)];
        while let Some((node, next, sum)) = stack.last_mut() {
            let Some(&(input, target, output)) = node.transitions.get(*next) else {
                stack.pop();
                if !stack.is_empty() {
                    key.pop();
                }
                continue;
            };
            *next += 1;
            let sum = sum.wrapping_add(output);
            let child = self.node(target)?;
            key.push(input);
            if child.is_final {
                found.push((key.clone(), sum.wrapping_add(child.final_output)));
            }
            stack.push((child, 0, sum));
        }
        Ok(found)
    }
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;
    use fst::{IntoStreamer, Streamer};

    fn both(keys: &[Vec<u8>]) -> (Fst, fst::Map<Vec<u8>>) {
        let mut builder = fst::MapBuilder::memory();
        for (i, key) in keys.iter().enumerate() {
            // Outputs of every size, some shared prefixes with different sums.
            builder.insert(key, (i as u64).wrapping_mul(0x9E37_79B9) >> (i % 60)).unwrap();
        }
        let bytes = builder.into_inner().unwrap();
        (Fst::new(bytes.clone()).unwrap(), fst::Map::new(bytes).unwrap())
    }

    fn keys(seed: u32, count: u32) -> Vec<Vec<u8>> {
        let mut keys: Vec<Vec<u8>> = (0..count)
            .map(|i| {
                let n = (i.wrapping_mul(2_654_435_761) ^ seed) % 100_003;
                // Common inputs, other ASCII, multi-byte UTF-8 and the \0 separator of pinyin keys.
                match i % 4 {
                    0 => format!("r{n}"),
                    1 => format!("c{}", char::from_u32(0x4E00 + n % 2000).unwrap()),
                    2 => format!("y{}\0{}", n % 97, n),
                    _ => format!("b{}{}", (b'A' + (n % 26) as u8) as char, n % 7),
                }
                .into_bytes()
            })
            .collect();
        // Wide nodes (more than 32 transitions, with fst's index).
        keys.extend((0u8..=255).map(|b| vec![b'w', b]));
        keys.sort();
        keys.dedup();
        keys
    }

    #[test]
    fn reads_what_fst_reads() {
        for (seed, count) in [(1, 0), (2, 1), (3, 50), (4, 3000)] {
            let keys = keys(seed, count);
            let (ours, theirs) = both(&keys);
            for key in &keys {
                assert_eq!(ours.get(key).unwrap(), theirs.get(key), "{key:?}");
                let mut shorter = key.clone();
                shorter.pop();
                assert_eq!(ours.get(&shorter).unwrap(), theirs.get(&shorter));
                let mut longer = key.clone();
                longer.push(b'~');
                assert_eq!(ours.get(&longer).unwrap(), theirs.get(&longer));
            }
            let mut prefixes: Vec<Vec<u8>> =
                vec![Vec::new(), b"r".to_vec(), b"r1".to_vec(), b"y5\0".to_vec(), b"zz".to_vec()];
            prefixes.extend(keys.iter().step_by(37).map(|k| k[..k.len().min(3)].to_vec()));
            for prefix in prefixes {
                let mut expected = Vec::new();
                let mut stream = theirs.range().ge(&prefix).into_stream();
                while let Some((key, value)) = stream.next() {
                    if !key.starts_with(&prefix) {
                        break;
                    }
                    expected.push((key.to_vec(), value));
                }
                assert_eq!(ours.prefixed(&prefix).unwrap(), expected, "{prefix:?}");
            }
        }
    }
}
