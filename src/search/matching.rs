//! Exact matching: which posts contain each keyword, and how often in each field.
//!
//! Matching never depends on a word segmenter: a keyword of one token is answered from its unigram doc list, of two
//! tokens from its bigram doc list, and a longer one by intersecting the doc lists of bigrams that cover it and
//! verifying in the position lists that they occur at the right distances in the same field. A keyword ending in a
//! Latin run matches runs that start with it (`iphone` finds `iphone15`): those lookups are prefix ranges of the
//! dictionary. Clauses then combine: alternatives (`OR`) by union, clauses by intersection, exclusions by difference.

use super::{Fetch, Index, Slots};
use crate::format::Reader;
use crate::manifest::Manifest;
use crate::postings::{decode_doclist, FieldFreqs, PositionLists, Posting, FIELDS};
use crate::query::Query;
use crate::termdict::{self, DataRef, TermChunk, TermInfo};
use crate::token::{tokenize, Token, TokenKind};
use crate::Error;

/// The terms each lookup of a keyword found, with the chunk each is in.
type ResolvedKeyword = Vec<Vec<(usize, TermInfo)>>;

impl Index {
    /// Documents matching the keywords of `query` (in id order), with each positive keyword's matches; with no
    /// positive keyword, every document (`everything`) or none, less the excluded ones.
    pub(super) fn match_query(&self, query: &Query, everything: bool) -> Fetch<(Vec<u32>, Vec<KeywordMatches>)> {
        // Round 1: the dictionary chunks of every lookup.
        let plans: Vec<Vec<Vec<KeywordPlan>>> = query
            .clauses
            .iter()
            .map(|clause| clause.alternatives.iter().map(|k| KeywordPlan::readings(&k.text)).collect())
            .collect();
        let mut chunks = Vec::new();
        for plan in plans.iter().flatten().flatten() {
            for lookup in &plan.lookups {
                chunks.extend(lookup.chunks(&self.manifest));
            }
        }
        let mut needed = self.missing_chunks(chunks);
        if !needed.is_empty() {
            return Ok(Err(needed));
        }
        // Round 2: the postings those lookups point to.
        let mut resolved: Vec<Vec<Vec<ResolvedKeyword>>> = Vec::new();
        for clause in &plans {
            let mut alternatives = Vec::new();
            for readings in clause {
                let mut resolved_readings = Vec::new();
                for plan in readings {
                    let mut terms = Vec::new();
                    for lookup in &plan.lookups {
                        let found = lookup.resolve(&self.manifest, &self.chunks)?;
                        for (_, info) in &found {
                            self.missing_postings(&info.doclist, &mut needed);
                            if plan.needs_positions() {
                                if let Some(positions) = &info.positions {
                                    self.missing_postings(positions, &mut needed);
                                }
                            }
                        }
                        terms.push(found);
                    }
                    resolved_readings.push(terms);
                }
                alternatives.push(resolved_readings);
            }
            resolved.push(alternatives);
        }
        if !needed.is_empty() {
            return Ok(Err(needed));
        }
        // Match every keyword, then combine the clauses.
        let mut positive: Option<Vec<u32>> = None;
        let mut negative: Vec<u32> = Vec::new();
        let mut keyword_matches: Vec<KeywordMatches> = Vec::new();
        for ((clause, plans), terms) in query.clauses.iter().zip(&plans).zip(&resolved) {
            let mut clause_docs: Vec<u32> = Vec::new();
            for ((keyword, readings), terms) in clause.alternatives.iter().zip(plans).zip(terms) {
                let mut matches: Option<KeywordMatches> = None;
                for (plan, terms) in readings.iter().zip(terms) {
                    let found = self.match_keyword(plan, terms)?;
                    matches = Some(match matches {
                        None => found,
                        Some(earlier) => earlier.merge(found),
                    });
                }
                let Some(matches) = matches else { continue };
                // The index holds no traditional characters: a keyword that finds nothing may need folding.
                if matches.docs.is_empty() && !keyword.text.is_ascii() && !crate::normalize::has_folding_table() {
                    return Ok(Err(vec![self.manifest.folding_table_name()]));
                }
                clause_docs = union(&clause_docs, &matches.docs);
                if !clause.negated {
                    keyword_matches.push(matches);
                }
            }
            if clause.negated {
                negative = union(&negative, &clause_docs);
            } else {
                positive = Some(match positive {
                    None => clause_docs,
                    Some(docs) => intersect(&docs, &clause_docs),
                });
            }
        }
        let candidates = match positive {
            Some(docs) => docs,
            None if everything => (0..self.manifest.doc_count).collect(),
            None => Vec::new(),
        };
        Ok(Ok((difference(&candidates, &negative), keyword_matches)))
    }

