//! What the reader probably meant, when a query finds little: the Chinese word its pinyin reads as
//! ([`crate::pinyin`]), the Latin word it misspells ([`crate::typo`]), or its keywords split into the index's words
//! ([`crate::segment`]). Each is ranked as a query of its own and replaces the typed one only when it finds more;
//! initials (`rgzn`) that find something themselves get their word offered beside the results instead, unless
//! they find twice as many posts or more.

use super::{Alternative, Fetch, Filters, Index, Ranked, Rewrite, RewriteKind};
use crate::query::{Clause, Keyword, Query};
use crate::{pinyin, segment, termdict, typo};

/// Fewer results than this make the engine try what the reader may have meant (pinyin, typos).
const FEW_RESULTS: usize = 3;

/// Dictionary chunks read at most for pinyin or typo candidates.
const MAX_TYPO_CHUNKS: usize = 4;

impl Index {
    /// Ranks `query`; when it finds little, tries what the reader probably meant: the Chinese word its pinyin reads
    /// as, the Latin word it misspells, or its keywords split into the index's words.
    pub(super) fn rank_or_rewrite(&self, query: &Query, filters: &Filters) -> Fetch<Ranked> {
        let mut ranked = ready!(self.rank(query, filters));
        if !query.has_positive() || filters.exact {
            return Ok(Ok(ranked));
        }
        let found = ranked.ranking.len();
        let few = found < FEW_RESULTS;
        if let Some(letters) = pinyin::letters(query).filter(|l| few || pinyin::is_initials(l)) {
            if let Some((word, count, by_initials)) = ready!(self.pinyin_word(&letters)) {
                let rewritten =
                    Query { clauses: vec![Clause { alternatives: vec![Keyword { text: word }], negated: false }] };
                // Letters that find something are not replaced by a word they are only the initials of (WTO is no
                // 唯特偶, MSN no 每十年): that word is offered beside what they find.
                if few && !(by_initials && found > 0) {
                    if let Some(better) = ready!(self.rank_rewritten(rewritten, RewriteKind::Pinyin, &ranked, filters))
                    {
                        return Ok(Ok(better));
                    }
                } else if count as usize * 2 > found {
                    // Not offered beside letters that find twice as many posts or more: GDP's 205 are no misspelt
                    // 各党派 (20). A margin, as the letters' count also holds longer runs they start (cc: CCTV) and
                    // the word's is of the whole site, whatever the filters.
                    ranked.alternatives.push(Alternative {
                        query: rewritten.to_string(),
                        kind: RewriteKind::Pinyin,
                        count,
                    });
                }
            }
        }
        if few {
            if let Some(corrected) = ready!(self.corrected(query)) {
                if let Some(better) = ready!(self.rank_rewritten(corrected, RewriteKind::Typo, &ranked, filters)) {
                    return Ok(Ok(better));
                }
            }
        }
        if ranked.ranking.is_empty() {
            if let Some(segmented) = ready!(self.segmented(query)) {
                if let Some(better) = ready!(self.rank_rewritten(segmented, RewriteKind::Segmented, &ranked, filters)) {
                    return Ok(Ok(better));
                }
            }
        }
        Ok(Ok(ranked))
    }

    /// Ranks a rewritten query; keeps it only if it finds more than the original did.
    fn rank_rewritten(
        &self,
        rewritten: Query,
        kind: RewriteKind,
        original: &Ranked,
        filters: &Filters,
    ) -> Fetch<Option<Ranked>> {
        let mut retry = ready!(self.rank(&rewritten, filters));
        if retry.ranking.len() <= original.ranking.len() {
            return Ok(Ok(None));
        }
        let rewrite = Rewrite { query: rewritten.to_string(), kind };
        retry.rewrite = Some((rewritten, rewrite));
        Ok(Ok(Some(retry)))
    }

    /// The most common vocabulary word that reads `letters` (full pinyin first, then initials), with its count and
    /// whether `letters` are its initials.
    fn pinyin_word(&self, letters: &str) -> Fetch<Option<(String, u32, bool)>> {
        let prefixes = [pinyin::reading_prefix(letters), pinyin::initials_prefix(letters)];
        let ranges: Vec<std::ops::Range<usize>> = prefixes.iter().map(|p| self.bounded_range(p)).collect();
        let missing = self.missing_chunks(ranges.iter().cloned().flatten());
        if !missing.is_empty() {
            return Ok(Err(missing));
        }
        for (by_initials, (prefix, range)) in [false, true].into_iter().zip(prefixes.iter().zip(ranges)) {
            let mut best: Option<(String, pinyin::Weighted)> = None;
            for chunk in range.filter_map(|c| self.chunks.get(&c)) {
                for (key, info) in chunk.prefixed(prefix)? {
                    let Some(word) = pinyin::word_of(&key) else { continue };
                    let weighted = pinyin::Weighted::unpack(info.doc_freq);
                    if best.as_ref().is_none_or(|(_, b)| weighted.weight() > b.weight()) {
                        best = Some((word.to_string(), weighted));
                    }
                }
            }
            if let Some((word, weighted)) = best {
                return Ok(Ok(Some((word, weighted.results, by_initials))));
            }
        }
        Ok(Ok(None))
    }

