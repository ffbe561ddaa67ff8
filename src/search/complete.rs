//! Completions: ways to finish the keyword being typed (长 → 长春, 长江…), most results first.
//!
//! They come from the dictionary alone: vocabulary words (`w` keys) for Chinese, Latin runs (`r` keys) for Latin
//! letters, each stored with the results a search for it shows, so a completion costs one range of dictionary
//! chunks and no postings.

use super::{Completion, Index, Step};
use crate::{query, termdict, Error};

/// Latin prefixes shorter than this complete nothing: one letter spans too much of the dictionary.
const MIN_LATIN_PREFIX: usize = 2;

/// Dictionary chunks a completion reads at most.
const MAX_COMPLETION_CHUNKS: usize = 3;

impl Index {
    /// Up to `limit` completions of the last keyword of `input`, the most frequent first.
    pub fn complete(&mut self, input: &str, limit: usize) -> Result<Step<Vec<Completion>>, Error> {
        if input.ends_with(char::is_whitespace) || input.chars().count() > query::MAX_QUERY_CHARS {
            return Ok(Step::Done(Vec::new()));
        }
        let last = input.rsplit(char::is_whitespace).next().unwrap_or_default();
        // get + expect rather than indexing: a failed str index formats the string and the character it splits, code
        // that was 4 KB of the wasm module.
        let head = input.get(..input.len() - last.len()).expect("a character boundary");
        let typed = last.trim_start_matches(['-', '"', '＂']);
        // The signs before the keyword (exclusion, phrase) stay in the completed query.
        let sign = last.get(..last.len() - typed.len()).expect("a character boundary");
        let prefix = crate::normalize::normalize(typed);
        let latin = prefix.bytes().all(|b| b.is_ascii_alphanumeric());
        if prefix.is_empty() || (latin && prefix.len() < MIN_LATIN_PREFIX) {
            return Ok(Step::Done(Vec::new()));
        }
        let key_prefix = if latin { termdict::kind_key(termdict::RUN, &prefix) } else { termdict::word_key(&prefix) };
        let range = self.manifest.chunks_for_prefix(&key_prefix);
        let range = range.start..range.end.min(range.start + MAX_COMPLETION_CHUNKS);
        let missing = self.missing_chunks(range.clone());
        if !missing.is_empty() {
            return Ok(self.need(missing));
        }
        let mut found: Vec<(String, u32)> = Vec::new();
        for chunk in range.filter_map(|c| self.chunks.get(&c)) {
            for (key, info) in chunk.prefixed(&key_prefix)? {
                // The keyword as typed finishes nothing (and, found in every post its longer words are, would come
                // first).
                match std::str::from_utf8(&key[1..]) {
                    Ok(text) if text != prefix => found.push((text.to_string(), info.doc_freq)),
                    _ => {}
                }
            }
        }
        let mut order: Vec<u64> =
            found.iter().enumerate().map(|(i, (_, df))| (u64::from(!*df) << 32) | i as u64).collect();
        crate::sort::sort_u64(&mut order);
        let mut completions = Vec::with_capacity(limit.min(order.len()));
        for key in order.into_iter().take(limit) {
            let (text, count) = &found[(key & 0xFFFF_FFFF) as usize];
            completions.push(Completion { text: text.clone(), query: format!("{head}{sign}{text}"), count: *count });
        }
        Ok(Step::Done(completions))
    }
}
