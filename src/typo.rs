//! Typo tolerance for Latin words: `iphnoe` finds iPhone, `nvida` finds NVIDIA.
//!
//! Only when a Latin keyword finds nothing or little: the runs of the dictionary that start with the same letter
//! are compared by optimal string alignment distance (Levenshtein plus the swap of two neighbours, the most common
//! slip when typing), at most 1 for words of 4–7 letters and 2 for longer ones, and the most frequent close run
//! is searched instead. The first letter is rarely the one mistyped, and keeping it bounds what has to be read; when
//! the runs starting with one letter fill too many dictionary chunks, the first two letters are kept (so a slip in
//! the second letter of a word starting with a common letter is not forgiven).

/// Edits tolerated for a word of `len` letters (none below 4).
pub fn max_distance(len: usize) -> usize {
    match len {
        0..=3 => 0,
        4..=7 => 1,
        _ => 2,
    }
}

/// Optimal string alignment distance of `a` and `b`, or None when it exceeds `limit`.
pub fn distance(a: &[u8], b: &[u8], limit: usize) -> Option<usize> {
    if a.len().abs_diff(b.len()) > limit {
        return None;
    }
    let width = b.len() + 1;
    let mut rows = vec![0usize; 3 * width];
    let (mut before, mut previous, mut current) = (0, width, 2 * width);
    for (j, cell) in rows[previous..previous + width].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        rows[current] = i;
        let mut row_min = i;
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut value = (rows[previous + j] + 1).min(rows[current + j - 1] + 1).min(rows[previous + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                value = value.min(rows[before + j - 2] + 1);
            }
            rows[current + j] = value;
            row_min = row_min.min(value);
        }
        if row_min > limit {
            return None;
        }
        (before, previous, current) = (previous, current, before);
    }
    Some(rows[previous + b.len()]).filter(|&d| d <= limit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_count_once() {
        assert_eq!(distance(b"iphnoe", b"iphone", 1), Some(1));
        assert_eq!(distance(b"nvida", b"nvidia", 1), Some(1));
        assert_eq!(distance(b"iphone", b"iphone", 1), Some(0));
        assert_eq!(distance(b"tesla", b"tesco", 1), None);
        assert_eq!(distance(b"qualcom", b"qualcomm", 1), Some(1));
        assert_eq!(distance(b"microsfot", b"microsoft", 2), Some(1));
        assert_eq!(distance(b"abcdefgh", b"abcdxyzh", 2), None);
        assert_eq!(max_distance(3), 0);
        assert_eq!(max_distance(6), 1);
        assert_eq!(max_distance(9), 2);
    }
}
