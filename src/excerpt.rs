//! Excerpts: the window of a post's text that best shows why it matched.
//!
//! The keywords are found again in the folded text (same rules as matching, including the Latin run start), mapped
//! back to the original characters, and the window of about [`EXCERPT_CHARS`] characters holding the most distinct
//! keywords, then the most hits, is cut out. Everything is HTML-escaped; only our own `<mark>` tags are markup.

use crate::normalize::normalize_mapped;
use crate::token::starts_run;

pub const EXCERPT_CHARS: usize = 100;
/// Characters of context kept before the first hit of the window.
const LEAD_IN: usize = 16;
/// More hits of one keyword than this add nothing to the choice of the window. Per keyword: a cap on all of them let
/// a keyword hundreds of times in a post crowd out the others' hits, which then went unmarked or unshown.
const MAX_HITS_PER_KEYWORD: usize = 1 << 16;

/// An excerpt of `text` around the folded `keywords`, as HTML.
pub fn excerpt(text: &str, keywords: &[&str], window: usize) -> String {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let hits = find_hits(text, &chars, keywords);
    let (start, end) = choose_window(&chars, &hits, window);
    let mut html = String::with_capacity((end - start) * 4 + 32);
    if start > 0 {
        html.push('…');
    }
    let mut in_space = false;
    let mut hit_iter = hits.iter().filter(|h| h.end > start && h.start < end).peekable();
    let mut open_until: Option<usize> = None;
    for (i, &(_, c)) in chars.iter().enumerate().take(end).skip(start) {
        if open_until.is_none() {
            while hit_iter.peek().is_some_and(|h| h.end <= i) {
                hit_iter.next();
            }
            if let Some(hit) = hit_iter.peek().filter(|h| h.start <= i) {
                html.push_str("<mark>");
                open_until = Some(hit.end.min(end));
                in_space = false;
            }
        }
        if c.is_whitespace() {
            let at_start = html.is_empty() || html == "…";
            if !in_space && !at_start {
                html.push(' ');
            }
            in_space = true;
        } else {
            in_space = false;
            push_escaped(&mut html, c);
        }
        if open_until == Some(i + 1) {
            html.push_str("</mark>");
            open_until = None;
        }
    }
    if open_until.is_some() {
        html.push_str("</mark>");
    }
    if end < chars.len() {
        html.push('…');
    }
    html
}

/// A hit as a range of character indices of the original text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Hit {
    start: usize,
    end: usize,
    keyword: usize,
}

/// Byte offsets of the non-overlapping occurrences of `needle`, as `str::match_indices` finds them (in UTF-8 a match
/// of whole characters always starts on a character). Its Two-Way searcher is 2 KB of the wasm module; for keywords
/// of a few bytes in one post a plain scan does as well.
fn occurrences<'a>(haystack: &'a [u8], needle: &'a [u8]) -> impl Iterator<Item = usize> + 'a {
    let mut from = 0;
    std::iter::from_fn(move || {
        let at = from + haystack.get(from..)?.windows(needle.len()).position(|window| window == needle)?;
        from = at + needle.len();
        Some(at)
    })
}

fn find_hits(text: &str, chars: &[(usize, char)], keywords: &[&str]) -> Vec<Hit> {
    let folded = normalize_mapped(text);
    let folded_bytes = folded.text.as_bytes();
    // Byte offset in the folded text → index of its character.
    let folded_starts: Vec<usize> = folded.text.char_indices().map(|(b, _)| b).collect();
    let original_index = |byte: usize| chars.partition_point(|&(b, _)| b < byte);
    let mut hits = Vec::new();
    for (k, keyword) in keywords.iter().enumerate().take(64) {
        if keyword.is_empty() {
            continue;
        }
        let needs_run_start = keyword.as_bytes()[0].is_ascii_alphanumeric();
        let first_of_keyword = hits.len();
        for at in occurrences(folded_bytes, keyword.as_bytes()) {
            if needs_run_start && !starts_run(folded_bytes, at) {
                continue;
            }
            let first = folded_starts.partition_point(|&b| b < at);
            let last = folded_starts.partition_point(|&b| b < at + keyword.len()) - 1;
            let (Some(&(start, _)), Some(&(_, end))) = (folded.origins.get(first), folded.origins.get(last)) else {
                continue;
            };
            hits.push(Hit { start: original_index(start as usize), end: original_index(end as usize), keyword: k });
            if hits.len() - first_of_keyword >= MAX_HITS_PER_KEYWORD {
                break;
            }
        }
    }
    // By start, longest first, packed into integers for crate::sort.
    let limit = (1u64 << 26) - 1;
    let mut keys: Vec<u64> = hits
        .iter()
        .map(|h| ((h.start as u64).min(limit) << 38) | ((limit - (h.end as u64).min(limit)) << 12) | h.keyword as u64)
        .collect();
    crate::sort::sort_u64(&mut keys);
    let hits: Vec<Hit> = keys
        .into_iter()
        .map(|key| {
            let start = (key >> 38) as usize;
            Hit { start, end: (limit - ((key >> 12) & limit)) as usize, keyword: (key & 0xFFF) as usize }
        })
        .collect();
    // Overlapping hits (智能 inside 人工智能) merge into one mark.
    let mut merged: Vec<Hit> = Vec::with_capacity(hits.len());
    for hit in hits {
        match merged.last_mut() {
            Some(last) if hit.start < last.end => last.end = last.end.max(hit.end),
            _ => merged.push(hit),
        }
    }
    merged
}

