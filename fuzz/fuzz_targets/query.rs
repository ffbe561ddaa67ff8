//! Query parsing, folding, tokens and excerpts on arbitrary text. Input: window size (1 byte), then UTF-8 (lossy)
//! holding the query, a NUL, and the text to excerpt (the query itself when there is no NUL).
#![no_main]

use jiansuo::excerpt::excerpt;
use jiansuo::normalize::{normalize, normalize_mapped};
use jiansuo::token::{tokenize, TokenKind};
use jiansuo::Error;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some((&window, rest)) = data.split_first() else { return };
    let input = String::from_utf8_lossy(rest);
    let (query, text) = input.split_once('\0').unwrap_or((&input, &input));

    let keywords: Vec<String> = match jiansuo::query::parse(query) {
        Ok(parsed) => parsed.positive_keywords().map(|k| k.text.clone()).collect(),
        Err(Error::BadQuery(_)) => Vec::new(),
        Err(other) => panic!("parse failed with {other:?}"),
    };

    let folded = normalize_mapped(text);
    assert_eq!(folded.text, normalize(text));
    assert_eq!(folded.origins.len(), folded.text.chars().count());
    for &(start, end) in &folded.origins {
        let (start, end) = (start as usize, end as usize);
        assert!(start < end && text.is_char_boundary(start) && text.is_char_boundary(end), "origin {start}..{end}");
    }
    let tokens = tokenize(&folded.text);
    assert_eq!(tokens.iter().map(|t| t.text).collect::<String>(), folded.text);
    for token in &tokens {
        match token.kind {
            TokenKind::Space => assert_eq!(token.text, " "),
            TokenKind::Run => {
                assert!(token.text.bytes().all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'.'))
            }
            TokenKind::Char => assert_eq!(token.text.chars().count(), 1),
        }
    }

    let window = usize::from(window);
    let folded_keywords: Vec<&str> = keywords.iter().map(String::as_str).collect();
    let raw_keywords: Vec<&str> = query.split_whitespace().collect();
    for keywords in [&folded_keywords, &raw_keywords] {
        check_html(&excerpt(text, keywords, window));
    }
});

/// An excerpt is escaped text with well-formed, unnested `<mark>` elements and nothing else that is markup.
fn check_html(html: &str) {
    let mut rest = html;
    let mut open = false;
    while let Some(at) = rest.find(['<', '>', '"', '\'', '&']) {
        let tail = &rest[at..];
        let tag =
            ["<mark>", "</mark>", "&lt;", "&gt;", "&amp;", "&quot;", "&#39;"].into_iter().find(|t| tail.starts_with(t));
        match tag {
            Some("<mark>") => {
                assert!(!open, "nested <mark> in {html:?}");
                open = true;
            }
            Some("</mark>") => {
                assert!(open, "unopened </mark> in {html:?}");
                open = false;
            }
            Some(_) => {}
            None => panic!("unescaped markup at byte {} of {html:?}", html.len() - tail.len()),
        }
        rest = &tail[tag.map_or(1, str::len)..];
    }
    assert!(!open, "unclosed <mark> in {html:?}");
}
