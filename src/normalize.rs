//! Text folding, identical for posts (at build time) and queries (in the browser).
//!
//! Readers type full-width digits, capitals, traditional characters and stray invisible characters; posts contain
//! all of those too. Both sides are folded the same way, so that matching can be a plain substring test:
//!
//! 1. Unicode NFKC, applied per character cluster (a character and the combining marks after it), so that every
//!    output character can be traced back to the input for excerpts. Full-width ＧＤＰ becomes GDP, ㈱ becomes (株).
//! 2. Lower case.
//! 3. Traditional → simplified, character by character, with OpenCC's character table (`normalize/t2s.bin`).
//! 4. Invisible characters (Unicode's default-ignorable code points: zero-width spaces and joiners, bidi marks,
//!    variation selectors, soft hyphen, BOM) removed.
//! 5. White space collapsed to one space, which is kept only between two ASCII characters: Chinese puts spaces
//!    around Latin words for looks (`使用 Rust 编写`), and a reader typing `rust编写` means the same thing.
//!    A circled or parenthesised number or letter (①, ⑴) counts as white space on both sides: it marks a list item
//!    and is not part of the Latin word after it (`①AI芯片` folds to `1 ai芯片`).
//!
//! NFKC natively comes from `unicode-normalization`; in wasm from the host's `String.prototype.normalize`, so the
//! module does not carry Unicode's decomposition tables.

use std::sync::OnceLock;

/// A folded string and, for each of its characters, the byte range of the input it came from.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct Folded {
    pub text: String,
    /// One entry per `char` of `text`: (start, end) byte offsets into the original.
    pub origins: Vec<(u32, u32)>,
}

/// Folds `input` (see the module documentation).
pub fn normalize(input: &str) -> String {
    let mut out = String::with_capacity(input.len());
    fold_into(input, |c, _, _| out.push(c));
    out
}

/// Folds `input` and records where each output character came from.
pub fn normalize_mapped(input: &str) -> Folded {
    let mut folded = Folded { text: String::with_capacity(input.len()), origins: Vec::new() };
    fold_into(input, |c, start, end| {
        folded.text.push(c);
        folded.origins.push((start as u32, end as u32));
    });
    folded
}

/// Drives the folding, calling `emit(char, original_start, original_end)` for every output character.
fn fold_into(input: &str, mut emit: impl FnMut(char, usize, usize)) {
    // White space is held back until the next visible character shows whether it is kept.
    let mut previous: Option<char> = None;
    let mut pending_space: Option<(usize, usize)> = None;
    let mut emit_visible = |c: char, start: usize, end: usize, pending: &mut Option<(usize, usize)>| {
        if let (Some((space_start, space_end)), Some(before)) = (pending.take(), previous) {
            if before.is_ascii() && c.is_ascii() {
                emit(' ', space_start, space_end);
            }
        }
        emit(c, start, end);
        previous = Some(c);
    };

    let mut chars = input.char_indices().peekable();
    while let Some((start, c)) = chars.next() {
        let mut end = start + c.len_utf8();
        let combines_with_next = chars.peek().is_some_and(|&(_, next)| is_combining_mark(next));
        if c.is_ascii() && !combines_with_next {
            // Not is_ascii_whitespace, which leaves out the vertical tab (Word's manual line break).
            if c.is_whitespace() {
                pending_space.get_or_insert((start, end));
            } else {
                emit_visible(c.to_ascii_lowercase(), start, end, &mut pending_space);
            }
            continue;
        }
        // A cluster: this character and the combining marks that follow it.
        while let Some(&(next_start, next)) = chars.peek() {
            if !is_combining_mark(next) {
                break;
            }
            end = next_start + next.len_utf8();
            chars.next();
        }
        // get + expect rather than indexing: a failed str index formats the string and the character it splits, code
        // that was 4 KB of the wasm module.
        let cluster = input.get(start..end).expect("a character boundary");
        // A list marker such as ① expands to digits that would otherwise join the Latin word after it (①AI → 1ai, and
        // a search for AI would miss it): white space on both sides keeps it a token of its own.
        let enclosed = is_enclosed_alphanumeric(c);
        if enclosed {
            pending_space.get_or_insert((start, end));
        }
        for lower in nfkc_lowercase(cluster).chars() {
            let simplified = to_simplified(lower);
            if simplified.is_whitespace() {
                pending_space.get_or_insert((start, end));
            } else if !is_invisible(simplified) {
                emit_visible(simplified, start, end, &mut pending_space);
            }
        }
        if enclosed {
            pending_space.get_or_insert((start, end));
        }
    }
}

