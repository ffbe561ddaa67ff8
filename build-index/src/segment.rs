//! Word segmentation with jieba: the vocabulary the engine uses to segment queries and complete them.
//!
//! The index itself matches characters and character bigrams, so these words never decide what
//! matches; they only tell the engine which character runs are words. Hence only words of two or
//! more characters with at least one letter or digit are kept (single characters and punctuation
//! add nothing to a vocabulary), each once per post, in the order they first appear.

use std::collections::HashSet;

use jieba_rs::Jieba;

use crate::phrases::{PhraseCounter, PostPhrases};

pub struct Segmenter {
    jieba: Jieba,
    /// None for a segmenter that cuts posts without counting their pairs.
    phrases: Option<PhraseCounter>,
}

impl Default for Segmenter {
    fn default() -> Self {
        Segmenter::new()
    }
}

impl Segmenter {
    /// Loads jieba's default dictionary (about half a second; build one and share it).
    pub fn new() -> Self {
        Segmenter { jieba: Jieba::new(), phrases: Some(PhraseCounter::default()) }
    }

    /// A segmenter that does not count the posts' pairs of words: for a long-lived one that cuts text after text
    /// (a fuzzer), where the counts would only grow.
    pub fn without_phrases() -> Self {
        Segmenter { jieba: Jieba::new(), phrases: None }
    }

    /// The pairs of words of the posts cut so far, to find the phrases among (see [`crate::phrases`]).
    pub fn into_phrases(self) -> PhraseCounter {
        self.phrases.unwrap_or_default()
    }

    /// The distinct words of `title` and `text`, title first, one per line: a post's words in one allocation
    /// (a `String` each took more memory than the posts' text). Counts the post's pairs of words for
    /// [`Segmenter::into_phrases`].
    pub fn words(&self, title: &str, text: &str) -> String {
        let mut seen = HashSet::new();
        let mut seen_lines = HashSet::new();
        let mut words = String::new();
        let mut phrases = PostPhrases::default();
        for part in [title, text] {
            // One line at a time: a line never holds a word that spans it, and jieba's working
            // memory stays small for very long posts. A repeated line (boilerplate, a body pasted
            // twice) cannot add a word, so it is not cut again.
            for line in part.lines().filter(|line| seen_lines.insert(*line)) {
                let cut: Vec<&str> = self.jieba.cut(line, true).into_iter().map(|token| token.word).collect();
                for &word in &cut {
                    // Words never contain white space (see is_vocabulary), so a newline separates them.
                    if is_vocabulary(word) && seen.insert(word) {
                        words.push_str(word);
                        words.push('\n');
                    }
                }
                phrases.add_line(&cut);
            }
        }
        if let Some(counter) = &self.phrases {
            counter.add_post(phrases);
        }
        words.shrink_to_fit();
        words
    }
}

fn is_vocabulary(word: &str) -> bool {
    let mut chars = word.chars();
    let (Some(_), Some(_)) = (chars.next(), chars.next()) else { return false };
    word.chars().any(char::is_alphanumeric) && !word.chars().any(char::is_whitespace)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keeps_distinct_multi_character_words() {
        let segmenter = Segmenter::new();
        let words = segmenter.words("科大讯飞吉林公司", "科大讯飞助力长春打造人工智能创新策源地。AI 和 DeepSeek，AI！");
        let words: Vec<&str> = words.lines().collect();
        assert!(words.contains(&"人工智能"), "{words:?}");
        assert!(words.contains(&"DeepSeek"), "{words:?}");
        assert_eq!(words.iter().filter(|w| **w == "AI").count(), 1);
        assert!(words.iter().all(|w| w.chars().count() >= 2 && !w.contains(['，', '。', ' '])), "{words:?}");
        assert!(words.first().is_some_and(|w| "科大讯飞吉林公司".starts_with(w)), "{words:?}");
    }

    #[test]
    fn nothing_in_nothing_out() {
        assert!(Segmenter::new().words("", "").is_empty());
        assert!(Segmenter::new().words("，。", "!!! ...").is_empty());
    }
}
