//! A structural check of FST bytes before [`crate::fstread`] reads them, and the node decoder both use.
//!
//! Both mirror the `fst` crate, which wrote the bytes and which trusts its input: on malformed bytes it indexes out of bounds, underflows addresses or asserts, and in the
//! browser any panic aborts the wasm module. The chunk's checksum catches damage, not a file written to hurt, so
//! every dictionary chunk is walked here once, with checked arithmetic, before it is read. The walk mirrors how
//! `fst` 0.4 decodes nodes (`raw/node.rs`): every node reachable from the root must lie within the bytes, use pack
//! sizes `fst` accepts, point only to nodes at lower addresses (so the graph is acyclic and every walk ends), and
//! no key's output (the sum of the outputs along its path) may overflow 64 bits. The keys are counted too and must
//! be as many as the footer says, and their bytes summed: a few nodes with two edges each to the next hold 2^n keys,
//! a chain of n final nodes keys of n²/2 bytes in all, and a caller that lists keys bounds both by the size of its
//! own data (see [`crate::termdict`]).

pub(crate) const EMPTY_ADDRESS: usize = 0;
/// Nodes with more transitions than this carry a 256-byte index (format version 2 and later).
const TRANS_INDEX_THRESHOLD: usize = 32;

/// What [`check`] found: the format version, the root's address, the number of keys and their bytes in all
/// (saturating).
pub struct Checked {
    pub version: u64,
    pub root: usize,
    pub keys: u64,
    pub key_bytes: u64,
}

/// Checks that `bytes` (an FST as `fst::MapBuilder` writes it) can be read without a panic.
pub fn check(bytes: &[u8]) -> Result<Checked, &'static str> {
    if bytes.len() < 36 {
        return Err("FST shorter than its header");
    }
    let version = read_u64(bytes, 0).ok_or("FST header")?;
    if !(2..=3).contains(&version) {
        return Err("unknown FST version");
    }
    let end = if version >= 3 { bytes.len() - 4 } else { bytes.len() };
    let root = read_u64(bytes, end - 8).ok_or("FST footer")?;
    let keys = read_u64(bytes, end - 16).ok_or("FST footer")?;
    let root = usize::try_from(root).map_err(|_| "FST root out of range")?;
    let footer = if version >= 3 { 21 } else { 17 };
    if root == EMPTY_ADDRESS {
        return if bytes.len() == footer + 15 && keys == 0 {
            Ok(Checked { version, root, keys, key_bytes: 0 })
        } else {
            Err("empty FST of the wrong size")
        };
    }
    if u32::try_from(root).is_err() {
        return Err("FST larger than 4 GiB");
    }
    if root.checked_add(footer) != Some(bytes.len()) {
        return Err("FST root not where the footer says");
    }

    // Depth-first over the reachable nodes; every edge goes to a lower address.
    let mut nodes: Vec<Node> = Vec::new();
    let mut seen = vec![false; root + 1];
    let mut stack = vec![root];
    while let Some(addr) = stack.pop() {
        if addr == EMPTY_ADDRESS || seen[addr] {
            continue;
        }
        seen[addr] = true;
        let node = Node::decode(bytes, version, addr)?;
        stack.extend(node.transitions.iter().map(|&(_, target, _)| target));
        nodes.push(node);
    }

    // For each node, lowest addresses (the leaves) first: the largest output sum to a final state, and the keys below
    // it (saturating). Sort keys (address, index) for crate::sort, whose halves fit 32 bits as the root address does.
    let mut order: Vec<u64> = nodes.iter().enumerate().map(|(i, node)| ((node.addr as u64) << 32) | i as u64).collect();
    crate::sort::sort_u64(&mut order);
    // (address, (largest output sum, keys, bytes of the keys' rest from here))
    let mut below: Vec<(usize, (u64, u64, u64))> = Vec::with_capacity(nodes.len());
    let lookup = |below: &[(usize, (u64, u64, u64))], addr: usize| -> (u64, u64, u64) {
        if addr == EMPTY_ADDRESS {
            return (0, 1, 0); // the implicit final state: one key ends there
        }
        below.binary_search_by_key(&addr, |&(a, _)| a).map(|i| below[i].1).unwrap_or((0, 0, 0))
    };
    for node in order.iter().map(|&key| &nodes[key as u32 as usize]) {
        let (mut most, mut count, mut length) = (node.final_output, u64::from(node.is_final), 0u64);
        for &(_, target, output) in &node.transitions {
            let (largest, keys, bytes) = lookup(&below, target);
            let sum = output.checked_add(largest).ok_or("FST outputs overflow")?;
            most = most.max(sum);
            count = count.saturating_add(keys);
            // The transition's byte starts every key below it.
            length = length.saturating_add(keys).saturating_add(bytes);
        }
        below.push((node.addr, (most, count, length)));
    }
    let (_, counted, key_bytes) = lookup(&below, root);
    if counted != keys {
        return Err("FST key count not what the footer says");
    }
    Ok(Checked { version, root, keys, key_bytes })
}