/// Circled and parenthesised numbers and letters (①, ⑴, ⒈, Ⓐ, ㉑, 🄐): NFKC turns them into ASCII letters and digits.
fn is_enclosed_alphanumeric(c: char) -> bool {
    matches!(c as u32, 0x2460..=0x24FF | 0x3251..=0x325F | 0x32B1..=0x32BF | 0x1F100..=0x1F1FF)
}

/// Characters that NFKC may compose with the one before them: combining marks, the kana voiced sound marks (and their
/// half-width forms, ｶﾞ → ガ), and the vowel and final jamo of a decomposed Hangul syllable (ᄒ ᅡ ᆫ → 한).
pub fn is_combining_mark(c: char) -> bool {
    matches!(c as u32,
        0x0300..=0x036F | 0x1AB0..=0x1AFF | 0x1DC0..=0x1DFF | 0x20D0..=0x20FF | 0xFE20..=0xFE2F | 0x3099..=0x309A
        | 0xFF9E..=0xFF9F | 0x1161..=0x11FF)
}

/// Characters that render as nothing: Unicode's Default_Ignorable_Code_Point (zero-width spaces and joiners, bidi
/// marks, variation selectors, soft hyphen, BOM, Hangul fillers…).
pub fn is_invisible(c: char) -> bool {
    matches!(c as u32,
        0x00AD | 0x034F | 0x061C | 0x115F | 0x1160 | 0x17B4 | 0x17B5 | 0x180B..=0x180F | 0x200B..=0x200F
        | 0x202A..=0x202E | 0x2060..=0x206F | 0x3164 | 0xFE00..=0xFE0F | 0xFEFF | 0xFFA0 | 0xFFF0..=0xFFF8
        | 0x1BCA0..=0x1BCA3 | 0x1D173..=0x1D17A | 0xE0000..=0xE0FFF)
}

/// CJK unified ideographs are NFKC-stable and caseless, so the common case skips the normalizer.
fn is_stable(cluster: &str) -> bool {
    let mut chars = cluster.chars();
    matches!((chars.next(), chars.next()), (Some(c), None) if ('\u{4E00}'..='\u{9FFF}').contains(&c))
}

/// NFKC, then Unicode's default lower-case mapping.
#[cfg(not(target_arch = "wasm32"))]
fn nfkc_lowercase(cluster: &str) -> std::borrow::Cow<'_, str> {
    use unicode_normalization::UnicodeNormalization;
    if is_stable(cluster) {
        return cluster.into();
    }
    cluster.nfkc().flat_map(char::to_lowercase).collect::<String>().into()
}

/// The same through the host's `normalize` and `toLowerCase`, which carry the Unicode tables already.
#[cfg(target_arch = "wasm32")]
fn nfkc_lowercase(cluster: &str) -> std::borrow::Cow<'_, str> {
    if is_stable(cluster) {
        return cluster.into();
    }
    crate::wasm::nfkc_lowercase(cluster).into()
}

/// OpenCC's traditional → simplified character table (see `scripts/gen-t2s.py`): pairs of LEB128 varints, the
/// traditional code point's distance from the previous one, then the simplified code point.
///
/// Native builds compile it in. The wasm module leaves it out (it is a fifth of the module) and the bundle ships it
/// as a file: the index holds no traditional characters, so a query needs the table only when one of its keywords
/// finds nothing, and an excerpt only for a post that contains traditional characters. Until the host hands it
/// over with [`install_folding_table`], folding leaves traditional characters as they are.
#[cfg(not(target_arch = "wasm32"))]
pub const FOLDING_TABLE: &[u8] = include_bytes!("normalize/t2s.bin");

static TABLE: OnceLock<Vec<(u32, u32)>> = OnceLock::new();

fn decode_table(name: &str, raw: &[u8]) -> Result<Vec<(u32, u32)>, crate::Error> {
    let mut reader = crate::format::Reader::new(name, raw);
    let mut pairs = Vec::with_capacity(4200);
    let mut traditional = 0u32;
    while !reader.is_empty() {
        let delta = reader.u32_varint()?;
        let simplified = reader.u32_varint()?;
        traditional = traditional
            .checked_add(delta)
            .filter(|_| delta > 0 || pairs.is_empty())
            .ok_or_else(|| reader.error("folding table out of order"))?;
        pairs.push((traditional, simplified));
    }
    Ok(pairs)
}

/// Installs the folding table from its bundle file (wasm); a no-op where it is compiled in or already installed.
pub fn install_folding_table(name: &str, raw: &[u8]) -> Result<(), crate::Error> {
    if TABLE.get().is_none() {
        let pairs = decode_table(name, raw)?;
        let _ = TABLE.set(pairs);
    }
    Ok(())
}

