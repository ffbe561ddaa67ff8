//! Pinyin search: `rengongzhineng`, `ren gong zhi neng` or `rgzn` find 人工智能.
//!
//! At build time every word of the vocabulary that occurs in at least two posts gets its toneless readings (all of
//! them for polyphones, 长 chang/zhang, up to [`MAX_READINGS`]) and their initials. They are keys of the term
//! dictionary like any other, `y<reading>\0<word>` and `z<initials>\0<word>`, so the browser fetches a small chunk
//! of them only when a query looks like pinyin and picks the most likely word.
//!
//! Character tables list rare readings too (提 may read chi or di, 醒 cheng), so `cc` could mean 提醒. A reading's
//! weight is therefore the word's frequency divided by 4 for each character read in other than the first reading
//! the table lists: 提醒 read ti-xing keeps its weight, read chi-cheng a sixteenth. (For a few characters the
//! table's first reading is not the commoner one, 长 zhang before chang, so `changchun` still needs 长春 to be the
//! most frequent word reading that way, which it is wherever it is common.)
//!
//! The frequency that weighs is how often the segmenter cut the word out, not how many posts contain it: 化为 is
//! inside every 转化为, and `huawei` means 华为. The count a reader is shown is the other one, the results a search
//! for the word finds. The entry's value carries both, see [`Weighted`].

use crate::termdict;

/// Readings kept per word; polyphones multiply them.
pub const MAX_READINGS: usize = 8;

/// Words with fewer posts are not worth a reading.
pub const MIN_DOC_FREQ: u32 = 2;

/// Readings using more characters' secondary readings than this are implausible and left out.
#[cfg(feature = "build")]
const MAX_SECONDARY: u32 = 2;

const SEPARATOR: u8 = 0;

/// The prefix of the keys of words that read `letters` (full pinyin without tones).
pub fn reading_prefix(letters: &str) -> Vec<u8> {
    let mut key = termdict::kind_key(termdict::PINYIN, letters);
    key.push(SEPARATOR);
    key
}

/// The prefix of the keys of words whose syllables start with `letters`.
pub fn initials_prefix(letters: &str) -> Vec<u8> {
    let mut key = termdict::kind_key(termdict::INITIALS, letters);
    key.push(SEPARATOR);
    key
}

/// A pinyin entry's value: the results a search for the word finds, how much rarer the word is as a word of its own,
/// and how many of its characters use a secondary reading. Packed as
/// `results << 8 | inside_longer << 4 | secondary_readings`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Weighted {
    /// The posts that contain the word, a story counted once: what a search for it shows.
    pub results: u32,
    /// log2(results / posts the segmenter cut the word from), in half steps, 0 to 15: how often the word is only part
    /// of a longer one (化为 in 转化为).
    pub inside_longer: u32,
    pub secondary_readings: u32,
}

impl Weighted {
    /// The value of a word found in `results` posts and cut out by the segmenter in `segmented_in` (build time).
    #[cfg(feature = "build")]
    pub fn new(results: u32, segmented_in: u32, secondary_readings: u32) -> Weighted {
        let ratio = f64::from(results.max(1)) / f64::from(segmented_in.max(1));
        let inside_longer = (2.0 * ratio.log2()).round().clamp(0.0, 15.0) as u32;
        Weighted { results, inside_longer, secondary_readings }
    }

    pub fn pack(self) -> u32 {
        self.results.min(u32::MAX >> 8) << 8 | self.inside_longer.min(15) << 4 | self.secondary_readings.min(15)
    }

    pub fn unpack(value: u32) -> Weighted {
        Weighted { results: value >> 8, inside_longer: value >> 4 & 15, secondary_readings: value & 15 }
    }