    /// `query` with each Latin keyword that finds little replaced by its most common close spelling.
    fn corrected(&self, query: &Query) -> Fetch<Option<Query>> {
        let correctable = |clause: &Clause| -> Option<String> {
            let text = &clause.alternatives.first()?.text;
            let ok = !clause.negated
                && clause.alternatives.len() == 1
                && typo::max_distance(text.len()) > 0
                && text.bytes().all(|b| b.is_ascii_lowercase());
            ok.then(|| text.clone())
        };
        let mut ranges = Vec::new();
        for word in query.clauses.iter().filter_map(correctable) {
            // Runs starting with the same letter; the same two letters when one letter spans too many chunks.
            let first = word.get(..1).expect("a character boundary");
            let one = self.manifest.chunks_for_prefix(&termdict::kind_key(termdict::RUN, first));
            let prefix = if one.len() > MAX_TYPO_CHUNKS { word.get(..2).expect("a character boundary") } else { first };
            let key = termdict::kind_key(termdict::RUN, prefix);
            ranges.push((word, key.clone(), self.bounded_range(&key)));
        }
        if ranges.is_empty() {
            return Ok(Ok(None));
        }
        let missing = self.missing_chunks(ranges.iter().flat_map(|r| r.2.clone()));
        if !missing.is_empty() {
            return Ok(Err(missing));
        }
        let mut corrected = query.clone();
        let mut changed = false;
        for (word, key, range) in ranges {
            let limit = typo::max_distance(word.len());
            let mut best: Option<(String, usize, u32)> = None;
            let mut known = false;
            for chunk in range.filter_map(|c| self.chunks.get(&c)) {
                for (candidate, info) in chunk.prefixed(&key)? {
                    let candidate = &candidate[1..];
                    // A word the posts contain (or that a word of theirs starts with) is no typo, however rare.
                    known |= candidate.starts_with(word.as_bytes());
                    let Some(distance) = typo::distance(word.as_bytes(), candidate, limit) else { continue };
                    let better = best.as_ref().is_none_or(|(_, d, df)| {
                        (distance, std::cmp::Reverse(info.doc_freq)) < (*d, std::cmp::Reverse(*df))
                    });
                    if distance > 0 && better {
                        // Dictionary keys are UTF-8 (from_utf8_lossy, for damaged ones, is 1 KB of the wasm module).
                        if let Ok(text) = std::str::from_utf8(candidate) {
                            best = Some((text.to_string(), distance, info.doc_freq));
                        }
                    }
                }
            }
            if let (Some((replacement, _, _)), false) = (best, known) {
                for clause in &mut corrected.clauses {
                    if clause.alternatives.len() == 1 && clause.alternatives[0].text == word {
                        clause.alternatives[0].text.clone_from(&replacement);
                        changed = true;
                    }
                }
            }
        }
        Ok(Ok(changed.then_some(corrected)))
    }

    /// `query` with each long keyword split into vocabulary words; None when nothing splits.
    fn segmented(&self, query: &Query) -> Fetch<Option<Query>> {
        let splittable = |clause: &Clause| {
            !clause.negated && clause.alternatives.len() == 1 && clause.alternatives[0].text.chars().count() >= 3
        };
        let mut chunks = Vec::new();
        for clause in query.clauses.iter().filter(|c| splittable(c)) {
            for word in segment::candidates(&clause.alternatives[0].text) {
                chunks.extend(self.manifest.chunk_for(&termdict::word_key(&word)));
            }
        }
        let needed = self.missing_chunks(chunks);
        if !needed.is_empty() {
            return Ok(Err(needed));
        }
        let doc_freq = |word: &str| {
            let key = termdict::word_key(word);
            let chunk = self.chunks.get(&self.manifest.chunk_for(&key)?)?;
            chunk.get(&key).ok().flatten().map(|info| info.doc_freq)
        };
        let mut rewritten = Query::default();
        for clause in &query.clauses {
            if !splittable(clause) {
                rewritten.clauses.push(clause.clone());
                continue;
            }
            for word in segment::segment(&clause.alternatives[0].text, doc_freq) {
                rewritten.clauses.push(Clause { alternatives: vec![Keyword { text: word }], negated: false });
            }
        }
        Ok(Ok((rewritten.clauses.len() > query.clauses.len()).then_some(rewritten)))
    }

    /// The chunks a prefix spans, at most [`MAX_TYPO_CHUNKS`] of them.
    fn bounded_range(&self, prefix: &[u8]) -> std::ops::Range<usize> {
        let range = self.manifest.chunks_for_prefix(prefix);
        range.start..range.end.min(range.start + MAX_TYPO_CHUNKS)
    }
}