/// fst's table of the 63 inputs that a one-transition node stores in its state byte (`raw/common_inputs.rs`).
const COMMON_INPUTS: &[u8; 63] = b"te/oasripcnw.hlm-du012g=:bf3y5&_4v9678k%?xCDASFIBEjPTzRNM+LOqHG";

pub(crate) struct Node {
    addr: usize,
    pub is_final: bool,
    pub final_output: u64,
    /// (input, target address, output) of each transition, by input.
    pub transitions: Vec<(u8, usize, u64)>,
}

impl Node {
    pub fn decode(bytes: &[u8], version: u64, addr: usize) -> Result<Node, &'static str> {
        if addr == EMPTY_ADDRESS {
            // The final state without transitions that every FST has implicitly.
            return Ok(Node { addr, is_final: true, final_output: 0, transitions: Vec::new() });
        }
        let state = *bytes.get(addr).ok_or("FST node out of range")?;
        let below = |n: usize| addr.checked_sub(n).ok_or("FST node runs past the start");
        // A one-transition node's input: in the state byte (an index into COMMON_INPUTS), or the byte below it.
        let one_input = || match usize::from(state & 0b11_1111) {
            0 => bytes.get(below(1)?).copied().ok_or("FST node out of range"),
            common => Ok(COMMON_INPUTS[common - 1]),
        };
        match state >> 6 {
            // One transition to the node written just before, no output.
            0b11 => {
                let input_len = usize::from(state & 0b11_1111 == 0);
                let node_end = below(input_len)?;
                let target = node_end.checked_sub(1).ok_or("FST node runs past the start")?;
                Ok(Node { addr, is_final: false, final_output: 0, transitions: vec![(one_input()?, target, 0)] })
            }
            // One transition with a packed address and output.
            0b10 => {
                let input_len = usize::from(state & 0b11_1111 == 0);
                let sizes = bytes[below(input_len + 1)?];
                let (tsize, osize) = pack_sizes(sizes, 1)?;
                let node_end = below(input_len + 1 + tsize + osize)?;
                let output = if osize == 0 { 0 } else { unpack(bytes, node_end, osize)? };
                let delta = unpack(bytes, node_end + osize, tsize)?;
                let target = target_of(node_end, delta)?;
                Ok(Node { addr, is_final: false, final_output: 0, transitions: vec![(one_input()?, target, output)] })
            }
            // Any number of transitions.
            _ => {
                let is_final = state & 0b0100_0000 != 0;
                let (ntrans, ntrans_len) = match usize::from(state & 0b11_1111) {
                    0 => match bytes[below(1)?] {
                        1 => (256, 1),
                        n => (usize::from(n), 1),
                    },
                    n => (n, 0),
                };
                let sizes = bytes[below(ntrans_len + 1)?];
                let (tsize, osize) = pack_sizes(sizes, ntrans)?;
                let index_size = if version >= 2 && ntrans > TRANS_INDEX_THRESHOLD { 256 } else { 0 };
                let trans_size = ntrans + ntrans * tsize + index_size;
                let final_osize = if is_final { osize } else { 0 };
                let node_end = below(ntrans_len + 1 + trans_size + ntrans * osize + final_osize)?;
                let final_output = if is_final && osize > 0 { unpack(bytes, node_end, osize)? } else { 0 };
                // Layout upwards from node_end: final output, outputs (last transition first), addresses (likewise),
                // inputs, index, pack sizes, transition count, state.
                let outputs_start = node_end + final_osize;
                let addresses_start = outputs_start + ntrans * osize;
                let inputs_start = addresses_start + ntrans * tsize;
                let mut transitions = Vec::with_capacity(ntrans);
                for i in 0..ntrans {
                    let from_top = ntrans - 1 - i;
                    let input = *bytes.get(inputs_start + from_top).ok_or("FST node out of range")?;
                    let delta = unpack(bytes, addresses_start + from_top * tsize, tsize)?;
                    let output = if osize == 0 { 0 } else { unpack(bytes, outputs_start + from_top * osize, osize)? };
                    transitions.push((input, target_of(node_end, delta)?, output));
                }
                Ok(Node { addr, is_final, final_output, transitions })
            }
        }
    }
}

/// Transition and output pack sizes; `fst` asserts 1..=8 bytes for an address it reads (a node without
/// transitions has size 0) and 0..=8 for outputs.
fn pack_sizes(byte: u8, transitions: usize) -> Result<(usize, usize), &'static str> {
    let (tsize, osize) = (usize::from(byte >> 4), usize::from(byte & 0b1111));
    let tsize_ok = if transitions == 0 { tsize <= 8 } else { (1..=8).contains(&tsize) };
    if tsize_ok && osize <= 8 {
        Ok((tsize, osize))
    } else {
        Err("FST pack sizes out of range")
    }
}