/// The character range of the excerpt: about `window` characters from a little before the first hit of the window
/// with the most distinct keywords, then the most hits. Its edges do not cut a hit (unless it runs on for more than
/// [`LEAD_IN`] characters past the edge), a Latin word or a number.
fn choose_window(chars: &[(usize, char)], hits: &[Hit], window: usize) -> (usize, usize) {
    let len = chars.len();
    if len <= window {
        return (0, len);
    }
    let mut best: Option<(usize, usize, usize)> = None; // (distinct keywords, hits, start hit)
    for (i, first) in hits.iter().enumerate() {
        let limit = first.start + window - LEAD_IN.min(first.start);
        let inside: Vec<&Hit> = hits[i..].iter().take_while(|h| h.end <= limit).collect();
        let distinct = inside.iter().fold(0u64, |seen, h| seen | 1 << (h.keyword % 64)).count_ones() as usize;
        let score = (distinct, inside.len());
        if best.is_none_or(|(d, n, _)| score > (d, n)) {
            best = Some((score.0, score.1, i));
        }
    }
    // Without hits, the opening.
    let first_hit = best.map_or(0, |(_, _, first)| hits[first].start);
    let mut start = first_hit.saturating_sub(LEAD_IN).min(len - window);
    // A clause that begins in the lead-in is shown from its beginning, not from the middle of a word (no dictionary
    // here to tell where Chinese words end); not where the end of the text would then shorten the excerpt.
    if let Some(before) = chars[start..first_hit]
        .iter()
        .rposition(|&(_, c)| c.is_whitespace() || matches!(c, '。' | '！' | '？' | '；' | '，' | '、' | '：'))
    {
        start = (start + before + 1).min(len - window);
    }
    let mut end = (start + window).min(len);
    // Without hits, the end backs off a word or number no further than half the window.
    let mut last_hit_end = window / 2;
    // A hit an edge would cut is shown whole, unless it runs on (overlapping hits of a repeated pattern merge).
    for hit in hits {
        if hit.start < start && start < hit.end && hit.start + LEAD_IN >= start {
            start = hit.start;
        }
        if hit.start < end {
            if end < hit.end && hit.end <= end + LEAD_IN {
                end = hit.end;
            }
            last_hit_end = hit.end.min(end);
        }
    }
    // Both sides of `i` in one Latin word or number (`.` included: a number's point, an abbreviation's).
    let in_word = |j: usize| chars.get(j).is_some_and(|&(_, c)| c.is_ascii_alphanumeric() || c == '.');
    let inside_word = |i: usize| in_word(i.wrapping_sub(1)) && in_word(i);
    while start < first_hit && inside_word(start) {
        start += 1;
    }
    while end > last_hit_end && inside_word(end) {
        end -= 1;
    }
    (start, end)
}

