//! How many results a search for each vocabulary word shows (the posts that contain it, a story once): the count a
//! completion shows beside the word.
//!
//! jieba's counts say in how many documents it cut the word out, which is fewer than a search for it finds: 长春
//! inside 长春市 is cut as 长春市, so a completion offering 长春 with 11 posts led to 14 results. The words are found
//! again the way the search finds them, in the folded text of each field value, all of them in one Aho–Corasick
//! pass. A word that starts (or ends) with a Latin letter or digit is found only where a Latin run starts (or ends),
//! as the search's tokens are whole runs: `ai` is not in `said`.

use aho_corasick::{AhoCorasick, MatchKind};

pub(super) struct WordFinder {
    automaton: AhoCorasick,
    /// Per word: whether it starts, and whether it ends, with a Latin letter or digit.
    latin_edges: Vec<(bool, bool)>,
}

fn is_latin(c: char) -> bool {
    c.is_ascii_alphanumeric()
}

impl WordFinder {
    /// A finder of `words` (folded, as the dictionary keys them); a word's id is its index. `None` for no words.
    pub(super) fn new(words: &[&str]) -> Option<WordFinder> {
        if words.is_empty() {
            return None;
        }
        let automaton = AhoCorasick::builder().match_kind(MatchKind::Standard).build(words).ok()?;
        let latin_edges = words
            .iter()
            .map(|word| (word.chars().next().is_some_and(is_latin), word.chars().next_back().is_some_and(is_latin)))
            .collect();
        Some(WordFinder { automaton, latin_edges })
    }

    /// Appends the ids of the words in `folded` (a field value after `normalize`), once per occurrence.
    pub(super) fn find(&self, folded: &str, found: &mut Vec<u32>) {
        let bytes = folded.as_bytes();
        for found_word in self.automaton.find_overlapping_iter(folded) {
            let id = found_word.pattern().as_usize();
            let (latin_start, latin_end) = self.latin_edges[id];
            // Letters and digits are ASCII, one byte each: a neighbour's byte tells.
            let before = found_word.start().checked_sub(1).map(|at| char::from(bytes[at]));
            let after = bytes.get(found_word.end()).map(|&b| char::from(b));
            if (latin_start && before.is_some_and(is_latin)) || (latin_end && after.is_some_and(is_latin)) {
                continue;
            }
            found.push(id as u32);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(finder: &WordFinder, text: &str) -> Vec<u32> {
        let mut found = Vec::new();
        finder.find(text, &mut found);
        found.sort_unstable();
        found.dedup();
        found
    }

    #[test]
    fn finds_words_inside_longer_ones_and_latin_words_whole() {
        let finder = WordFinder::new(&["长春", "长春市", "ai", "ai芯片", "5g"]).unwrap();
        assert_eq!(ids(&finder, "吉林省长春市"), [0, 1]);
        assert_eq!(ids(&finder, "he said 长春"), [0]);
        assert_eq!(ids(&finder, "ai芯片与ai"), [2, 3]);
        assert_eq!(ids(&finder, "5g手机 15g 5gb"), [4]);
        assert!(WordFinder::new(&[]).is_none());
    }
}