/// `fst` stores a transition's target as its distance below the node's end (0 for the empty final state).
fn target_of(node_end: usize, delta: u64) -> Result<usize, &'static str> {
    if delta == 0 {
        return Ok(EMPTY_ADDRESS);
    }
    let delta = usize::try_from(delta).map_err(|_| "FST address out of range")?;
    node_end.checked_sub(delta).ok_or("FST transition points below the start")
}

fn unpack(bytes: &[u8], at: usize, n: usize) -> Result<u64, &'static str> {
    let slice = at.checked_add(n).and_then(|end| bytes.get(at..end)).ok_or("FST value out of range")?;
    Ok(slice.iter().rev().fold(0u64, |value, &b| value << 8 | u64::from(b)))
}

fn read_u64(bytes: &[u8], at: usize) -> Option<u64> {
    let slice = bytes.get(at..at.checked_add(8)?)?;
    Some(u64::from_le_bytes(slice.try_into().ok()?))
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    fn build(keys: &[(&[u8], u64)]) -> Vec<u8> {
        let mut builder = fst::MapBuilder::memory();
        for (key, value) in keys {
            builder.insert(key, *value).unwrap();
        }
        builder.into_inner().unwrap()
    }

    #[test]
    fn accepts_what_fst_writes() {
        assert!(check(&build(&[])).is_ok());
        assert!(check(&build(&[(b"a", 1)])).is_ok());
        let many: Vec<Vec<u8>> = (0..3000u32).map(|i| format!("b{}", i * 7919 % 100_003).into_bytes()).collect();
        let mut sorted = many.clone();
        sorted.sort();
        sorted.dedup();
        let keys: Vec<(&[u8], u64)> = sorted.iter().enumerate().map(|(i, k)| (k.as_slice(), i as u64 * 1000)).collect();
        assert!(check(&build(&keys)).is_ok());
        // Wide nodes (more than 32 transitions, with an index).
        let wide: Vec<Vec<u8>> = (0u8..=255).map(|b| vec![b'c', b]).collect();
        let keys: Vec<(&[u8], u64)> = wide.iter().map(|k| (k.as_slice(), u64::from(k[1]) << 40)).collect();
        assert!(check(&build(&keys)).is_ok());
    }

    #[test]
    fn counts_the_keys() {
        let keys: Vec<Vec<u8>> = (0..300u32).map(|i| format!("k{i:03}").into_bytes()).collect();
        let pairs: Vec<(&[u8], u64)> = keys.iter().map(|k| (k.as_slice(), 7)).collect();
        assert_eq!(check(&build(&pairs)).map(|c| c.keys), Ok(300));
        // Every string of 16 letters a or b: 65,536 keys in 16 nodes of two edges.
        let all: Vec<Vec<u8>> = (0..1u32 << 16)
            .map(|n| (0..16).rev().map(|bit| if n >> bit & 1 == 1 { b'b' } else { b'a' }).collect())
            .collect();
        let pairs: Vec<(&[u8], u64)> = all.iter().map(|k| (k.as_slice(), 0)).collect();
        let bomb = build(&pairs);
        assert!(bomb.len() < 200, "{} bytes", bomb.len());
        assert_eq!(check(&bomb).map(|c| c.keys), Ok(1 << 16), "counted, so that a reader can refuse so many");
        // The same nodes under a footer that claims one key.
        let mut lying = bomb.clone();
        let at = lying.len() - 4 - 16;
        lying[at..at + 8].copy_from_slice(&1u64.to_le_bytes());
        assert_eq!(check(&lying).err(), Some("FST key count not what the footer says"));
        assert_eq!(check(&build(&[(b"ab", 0), (b"abc", 0), (b"b", 0)])).map(|c| c.key_bytes), Ok(6));
        // A chain of final nodes: 2,000 keys of up to 2,000 bytes, 2,001,000 bytes in all, in a few KB.
        let chain: Vec<Vec<u8>> = (1..=2000).map(|n| vec![b'a'; n]).collect();
        let pairs: Vec<(&[u8], u64)> = chain.iter().map(|k| (k.as_slice(), 0)).collect();
        let chained = build(&pairs);
        assert!(chained.len() < 10_000, "{} bytes", chained.len());
        assert_eq!(check(&chained).map(|c| c.key_bytes), Ok(2_001_000));
    }

    #[test]
    fn rejects_damage_anywhere_without_panicking() {
        let keys: Vec<Vec<u8>> = (0..200u32).map(|i| format!("k{i:03}").into_bytes()).collect();
        let pairs: Vec<(&[u8], u64)> = keys.iter().map(|k| (k.as_slice(), 7)).collect();
        let good = build(&pairs);
        for at in 0..good.len() {
            for flip in [0x01u8, 0x40, 0x80, 0xff] {
                let mut bad = good.clone();
                bad[at] ^= flip;
                if check(&bad).is_ok() {
                    // Whatever passes the check must be safe for fst to walk completely.
                    let map = fst::Map::new(bad).unwrap();
                    use fst::Streamer;
                    let mut stream = map.stream();
                    while stream.next().is_some() {}
                }
            }
        }
        assert!(check(&good[..good.len() - 1]).is_err());
    }
}
