//! Compact coding of the posts' titles and text in the document store.
//!
//! Every post is a deflate stream of its own (a result fetches only its own post), and deflate learns little from
//! 700 bytes of UTF-8 Chinese: each character is three bytes, and the first two are nearly the same for every
//! character. Numbering the bundle's most frequent characters by rank and writing the number in one or two bytes
//! gives deflate fewer symbols with skewed frequencies: on the 44,760-post corpus the posts' titles and text
//! deflate 28 % smaller (4,095 ranks would save 2 % more, for 7 KiB more table at every cold start). The table
//! lives in the manifest, read once.
//!
//! ```text
//! coded  := code…          v = the character's rank in the table, else table length + its scalar value
//! code   := v < 192:        one byte v
//!         | v < 8,384:      two bytes 192 + (v − 192) >> 8, (v − 192) & 255
//!         | otherwise:      three bytes 224 + (w >> 16), w >> 8 & 255, w & 255 where w = v − 8,384
//! ```

use crate::Error;

/// Ranks in a table: enough for the characters that make up ~95 % of Chinese news text.
pub const MAX_CODES: usize = 1024;
const ONE_BYTE: u32 = 192;
const TWO_BYTES: u32 = ONE_BYTE + 32 * 256;

/// The characters that have codes of their own, most frequent first.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextCodes {
    chars: Vec<char>,
    #[cfg(feature = "build")]
    ranks: rustc_hash::FxHashMap<char, u32>,
}

impl TextCodes {
    /// The table of a bundle: its `MAX_CODES` most frequent characters (ties in character order, so the
    /// table depends only on the counts).
    #[cfg(feature = "build")]
    pub fn from_counts(counts: impl IntoIterator<Item = (char, u64)>) -> TextCodes {
        let mut counts: Vec<(char, u64)> = counts.into_iter().filter(|&(_, n)| n > 0).collect();
        counts.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        counts.truncate(MAX_CODES);
        let chars: Vec<char> = counts.into_iter().map(|(c, _)| c).collect();
        TextCodes::new(chars)
    }

    /// A table as read from a manifest; `None` when it is longer than any writer makes or repeats a character.
    pub fn from_table(chars: Vec<char>) -> Option<TextCodes> {
        if chars.len() > MAX_CODES {
            return None;
        }
        let mut sorted: Vec<u32> = chars.iter().map(|&c| u32::from(c)).collect();
        crate::sort::sort_u32(&mut sorted);
        sorted.dedup();
        (sorted.len() == chars.len()).then(|| TextCodes::new(chars))
    }

    fn new(chars: Vec<char>) -> TextCodes {
        TextCodes {
            #[cfg(feature = "build")]
            ranks: chars.iter().enumerate().map(|(rank, &c)| (c, rank as u32)).collect(),
            chars,
        }
    }

    pub fn chars(&self) -> &[char] {
        &self.chars
    }

    /// Appends the codes of `text`.
    #[cfg(feature = "build")]
    pub fn encode(&self, text: &str, out: &mut Vec<u8>) {
        for c in text.chars() {
            let v = match self.ranks.get(&c) {
                Some(&rank) => rank,
                None => self.chars.len() as u32 + c as u32,
            };
            if v < ONE_BYTE {
                out.push(v as u8);
            } else if v < TWO_BYTES {
                let w = v - ONE_BYTE;
                out.extend_from_slice(&[ONE_BYTE as u8 + (w >> 8) as u8, w as u8]);
            } else {
                let w = v - TWO_BYTES;
                out.extend_from_slice(&[224 + (w >> 16) as u8, (w >> 8) as u8, w as u8]);
            }
        }
    }

    /// The text whose codes are `coded`; `error` makes the error for bytes no writer produces.
    pub fn decode(&self, coded: &[u8], error: impl Fn(&str) -> Error) -> Result<String, Error> {
        let mut text = String::with_capacity(coded.len() * 2);
        let table = self.chars.len() as u32;
        let mut bytes = coded.iter().map(|&b| u32::from(b));
        while let Some(lead) = bytes.next() {
            let mut next = || bytes.next().ok_or_else(|| error("text code cut short"));
            let v = match lead {
                0..=191 => lead,
                192..=223 => ONE_BYTE + ((lead - 192) << 8 | next()?),
                _ => TWO_BYTES + ((lead - 224) << 16 | next()? << 8 | next()?),
            };
            let c = match self.chars.get(v as usize) {
                Some(&c) => c,
                None => char::from_u32(v - table).ok_or_else(|| error("text code is not a character"))?,
            };
            text.push(c);
        }
        Ok(text)
    }
}

#[cfg(all(test, feature = "build"))]
mod tests {
    use super::*;

    fn decode(codes: &TextCodes, bytes: &[u8]) -> Result<String, Error> {
        codes.decode(bytes, |what| Error::corrupt("d/0.bin", what))
    }

    #[test]
    fn round_trips_every_kind_of_character() {
        let codes = TextCodes::from_counts([('是', 1), ('的', 8), ('x', 0), ('一', 2)]);
        assert_eq!(codes.chars(), &['的', '一', '是']);
        let text = "的一是 abc\n鑫 é 𠀋 \u{10FFFF} \u{0}";
        let mut bytes = Vec::new();
        codes.encode(text, &mut bytes);
        assert_eq!(decode(&codes, &bytes).unwrap(), text);
        assert_eq!(bytes[..3], [0, 1, 2], "ranked characters take one byte");
    }

    #[test]
    fn the_table_keeps_the_most_frequent_characters() {
        let counts = (0..2000u32).map(|i| (char::from_u32(0x4E00 + i).unwrap(), u64::from(i)));
        let codes = TextCodes::from_counts(counts);
        assert_eq!(codes.chars().len(), MAX_CODES);
        assert_eq!(codes.chars()[0], char::from_u32(0x4E00 + 1999).unwrap());
        // Ranks 192 and up take two bytes, characters outside the table three.
        for (c, len) in [(codes.chars()[191], 1), (codes.chars()[192], 2), ('一', 3)] {
            let mut bytes = Vec::new();
            codes.encode(&c.to_string(), &mut bytes);
            assert_eq!(bytes.len(), len, "{c}");
            assert_eq!(decode(&codes, &bytes).unwrap(), c.to_string());
        }
    }

    #[test]
    fn refuses_what_no_writer_makes() {
        let codes = TextCodes::from_counts([('a', 1)]);
        assert!(decode(&codes, &[192]).is_err(), "cut short");
        assert!(decode(&codes, &[224, 0]).is_err(), "cut short");
        // 1 + 0xD800 is a surrogate, 255 << 16 beyond U+10FFFF.
        let surrogate = 0xD800 + 1 - TWO_BYTES;
        assert!(decode(&codes, &[224 + (surrogate >> 16) as u8, (surrogate >> 8) as u8, surrogate as u8]).is_err());
        assert!(decode(&codes, &[255, 255, 255]).is_err());
        assert!(TextCodes::from_table(vec!['a', 'a']).is_none());
        assert!(TextCodes::from_table(vec!['a'; MAX_CODES + 1]).is_none());
        assert_eq!(TextCodes::from_table(vec!['b', 'a']).unwrap().chars(), &['b', 'a']);
    }
}