    /// The likelihood that the reader meant this word: about the segmenter's count, other readings a quarter each.
    pub fn weight(self) -> f64 {
        f64::from(self.results)
            * std::f64::consts::FRAC_1_SQRT_2.powi(self.inside_longer as i32)
            * 0.25f64.powi(self.secondary_readings as i32)
    }
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

/// Keys for a word: its readings and their initials, each with how many characters use a secondary reading (build
/// time).
#[cfg(feature = "build")]
pub fn keys(word: &str) -> Vec<(Vec<u8>, u32)> {
    use ::pinyin::ToPinyinMulti;
    // (full reading, initials, characters read in a secondary reading)
    let mut readings: Vec<(String, String, u32)> = vec![(String::new(), String::new(), 0)];
    for c in word.chars() {
        let Some(multi) = c.to_pinyin_multi() else { return Vec::new() };
        // Keyboards have no ü: readers type v (lvse for 绿色), as every pinyin input method does.
        let syllables: Vec<String> = multi.into_iter().map(|p| p.plain().replace('ü', "v")).collect();
        let mut next = Vec::new();
        for (full, initials, secondary) in &readings {
            for (rank, syllable) in syllables.iter().enumerate() {
                let secondary = secondary + u32::from(rank > 0);
                if next.len() < MAX_READINGS && secondary <= MAX_SECONDARY {
                    next.push((format!("{full}{syllable}"), format!("{initials}{}", &syllable[..1]), secondary));
                }
            }
        }
        readings = next;
    }
    let mut keys: Vec<(Vec<u8>, u32)> = Vec::with_capacity(readings.len() * 2);
    for (full, initials, secondary) in readings {
        for mut key in [reading_prefix(&full), initials_prefix(&initials)] {
            key.extend_from_slice(word.as_bytes());
            keys.push((key, secondary));
        }
    }
    // The same key from two readings (same initials) keeps its most likely one.
    keys.sort_unstable();
    keys.dedup_by(|later, earlier| later.0 == earlier.0);
    keys
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    #[test]
    fn readings_include_polyphones() {
        let found = keys("长春");
        let readable: Vec<String> =
            found.iter().map(|(k, n)| format!("{}:{n}", String::from_utf8_lossy(k).replace('\0', "/"))).collect();
        assert!(readable.contains(&"ychangchun/长春:1".to_string()), "{readable:?}");
        assert!(readable.contains(&"yzhangchun/长春:0".to_string()), "{readable:?}");
        assert!(readable.contains(&"zcc/长春:1".to_string()), "{readable:?}");
        assert!(readable.contains(&"zzc/长春:0".to_string()), "{readable:?}");
        assert_eq!(word_of(&found[0].0), Some("长春"));
        assert!(keys("ai芯片").is_empty(), "only Chinese words have readings");
        let green: Vec<String> =
            keys("绿色").iter().map(|(k, _)| String::from_utf8_lossy(k).replace('\0', "/")).collect();
        assert!(green.contains(&"ylvse/绿色".to_string()), "{green:?}");
    }

    #[test]
    fn rare_readings_weigh_little() {
        let weight = |word: &str, key: &str, df: u32| {
            keys(word)
                .into_iter()
                .find(|(k, _)| String::from_utf8_lossy(k).replace('\0', "/") == format!("{key}/{word}"))
                .map(|(_, secondary)| Weighted::new(df, df, secondary).weight())
        };
        let changchun = weight("长春", "zcc", 11).unwrap();
        assert!(weight("提醒", "zcc", 14).unwrap_or(0.0) < changchun, "提醒 read chi-cheng is far less likely");
        assert_eq!(weight("提醒", "ztx", 14), Some(14.0));
        let packed = Weighted::new(5, 5, 2);
        assert_eq!(Weighted::unpack(packed.pack()), packed);
    }

    #[test]
    fn a_word_mostly_inside_longer_ones_weighs_what_the_segmenter_counted() {
        // 化为 in 800 posts, nearly all inside 转化为: cut out as a word in 50.
        let inside = Weighted::new(800, 50, 0);
        assert_eq!(Weighted::unpack(inside.pack()).results, 800, "the count shown is the search's");
        assert!((inside.weight() / 50.0 - 1.0).abs() < 0.2, "{}", inside.weight());
        assert!(inside.weight() < Weighted::new(300, 290, 0).weight());
        assert_eq!(Weighted::new(3, 7, 0).inside_longer, 0, "a story counted once can make results the smaller");
    }

    #[test]
    fn initials_look_like_initials() {
        assert!(is_initials("rgzn") && is_initials("cc"));
        assert!(!is_initials("changchun") && !is_initials("a") && !is_initials("nvida"));
    }
}
