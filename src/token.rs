//! Splits folded text into the tokens the index is made of.
//!
//! Chinese has no spaces, so every Chinese character (and every punctuation mark or symbol) is a token of its own;
//! matching then works on character sequences and never depends on a word segmenter. Latin letters and digits form
//! *runs* (`iphone15`, `2.5g`, `pm2.5`), one token each: a keyword that starts with a Latin letter must start where a
//! run starts, which is what run tokens give for free. A kept space (between two ASCII characters, see
//! [`crate::normalize`]) is a token too, so that quoted phrases like `"open source"` match exactly.

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TokenKind {
    /// A maximal run of ASCII letters and digits, a `.` between two digits included.
    Run,
    /// Any other single visible character.
    Char,
    /// A single kept space.
    Space,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Token<'a> {
    pub text: &'a str,
    pub kind: TokenKind,
}

fn is_run_char(c: u8) -> bool {
    c.is_ascii_lowercase() || c.is_ascii_digit()
}

/// Tokens of already folded text (see [`crate::normalize::normalize`]).
pub fn tokenize(folded: &str) -> Vec<Token<'_>> {
    let bytes = folded.as_bytes();
    let mut tokens = Vec::with_capacity(folded.len() / 2);
    let mut i = 0;
    while i < bytes.len() {
        let start = i;
        if is_run_char(bytes[i]) {
            i += 1;
            while i < bytes.len() {
                if is_run_char(bytes[i]) {
                    i += 1;
                } else if bytes[i] == b'.'
                    && bytes[i - 1].is_ascii_digit()
                    && bytes.get(i + 1).is_some_and(u8::is_ascii_digit)
                {
                    i += 2;
                } else {
                    break;
                }
            }
            // get + expect rather than indexing: a failed str index formats the string and the character it splits, code
            // that was 4 KB of the wasm module.
            tokens.push(Token { text: folded.get(start..i).expect("a character boundary"), kind: TokenKind::Run });
            continue;
        }
        let len = utf8_len(bytes[i]);
        i = (i + len).min(bytes.len());
        let text = folded.get(start..i).expect("a character boundary");
        let kind = if text == " " { TokenKind::Space } else { TokenKind::Char };
        tokens.push(Token { text, kind });
    }
    tokens
}

fn utf8_len(first: u8) -> usize {
    match first {
        0x00..=0x7F => 1,
        0xC0..=0xDF => 2,
        0xE0..=0xEF => 3,
        _ => 4,
    }
}

/// Whether byte offset `at` of folded text starts a Latin run: the rule keywords starting with a Latin letter or
/// digit obey. Used where text is scanned directly (excerpts) rather than through tokens.
pub fn starts_run(folded: &[u8], at: usize) -> bool {
    let Some(&c) = folded.get(at) else {
        return false;
    };
    if !is_run_char(c) {
        return false;
    }
    match at {
        0 => true,
        _ => {
            let before = folded[at - 1];
            if is_run_char(before) {
                return false;
            }
            !(before == b'.' && c.is_ascii_digit() && at >= 2 && folded[at - 2].is_ascii_digit())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn texts(s: &str) -> Vec<&str> {
        tokenize(s).iter().map(|t| t.text).collect()
    }

    #[test]
    fn runs_chars_and_spaces() {
        assert_eq!(texts("ai芯片"), ["ai", "芯", "片"]);
        assert_eq!(texts("iphone15发布"), ["iphone15", "发", "布"]);
        assert_eq!(texts("pm2.5超标"), ["pm2.5", "超", "标"]);
        assert_eq!(texts("2.5g和5g"), ["2.5g", "和", "5g"]);
        assert_eq!(texts("v1.2.3"), ["v1.2.3"]);
        assert_eq!(texts("a.b"), ["a", ".", "b"]);
        assert_eq!(texts("3.72%"), ["3.72", "%"]);
        assert_eq!(texts("open source"), ["open", " ", "source"]);
        assert_eq!(texts("1."), ["1", "."]);
        let kinds: Vec<TokenKind> = tokenize("a 中").iter().map(|t| t.kind).collect();
        assert_eq!(kinds, [TokenKind::Run, TokenKind::Space, TokenKind::Char]);
    }

    #[test]
    fn run_starts() {
        let text = b"ambiphone iphone 2.5g 5g";
        assert!(!starts_run(text, 4));
        assert!(starts_run(text, 10));
        assert!(!starts_run(text, 19));
        assert!(starts_run(text, 22));
        assert!(starts_run(text, 17));
    }
}