    fn missing_postings(&self, data: &DataRef, needed: &mut Vec<String>) {
        if let DataRef::External { file, .. } = data {
            if !self.postings.contains_key(file) {
                needed.push(file.clone());
            }
        }
    }

    fn bytes_of<'a>(&'a self, chunk: &'a TermChunk, data: &'a DataRef) -> Result<(&'a str, &'a [u8]), Error> {
        match data {
            DataRef::Inline { start, len } => Ok((chunk.name(), chunk.inline(*start, *len)?)),
            DataRef::External { file, start, len } => {
                let bytes = self.postings.get(file).map(Vec::as_slice).unwrap_or_default();
                let slice = start.checked_add(*len).and_then(|end| bytes.get(*start..end));
                let slice = slice.ok_or_else(|| Error::corrupt(file, "posting list out of range"))?;
                Ok((file.as_str(), slice))
            }
        }
    }

    /// Documents containing one keyword, with its per-field frequencies in each.
    fn match_keyword(&self, plan: &KeywordPlan, terms: &[Vec<(usize, TermInfo)>]) -> Result<KeywordMatches, Error> {
        let mut lookups: Vec<Vec<(Vec<Posting>, Option<PositionLists>)>> = Vec::new();
        for infos in terms {
            let mut lists = Vec::new();
            for (chunk, info) in infos {
                let chunk = self
                    .chunks
                    .get(chunk)
                    .ok_or_else(|| Error::corrupt(&self.manifest.chunk_name(*chunk), "not loaded"))?;
                let (file, bytes) = self.bytes_of(chunk, &info.doclist)?;
                let postings = decode_doclist(&mut Reader::new(file, bytes), info.doc_freq, self.manifest.doc_count)?;
                let positions = match (&info.positions, plan.needs_positions()) {
                    (Some(data), true) => {
                        let (file, bytes) = self.bytes_of(chunk, data)?;
                        Some(PositionLists::decode(&mut Reader::new(file, bytes), &postings)?)
                    }
                    _ => None,
                };
                lists.push((postings, positions));
            }
            lookups.push(lists);
        }
        let token_count = plan.token_count;
        if !plan.needs_positions() {
            // One lookup: the union of its terms' doc lists, frequencies added.
            let lists: Vec<&[Posting]> = lookups.iter().flatten().map(|(postings, _)| postings.as_slice()).collect();
            return Ok(KeywordMatches::from_pairs(merge_postings(&lists), token_count));
        }
        // Candidates: documents that have every covering bigram.
        let mut candidates: Option<Vec<u32>> = None;
        for lists in &lookups {
            let mut docs: Vec<u32> = Vec::new();
            for (postings, _) in lists {
                docs.extend(postings.iter().map(|p| p.doc));
            }
            crate::sort::sort_u32(&mut docs);
            docs.dedup();
            candidates = Some(match candidates {
                None => docs,
                Some(c) => intersect(&c, &docs),
            });
        }
        let mut found = Vec::new();
        let mut scratch: Vec<u32> = Vec::new();
        for doc in candidates.unwrap_or_default() {
            let mut freqs = [0u32; FIELDS];
            for (field, freq) in freqs.iter_mut().enumerate() {
                positions_of(&lookups[0], doc, field, &mut scratch);
                *freq = scratch
                    .iter()
                    .filter(|&&p| {
                        plan.lookups.iter().zip(&lookups).skip(1).all(|(lookup, lists)| {
                            let Some(target) = p.checked_add(lookup.offset) else { return false };
                            lists.iter().any(|(postings, positions)| {
                                let Ok(i) = postings.binary_search_by_key(&doc, |p| p.doc) else {
                                    return false;
                                };
                                positions.as_ref().is_some_and(|pl| pl.get(i, field).binary_search(&target).is_ok())
                            })
                        })
                    })
                    .count() as u32;
            }
            if freqs.iter().any(|&f| f > 0) {
                found.push((doc, freqs));
            }
        }
        Ok(KeywordMatches::from_pairs(found, token_count))
    }
}

