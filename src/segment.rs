//! Splits a keyword into the index's own words, for the fallback when the keyword as typed finds nothing.
//!
//! Matching never depends on segmentation: a keyword is found wherever its characters occur. But a reader who types
//! a whole phrase without spaces (`长春人工智能产业`) usually means its words, not that exact string. When a query
//! finds nothing, each long keyword is split into words of the index's vocabulary (jieba's words over the posts,
//! stored in the term dictionary), so query-time and build-time segmentation can never disagree, and the query is
//! run again with the words as separate keywords; the page says so.

use crate::token::{tokenize, TokenKind};

/// The longest word considered, in characters.
pub const MAX_WORD_CHARS: usize = 8;

/// Substrings of `keyword` that could be vocabulary words (what the caller must look up).
pub fn candidates(keyword: &str) -> Vec<String> {
    let spans = char_spans(keyword);
    let mut out = Vec::new();
    for (start, run) in spans.iter().enumerate() {
        if run.1 {
            continue;
        }
        for end in start + 2..=(start + MAX_WORD_CHARS).min(spans.len()) {
            if spans[start..end].iter().any(|s| s.1) {
                break;
            }
            out.push(spans[start..end].iter().map(|s| s.0).collect());
        }
    }
    out
}

/// The keyword as words: fewest pieces, then the most common words. `doc_freq` tells a word's document frequency
/// (None when it is not in the vocabulary). Latin runs and characters outside any word stay pieces of their own.
pub fn segment(keyword: &str, doc_freq: impl Fn(&str) -> Option<u32>) -> Vec<String> {
    let spans = char_spans(keyword);
    let n = spans.len();
    // best[j]: (pieces, −Σ ln df) of the best split of the first j tokens, and where its last piece starts.
    let mut best: Vec<Option<((usize, f32), usize)>> = vec![None; n + 1];
    best[0] = Some(((0, 0.0), 0));
    for end in 1..=n {
        for start in end.saturating_sub(MAX_WORD_CHARS)..end {
            let Some(((pieces, cost), _)) = best[start] else { continue };
            let piece_cost = if end - start == 1 {
                Some(0.0)
            } else if spans[start..end].iter().any(|s| s.1) {
                None
            } else {
                let word: String = spans[start..end].iter().map(|s| s.0).collect();
                doc_freq(&word).map(|df| -((df.max(1)) as f32).ln())
            };
            let Some(piece_cost) = piece_cost else { continue };
            let candidate = (pieces + 1, cost + piece_cost);
            let better = match best[end] {
                None => true,
                Some((current, _)) => candidate.0 < current.0 || (candidate.0 == current.0 && candidate.1 < current.1),
            };
            if better {
                best[end] = Some((candidate, start));
            }
        }
    }
    let mut pieces = Vec::new();
    let mut end = n;
    while end > 0 {
        let Some((_, start)) = best[end] else { break };
        pieces.push(spans[start..end].iter().map(|s| s.0).collect::<String>());
        end = start;
    }
    pieces.reverse();
    // Lone characters next to each other were not words: keep them together, as typed.
    let mut merged: Vec<String> = Vec::new();
    let mut previous_single = false;
    for piece in pieces {
        let single = piece.chars().count() == 1 && !piece.is_ascii();
        match merged.last_mut() {
            Some(last) if single && previous_single => last.push_str(&piece),
            _ => merged.push(piece),
        }
        previous_single = single;
    }
    merged
}

/// The keyword's tokens as (text, is a Latin run or space).
fn char_spans(keyword: &str) -> Vec<(&str, bool)> {
    tokenize(keyword).into_iter().map(|t| (t.text, t.kind != TokenKind::Char)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vocabulary(word: &str) -> Option<u32> {
        match word {
            "长春" => Some(150),
            "人工" => Some(900),
            "智能" => Some(2000),
            "人工智能" => Some(1900),
            "产业" => Some(5000),
            "芯片" => Some(300),
            _ => None,
        }
    }

    #[test]
    fn splits_into_fewest_words() {
        assert_eq!(segment("长春人工智能产业", vocabulary), ["长春", "人工智能", "产业"]);
        assert_eq!(segment("ai芯片", vocabulary), ["ai", "芯片"]);
        assert_eq!(segment("长春的产业", vocabulary), ["长春", "的", "产业"]);
        assert_eq!(segment("甲乙丙", vocabulary), ["甲乙丙"]);
        assert_eq!(segment("长春", vocabulary), ["长春"]);
    }

    #[test]
    fn candidates_are_cjk_substrings() {
        assert_eq!(candidates("长春市"), ["长春", "长春市", "春市"]);
        assert_eq!(candidates("ai芯片"), ["芯片"]);
    }
}