fn push_escaped(html: &mut String, c: char) {
    match c {
        '<' => html.push_str("&lt;"),
        '>' => html.push_str("&gt;"),
        '&' => html.push_str("&amp;"),
        '"' => html.push_str("&quot;"),
        '\'' => html.push_str("&#39;"),
        _ => html.push(c),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_hits_and_escapes_everything_else() {
        assert_eq!(
            excerpt("<b>人工智能</b> & 5G", &["智能", "5g"], 100),
            "&lt;b&gt;人工<mark>智能</mark>&lt;/b&gt; &amp; <mark>5G</mark>"
        );
        assert_eq!(excerpt("長春的人工智慧", &["长春"], 100), "<mark>長春</mark>的人工智慧");
        assert_eq!(excerpt("ambiphone iPhone15", &["iphone"], 100), "ambiphone <mark>iPhone</mark>15");
        assert_eq!(excerpt("人工智能", &["人工智能", "智能"], 100), "<mark>人工智能</mark>");
    }

    #[test]
    fn picks_the_densest_window() {
        let text = format!("{}黄金价格上涨{}黄金{}价格", "甲".repeat(300), "乙".repeat(300), "丙".repeat(10));
        let html = excerpt(&text, &["黄金", "价格"], 40);
        assert!(html.starts_with('…') && html.ends_with('…'), "{html}");
        assert!(html.contains("<mark>黄金</mark><mark>价格</mark>") || html.contains("<mark>黄金</mark>丙"), "{html}");
        assert_eq!(
            html.chars().filter(|&c| c != '…').count() - "<mark></mark>".len() * html.matches("<mark>").count(),
            40
        );
    }

    #[test]
    fn a_very_common_keyword_leaves_room_for_the_others() {
        let text = format!("长春长春长{}", "雨春".repeat(256));
        for keywords in [["雨", "长"], ["长", "雨"]] {
            let html = excerpt(&text, &keywords, 100);
            assert!(html.starts_with("<mark>长</mark>春<mark>长</mark>春<mark>长</mark><mark>雨</mark>"), "{html}");
        }
        let text = format!("{}长乙长丙长丁{}", "雨春".repeat(300), "甲".repeat(200));
        let html = excerpt(&text, &["雨", "长"], 100);
        // The window with both keywords (it was the opening, with 雨 alone).
        assert!(html.contains("<mark>雨</mark>春<mark>长</mark>"), "{html}");
    }

    #[test]
    fn the_edges_cut_no_hit_latin_word_or_number() {
        // The window's end would cut the second 习近平: it goes on to the hit's end.
        let text = format!("乙乙乙乙乙乙乙习近平{}习近平{}", "丙".repeat(88), "丁".repeat(100));
        assert!(excerpt(&text, &["习近平"], 100).ends_with("丙<mark>习近平</mark>…"));
        // Its start in a Latin word: on to the word's end.
        let text = format!("{}{}乙乙人工智能{}", "甲".repeat(50), "A".repeat(20), "丙".repeat(100));
        assert!(excerpt(&text, &["人工智能"], 100).starts_with("…乙乙<mark>人工智能</mark>丙"));
        // Its end in a number (its point included) or a word: back before it.
        for number in ["2024年", "2.88%", "iPhone"] {
            let text = format!("人工智能{}{number}{}", "丙".repeat(94), "丁".repeat(50));
            assert!(excerpt(&text, &["人工智能"], 100).ends_with("丙…"), "{number}");
            // The same for the opening shown when no keyword is in the text.
            assert!(excerpt(&text, &["无"], 100).ends_with("丙…"), "{number}");
        }
        // Its start in an earlier hit: back to that hit's start.
        let text =
            format!("{}习近平{}习近平{}李强{}", "甲".repeat(50), "乙".repeat(14), "丙".repeat(70), "丁".repeat(100));
        assert!(excerpt(&text, &["习近平", "李强"], 100).starts_with("…<mark>习近平</mark>乙"));
        // Overlapping hits of a repeated pattern merge into one: it is cut, not shown whole.
        // An opening without hits that is one long word keeps half the window.
        assert_eq!(excerpt(&"A".repeat(150), &["无"], 100), format!("{}…", "A".repeat(50)));
        let html = excerpt(&"一二".repeat(3000), &["一二", "二一"], 100);
        assert_eq!(html.chars().count(), "<mark></mark>…".chars().count() + 100);
    }

    #[test]
    fn the_start_is_a_clause_start_in_the_lead_in() {
        let text = format!("{}经济发展，长春市人工智能{}", "甲".repeat(50), "丙".repeat(100));
        assert!(excerpt(&text, &["人工智能"], 100).starts_with("…长春市<mark>人工智能</mark>丙"));
        // A space ends a clause too; without a break in the lead-in, the start stays 16 characters before the hit.
        let text = format!("{}经济发展 长春市人工智能{}", "甲".repeat(50), "丙".repeat(100));
        assert!(excerpt(&text, &["人工智能"], 100).starts_with("…长春市<mark>人工智能</mark>丙"));
        let text = format!("{}经济发展长春市人工智能{}", "甲".repeat(50), "丙".repeat(100));
        assert!(excerpt(&text, &["人工智能"], 100).starts_with("…甲甲甲甲甲甲甲甲甲经济发展长春市<mark>人工智能"));
        // Where the end of the text holds the start back, the excerpt keeps its length.
        for text in [
            format!("{}。{}长春市人工智能", "甲".repeat(100), "乙".repeat(40)),
            format!("{}{}。长春市人工智能", "甲".repeat(100), "乙".repeat(40)),
            format!("{}{}。长春市人工智能。", "甲".repeat(100), "乙".repeat(40)),
            format!("{}{}，{}长春市人工智能{}", "甲".repeat(100), "乙".repeat(10), "乙".repeat(5), "丙".repeat(80)),
        ] {
            let html = excerpt(&text, &["人工智能"], 100);
            assert_eq!(html.chars().count(), "…<mark></mark>".chars().count() + 100, "{html}");
        }
    }

    #[test]
    fn no_hit_gives_the_opening() {
        assert_eq!(excerpt("第一段\n\n第二段", &["无"], 100), "第一段 第二段");
        assert_eq!(excerpt(&"字".repeat(200), &["无"], 10), format!("{}…", "字".repeat(10)));
    }
}