/// The union of sorted posting lists, frequencies of the same document added.
fn merge_postings(lists: &[&[Posting]]) -> Vec<(u32, FieldFreqs)> {
    if let [single] = lists {
        return single.iter().map(|p| (p.doc, p.freqs)).collect();
    }
    let mut all: Vec<&Posting> = Vec::new();
    for list in lists {
        all.extend(list.iter());
    }
    // Packed (doc, index) keys for crate::sort.
    let mut keys: Vec<u64> = all.iter().enumerate().map(|(i, p)| (u64::from(p.doc) << 32) | i as u64).collect();
    crate::sort::sort_u64(&mut keys);
    let mut merged: Vec<(u32, FieldFreqs)> = Vec::with_capacity(keys.len());
    for key in keys {
        let posting = all[(key & 0xFFFF_FFFF) as usize];
        match merged.last_mut() {
            Some((doc, freqs)) if *doc == posting.doc => {
                for (sum, freq) in freqs.iter_mut().zip(posting.freqs) {
                    *sum = sum.saturating_add(freq);
                }
            }
            _ => merged.push((posting.doc, posting.freqs)),
        }
    }
    merged
}

/// Merged, sorted positions of `doc` in `field` over the terms of one lookup.
fn positions_of(lists: &[(Vec<Posting>, Option<PositionLists>)], doc: u32, field: usize, out: &mut Vec<u32>) {
    out.clear();
    for (postings, positions) in lists {
        if let (Ok(i), Some(positions)) = (postings.binary_search_by_key(&doc, |p| p.doc), positions) {
            out.extend_from_slice(positions.get(i, field));
        }
    }
    if lists.len() > 1 {
        crate::sort::sort_u32(out);
        out.dedup();
    }
}

/// Documents matching one keyword.
pub(super) struct KeywordMatches {
    pub(super) docs: Vec<u32>,
    pub(super) freqs: Vec<FieldFreqs>,
    /// Tokens in the keyword (spaces excluded), to recognise a keyword that is a whole title.
    pub(super) token_count: u32,
}

impl KeywordMatches {
    fn from_pairs(pairs: Vec<(u32, FieldFreqs)>, token_count: u32) -> Self {
        let (docs, freqs) = pairs.into_iter().unzip();
        KeywordMatches { docs, freqs, token_count }
    }

    /// The matches of either reading of a keyword (see [`KeywordPlan::readings`]); frequencies of a document
    /// both find are added.
    fn merge(self, other: KeywordMatches) -> KeywordMatches {
        let postings = |m: KeywordMatches| -> Vec<Posting> {
            m.docs.into_iter().zip(m.freqs).map(|(doc, freqs)| Posting { doc, freqs }).collect()
        };
        let token_count = self.token_count;
        let (a, b) = (postings(self), postings(other));
        KeywordMatches::from_pairs(merge_postings(&[&a, &b]), token_count)
    }
}

/// How one keyword is looked up.
#[derive(Debug)]
struct KeywordPlan {
    lookups: Vec<Lookup>,
    token_count: u32,
}

/// One dictionary lookup: an exact key or a key prefix, expected at `offset` tokens from the keyword's start.
#[derive(Debug)]
struct Lookup {
    key: Vec<u8>,
    prefix: bool,
    offset: u32,
}

