//! Sorting integer keys. Every sort in the engine sorts plain integers (records are packed into `u64` keys with
//! their index), and this routine serves them all instead of core's: its sorts are instantiated per element type
//! and per comparison, which cost the wasm module 13 KB for three types. A least-significant-digit radix sort is
//! also fast on these keys: four to eight linear passes, bytes that are equal in every key skipped.

/// Up to this many keys an insertion sort is quicker than the radix passes.
const SMALL: usize = 24;

/// Sorts `keys` in ascending order.
pub fn sort_u64(keys: &mut [u64]) {
    if keys.len() <= SMALL {
        for i in 1..keys.len() {
            let key = keys[i];
            let mut j = i;
            while j > 0 && keys[j - 1] > key {
                keys[j] = keys[j - 1];
                j -= 1;
            }
            keys[j] = key;
        }
        return;
    }
    // The histograms of all eight bytes in one pass.
    let mut counts = [[0usize; 256]; 8];
    for &key in keys.iter() {
        for (byte, count) in counts.iter_mut().enumerate() {
            count[(key >> (8 * byte)) as usize & 0xFF] += 1;
        }
    }
    let mut scratch = keys.to_vec();
    // Whether the keys, as sorted so far, are in `scratch`.
    let mut moved = false;
    for (byte, count) in counts.iter_mut().enumerate() {
        if count.contains(&keys.len()) {
            continue;
        }
        let mut start = 0;
        for n in count.iter_mut() {
            (*n, start) = (start, start + *n);
        }
        let (from, to) = if moved { (&scratch[..], &mut keys[..]) } else { (&keys[..], &mut scratch[..]) };
        for &key in from {
            let slot = &mut count[(key >> (8 * byte)) as usize & 0xFF];
            to[*slot] = key;
            *slot += 1;
        }
        moved = !moved;
    }
    if moved {
        keys.copy_from_slice(&scratch);
    }
}

/// Sorts `keys` in ascending order (through [`sort_u64`]: the upper four bytes, all zero, cost one check each).
pub fn sort_u32(keys: &mut [u32]) {
    let mut wide: Vec<u64> = keys.iter().map(|&key| u64::from(key)).collect();
    sort_u64(&mut wide);
    for (key, wide) in keys.iter_mut().zip(wide) {
        *key = wide as u32;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A small deterministic generator (xorshift), so the test needs no dependency.
    fn numbers(seed: u64, count: usize, mask: u64) -> Vec<u64> {
        let mut state = seed;
        (0..count)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state & mask
            })
            .collect()
    }

    #[test]
    fn sorts_like_the_standard_library() {
        for (count, mask) in
            [(0, !0), (1, !0), (5, 3), (24, !0), (25, !0), (1000, 0xFF), (5000, !0), (3000, 0xFFFF_0000_00FF)]
        {
            let mut keys = numbers(count as u64 + 1, count, mask);
            let mut expected = keys.clone();
            expected.sort_unstable();
            sort_u64(&mut keys);
            assert_eq!(keys, expected, "{count} keys, mask {mask:x}");

            let mut small: Vec<u32> = numbers(count as u64 + 7, count, mask).into_iter().map(|k| k as u32).collect();
            let mut expected = small.clone();
            expected.sort_unstable();
            sort_u32(&mut small);
            assert_eq!(small, expected);
        }
    }
}
