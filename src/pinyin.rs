//! Pinyin search: `rengongzhineng`, `ren gong zhi neng` or `rgzn` find 人工智能.
//!
//! At build time every word of the vocabulary that occurs in at least two posts gets its toneless readings (all of
//! them for polyphones, 长 chang/zhang, up to [`MAX_READINGS`]) and their initials. They are keys of the term
//! dictionary like any other, `y<reading>\0<word>` and `z<initials>\0<word>` with the word's document frequency,
//! so the browser fetches a small chunk of them only when a query looks like pinyin and reads the most common word.

use crate::termdict;

/// Readings kept per word; polyphones multiply them.
pub const MAX_READINGS: usize = 8;

/// Words with fewer posts are not worth a reading.
pub const MIN_DOC_FREQ: u32 = 2;

const SEPARATOR: u8 = 0;

/// The prefix of the keys of words that read `letters` (full pinyin without tones).
pub fn reading_prefix(letters: &str) -> Vec<u8> {
    let mut key = termdict::unigram_key_text(termdict::PINYIN, letters);
    key.push(SEPARATOR);
    key
}

/// The prefix of the keys of words whose syllables start with `letters`.
pub fn initials_prefix(letters: &str) -> Vec<u8> {
    let mut key = termdict::unigram_key_text(termdict::INITIALS, letters);
    key.push(SEPARATOR);
    key
}

/// The word of a pinyin key.
pub fn word_of(key: &[u8]) -> Option<&str> {
    let at = key.iter().position(|&b| b == SEPARATOR)?;
    std::str::from_utf8(&key[at + 1..]).ok()
}

/// The letters of a query if it could be pinyin: only ASCII letters (spaces between syllables allowed).
pub fn letters(query: &crate::query::Query) -> Option<String> {
    let mut letters = String::new();
    for clause in &query.clauses {
        if clause.negated || clause.alternatives.len() != 1 {
            return None;
        }
        let text = &clause.alternatives[0].text;
        if !text.bytes().all(|b| b.is_ascii_lowercase()) {
            return None;
        }
        letters.push_str(text);
    }
    (letters.len() >= 2).then_some(letters)
}

/// Initials-only input (`rgzn`, `cc`): short and without vowels, so it is hardly a Latin word; such input also gets
/// its pinyin word offered when the letters themselves find something.
pub fn is_initials(letters: &str) -> bool {
    (2..=5).contains(&letters.len()) && !letters.bytes().any(|b| b"aeiouv".contains(&b))
}

/// Keys for a word: its readings and their initials (build time).
#[cfg(feature = "build")]
pub fn keys(word: &str) -> Vec<Vec<u8>> {
    use ::pinyin::ToPinyinMulti;
    let mut readings: Vec<(String, String)> = vec![(String::new(), String::new())];
    for c in word.chars() {
        let Some(multi) = c.to_pinyin_multi() else { return Vec::new() };
        let syllables: Vec<&str> = multi.into_iter().map(|p| p.plain()).collect();
        let mut next = Vec::new();
        for (full, initials) in &readings {
            for syllable in &syllables {
                if next.len() < MAX_READINGS {
                    next.push((format!("{full}{syllable}"), format!("{initials}{}", &syllable[..1])));
                }
            }
        }
        readings = next;
    }
    let mut keys = Vec::with_capacity(readings.len() * 2);
    for (full, initials) in readings {
        for mut key in [reading_prefix(&full), initials_prefix(&initials)] {
            key.extend_from_slice(word.as_bytes());
            keys.push(key);
        }
    }
    keys.sort_unstable();
    keys.dedup();
    keys
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    #[test]
    fn readings_include_polyphones() {
        let found = keys("长春");
        let readable: Vec<String> = found.iter().map(|k| String::from_utf8_lossy(k).replace('\0', "/")).collect();
        assert!(readable.contains(&"ychangchun/长春".to_string()), "{readable:?}");
        assert!(readable.contains(&"yzhangchun/长春".to_string()), "{readable:?}");
        assert!(readable.contains(&"zcc/长春".to_string()), "{readable:?}");
        assert!(readable.contains(&"zzc/长春".to_string()), "{readable:?}");
        assert_eq!(word_of(&found[0]), Some("长春"));
        assert!(keys("ai芯片").is_empty(), "only Chinese words have readings");
    }

    #[test]
    fn initials_look_like_initials() {
        assert!(is_initials("rgzn") && is_initials("cc"));
        assert!(!is_initials("changchun") && !is_initials("a") && !is_initials("nvida"));
    }
}