impl KeywordPlan {
    /// The ways a keyword can occur: one plan, or two when it ends with a point after a number (`3.` while
    /// `3.72` is being typed): in the text, that point is either a character of its own (`第3.`) or inside a
    /// decimal run (`3.72`), which the second plan finds as a run prefix. Empty for a keyword without tokens.
    fn readings(keyword: &str) -> Vec<KeywordPlan> {
        let tokens = tokenize(keyword);
        let mut plans: Vec<KeywordPlan> = KeywordPlan::new(&tokens).into_iter().collect();
        if let [.., number, point] = tokens.as_slice() {
            if point.text == "." && number.kind == TokenKind::Run && number.text.ends_with(|c: char| c.is_ascii_digit())
            {
                // The two tokens end the keyword, so the run with its point is the keyword's tail.
                let text = keyword.get(keyword.len() - number.text.len() - 1..).unwrap_or_default();
                let mut decimal = tokens[..tokens.len() - 2].to_vec();
                decimal.push(Token { text, kind: TokenKind::Run });
                plans.extend(KeywordPlan::new(&decimal));
            }
        }
        plans
    }

    fn new(tokens: &[Token<'_>]) -> Option<KeywordPlan> {
        let n = tokens.len();
        let last_is_run = tokens.last()?.kind == TokenKind::Run;
        let token_count = tokens.iter().filter(|t| t.kind != TokenKind::Space).count() as u32;
        if n == 1 {
            let key = termdict::unigram_key(&tokens[0])?;
            return Some(KeywordPlan { lookups: vec![Lookup { key, prefix: last_is_run, offset: 0 }], token_count });
        }
        // Bigrams at 0, 2, 4, … and the last one cover every token.
        let mut offsets: Vec<usize> = (0..n - 1).step_by(2).collect();
        if offsets.last() != Some(&(n - 2)) {
            offsets.push(n - 2);
        }
        let lookups = offsets
            .into_iter()
            .map(|i| Lookup {
                key: termdict::bigram_key(&tokens[i], &tokens[i + 1]),
                prefix: last_is_run && i + 2 == n,
                offset: i as u32,
            })
            .collect();
        Some(KeywordPlan { lookups, token_count })
    }

    fn needs_positions(&self) -> bool {
        self.lookups.len() > 1
    }
}

impl Lookup {
    fn chunks(&self, manifest: &Manifest) -> std::ops::Range<usize> {
        if self.prefix {
            manifest.chunks_for_prefix(&self.key)
        } else {
            match manifest.chunk_for(&self.key) {
                Some(c) => c..c + 1,
                None => 0..0,
            }
        }
    }

    /// The terms this lookup finds, each with the chunk it is in.
    fn resolve(&self, manifest: &Manifest, chunks: &Slots<TermChunk>) -> Result<Vec<(usize, TermInfo)>, Error> {
        let mut found = Vec::new();
        for c in self.chunks(manifest) {
            let Some(chunk) = chunks.get(&c) else {
                continue;
            };
            if self.prefix {
                found.extend(chunk.prefixed(&self.key)?.into_iter().map(|(_, info)| (c, info)));
            } else if let Some(info) = chunk.get(&self.key)? {
                found.push((c, info));
            }
        }
        Ok(found)
    }
}

fn union(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => {
                out.push(a[i]);
                i += 1;
            }
            std::cmp::Ordering::Greater => {
                out.push(b[j]);
                j += 1;
            }
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out.extend_from_slice(&a[i..]);
    out.extend_from_slice(&b[j..]);
    out
}

fn intersect(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len().min(b.len()));
    let (mut i, mut j) = (0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                out.push(a[i]);
                i += 1;
                j += 1;
            }
        }
    }
    out
}

fn difference(a: &[u32], b: &[u32]) -> Vec<u32> {
    let mut out = Vec::with_capacity(a.len());
    let mut j = 0;
    for &x in a {
        while j < b.len() && b[j] < x {
            j += 1;
        }
        if b.get(j) != Some(&x) {
            out.push(x);
        }
    }
    out
}