pub fn has_folding_table() -> bool {
    t2s_table().is_some()
}

fn t2s_table() -> Option<&'static [(u32, u32)]> {
    #[cfg(not(target_arch = "wasm32"))]
    if TABLE.get().is_none() {
        // Compiled in and covered by the tests below.
        let _ = TABLE.set(decode_table("t2s.bin", FOLDING_TABLE).unwrap_or_default());
    }
    TABLE.get().map(Vec::as_slice)
}

/// Whether `text` contains a character the folding table maps (for the writer: posts that need the table).
pub fn has_traditional(text: &str) -> bool {
    text.chars().any(|c| to_simplified(c) != c)
}

pub fn to_simplified(c: char) -> char {
    if c.is_ascii() {
        return c;
    }
    let Some(table) = t2s_table() else { return c };
    match table.binary_search_by_key(&(c as u32), |&(t, _)| t) {
        Ok(i) => char::from_u32(table[i].1).unwrap_or(c),
        Err(_) => c,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folds_width_case_and_script() {
        assert_eq!(normalize("ＧＤＰ增长５Ｇ"), "gdp增长5g");
        assert_eq!(normalize("iPhone 15 Pro"), "iphone 15 pro");
        assert_eq!(normalize("長春人工智慧"), "长春人工智慧");
        assert_eq!(normalize("經濟"), "经济");
        assert_eq!(normalize("黄金价格"), "黄金价格");
    }

    #[test]
    fn drops_invisible_characters_and_cjk_adjacent_spaces() {
        assert_eq!(normalize("人工\u{200B}智能"), "人工智能");
        // Every Default_Ignorable_Code_Point: a variation selector, a shorthand format control, a musical one.
        assert_eq!(normalize("❤\u{FE0F}葛\u{E0100}城\u{1BCA0}\u{1D173}"), "❤葛城");
        assert_eq!(normalize("\u{FEFF}使用 Rust 编写"), "使用rust编写");
        assert_eq!(normalize("第一段\n\n第二段"), "第一段第二段");
        assert_eq!(normalize("hello \t\n world"), "hello world");
        assert_eq!(normalize("　两端　"), "两端");
        assert_eq!(normalize("a\u{00A0}b"), "a b");
        assert_eq!(normalize("  "), "");
        // Word's manual line break: a vertical tab, white space like any other.
        assert_eq!(normalize("alpha\u{B}beta"), "alpha beta");
        assert_eq!(normalize("第一行\u{B}第二行"), "第一行第二行");
    }

    #[test]
    fn composes_combining_marks_and_expands_compatibility_forms() {
        assert_eq!(normalize("Cafe\u{0301}"), "café");
        assert_eq!(normalize("㈱"), "(株)");
        assert_eq!(normalize("①"), "1");
        // Across characters too: a decomposed Hangul syllable, a half-width kana with its voiced mark.
        assert_eq!(normalize("\u{1112}\u{1161}\u{11AB}국어"), "한국어");
        assert_eq!(normalize("ｶﾞｿﾘﾝ価格"), normalize("ガソリン価格"));
        assert_eq!(normalize("ｶﾞ"), "ガ");
    }

    #[test]
    fn enclosed_numbers_stay_apart_from_latin_words() {
        assert_eq!(normalize("①AI芯片"), "1 ai芯片");
        assert_eq!(normalize("GPU②"), "gpu 2");
        assert_eq!(normalize("⑴iPhone"), "(1) iphone");
        assert_eq!(normalize("第①条"), "第1条");
        assert_eq!(normalize("①②"), "1 2");
        // Other compatibility digits still join: H₂O is searched as h2o, full-width ５Ｇ as 5g.
        assert_eq!(normalize("H₂O ５Ｇ"), "h2o 5g");
        let folded = normalize_mapped("①AI");
        assert_eq!(folded.text, "1 ai");
        assert_eq!(folded.origins, [(0, 3), (0, 3), (3, 4), (4, 5)]);
    }

    #[test]
    fn origins_point_back_into_the_input() {
        let input = "ＡＩ 芯片";
        let folded = normalize_mapped(input);
        assert_eq!(folded.text, "ai芯片");
        let spans: Vec<&str> = folded.origins.iter().map(|&(s, e)| &input[s as usize..e as usize]).collect();
        assert_eq!(spans, ["Ａ", "Ｉ", "芯", "片"]);
    }

    #[test]
    fn table_is_complete() {
        let table = t2s_table().unwrap();
        assert!(table.len() > 4000);
        assert!(table.windows(2).all(|w| w[0].0 < w[1].0));
        assert!(has_traditional("長春") && !has_traditional("长春 abc"));
    }
}
