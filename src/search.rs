//! Answering a query: exact matching, combination, ranking and the results page.
//!
//! The index is loaded piecemeal. [`Index::search`] works out which files the query needs; when some are missing
//! it returns [`Step::Need`] with their names, the host fetches them and hands them over with [`Index::add_file`],
//! and the search is asked again. Each round gets further: dictionary chunks, then postings, then ranking data for
//! the candidates, then the documents of the results shown.
//!
//! Matching is exact and never depends on a word segmenter: a keyword of one token is answered from its unigram
//! doc list, of two tokens from its bigram doc list, and a longer one by intersecting the doc lists of bigrams that
//! cover it and verifying in the position lists that they occur at the right distances in the same field.
//! A keyword ending in a Latin run matches runs that start with it (`iphone` finds `iphone15`): those lookups are
//! prefix ranges of the dictionary.

use std::collections::{BTreeSet, HashMap, HashSet};

use crate::excerpt::{excerpt, EXCERPT_CHARS};
use crate::format::{self, FileKind, Reader};
use crate::manifest::Manifest;
use crate::postings::{decode_doclist, FieldFreqs, PositionLists, Posting, FIELDS};
use crate::query::{self, Query};
use crate::rank::{Collection, DocStats, EXACT_TITLE_BONUS};
use crate::store::{dequantize_length, DocMeta, StoredDocument};
use crate::termdict::{self, DataRef, TermChunk, TermInfo};
use crate::token::{tokenize, TokenKind};
use crate::Error;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum SortOrder {
    #[default]
    Relevance,
    Date,
}

#[derive(Debug, Clone, serde::Deserialize)]
#[serde(default)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub sort: SortOrder,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions { limit: 10, offset: 0, sort: SortOrder::Relevance }
    }
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchResult {
    pub url: String,
    pub title: String,
    pub date: String,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    pub score: f32,
    /// HTML: escaped text with `<mark>` around hits.
    pub excerpt: String,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchPage {
    pub total: usize,
    pub results: Vec<SearchResult>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step {
    /// Fetch these files (relative to the bundle), hand them to [`Index::add_file`], then search again.
    Need(Vec<String>),
    Done(SearchPage),
}

/// A loaded (possibly partially) index.
pub struct Index {
    manifest: Manifest,
    chunks: HashMap<usize, TermChunk>,
    postings: HashMap<String, Vec<u8>>,
    meta: HashMap<usize, DocMeta>,
    documents: HashMap<u32, StoredDocument>,
    /// Files asked for and not yet received: anything else handed over is refused.
    requested: HashSet<String>,
    /// The ranked matches of the latest query, reused by later rounds and further pages.
    last_ranking: Option<LastRanking>,
}

/// Documents with their scores, in result order.
type Ranking = Vec<(u32, f32)>;

struct LastRanking {
    input: String,
    sort: SortOrder,
    ranking: Ranking,
}

/// The terms each lookup of a keyword found, with the chunk each is in.
type ResolvedKeyword = Vec<Vec<(usize, TermInfo)>>;

/// Documents kept in memory; beyond this the oldest-loaded are dropped (they can be fetched again).
const MAX_CACHED_DOCUMENTS: usize = 2_000;

impl Index {
    /// Opens an index from the (inflated) bytes of its `manifest.bin`.
    pub fn open(manifest_file: &[u8]) -> Result<Index, Error> {
        let (payload, _) = format::open_file(crate::manifest::MANIFEST_FILE, manifest_file, FileKind::Manifest)?;
        Ok(Index {
            manifest: Manifest::decode(payload)?,
            chunks: HashMap::new(),
            postings: HashMap::new(),
            meta: HashMap::new(),
            documents: HashMap::new(),
            requested: HashSet::new(),
            last_ranking: None,
        })
    }

    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    pub fn doc_count(&self) -> u32 {
        self.manifest.doc_count
    }

    /// Hands over a file the last [`Step::Need`] asked for (inflated bytes).
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        if !self.requested.contains(name) {
            return Err(Error::UnexpectedFile { file: name.to_string() });
        }
        let mut parts = name.split('/');
        let (kind, folder, item) = (parts.next(), parts.next(), parts.next());
        match (kind, folder, item) {
            (Some("t"), Some(_), Some(item)) => {
                let (payload, _) = format::open_file(name, bytes, termdict::FILE_KIND)?;
                let chunk = item_number(name, item)?;
                self.chunks.insert(chunk, TermChunk::parse(name, payload)?);
            }
            (Some("p"), Some(_), None) => {
                let (payload, checksum) = format::open_file(name, bytes, FileKind::Postings)?;
                if termdict::postings_file_name(checksum) != name {
                    return Err(Error::corrupt(name, "content does not match the file's name"));
                }
                self.postings.insert(name.to_string(), payload.to_vec());
            }
            (Some("m"), Some(_), Some(item)) => {
                let (payload, _) = format::open_file(name, bytes, FileKind::DocMeta)?;
                let chunk = item_number(name, item)?;
                let meta = DocMeta::decode(name, payload)?;
                let expected_first = chunk as u64 * u64::from(self.manifest.docs_per_meta_chunk);
                if u64::from(meta.first) != expected_first || meta.len() > self.manifest.docs_per_meta_chunk as usize {
                    return Err(Error::corrupt(name, "covers other documents than its name says"));
                }
                self.meta.insert(chunk, meta);
            }
            (Some("d"), Some(_), Some(item)) => {
                let (payload, _) = format::open_file(name, bytes, FileKind::Document)?;
                let doc = item_number(name, item)? as u32;
                if self.documents.len() >= MAX_CACHED_DOCUMENTS {
                    self.documents.clear();
                }
                self.documents.insert(doc, StoredDocument::decode(name, payload)?);
            }
            _ => return Err(Error::UnexpectedFile { file: name.to_string() }),
        }
        self.requested.remove(name);
        Ok(())
    }

    /// Runs a query; see the module documentation for the protocol.
    pub fn search(&mut self, input: &str, options: &SearchOptions) -> Result<Step, Error> {
        let query = query::parse(input)?;
        let ranked = match &self.last_ranking {
            Some(last) if last.input == input && last.sort == options.sort => last.ranking.clone(),
            _ => match self.rank(&query, options.sort)? {
                Ok(ranking) => {
                    let sort = options.sort;
                    self.last_ranking = Some(LastRanking { input: input.to_string(), sort, ranking: ranking.clone() });
                    ranking
                }
                Err(need) => return Ok(self.need(need)),
            },
        };
        let total = ranked.len();
        let page: Vec<(u32, f32)> = ranked.into_iter().skip(options.offset).take(options.limit).collect();
        let missing: Vec<String> = page
            .iter()
            .filter(|(doc, _)| !self.documents.contains_key(doc))
            .map(|&(doc, _)| self.manifest.document_name(doc))
            .collect();
        if !missing.is_empty() {
            return Ok(self.need(missing));
        }
        let keywords: Vec<&str> = query.positive_keywords().map(|k| k.text.as_str()).collect();
        let results = page
            .iter()
            .filter_map(|(doc, score)| {
                let stored = self.documents.get(doc)?;
                Some(SearchResult {
                    url: stored.url.clone(),
                    title: stored.title.clone(),
                    date: stored.date.clone(),
                    categories: stored.categories.clone(),
                    tags: stored.tags.clone(),
                    score: *score,
                    excerpt: excerpt(&stored.text, &keywords, EXCERPT_CHARS),
                })
            })
            .collect();
        Ok(Step::Done(SearchPage { total, results }))
    }

    fn need(&mut self, files: impl IntoIterator<Item = String>) -> Step {
        let files: BTreeSet<String> = files.into_iter().collect();
        self.requested.extend(files.iter().cloned());
        Step::Need(files.into_iter().collect())
    }

    /// The matching documents in result order, or the files still needed to know them.
    fn rank(&self, query: &Query, sort: SortOrder) -> Result<Result<Ranking, Vec<String>>, Error> {
        if !query.has_positive() {
            return Ok(Ok(Vec::new()));
        }
        // Round 1: the dictionary chunks of every lookup.
        let plans: Vec<Vec<Option<KeywordPlan>>> = query
            .clauses
            .iter()
            .map(|clause| clause.alternatives.iter().map(|k| KeywordPlan::new(&k.text)).collect())
            .collect();
        let mut needed = BTreeSet::new();
        for plan in plans.iter().flatten().flatten() {
            for lookup in &plan.lookups {
                for chunk in lookup.chunks(&self.manifest) {
                    if !self.chunks.contains_key(&chunk) {
                        needed.insert(self.manifest.chunk_name(chunk));
                    }
                }
            }
        }
        if !needed.is_empty() {
            return Ok(Err(needed.into_iter().collect()));
        }
        // Round 2: the postings those lookups point to.
        let mut resolved: Vec<Vec<Option<ResolvedKeyword>>> = Vec::new();
        for clause in &plans {
            let mut alternatives = Vec::new();
            for plan in clause {
                let Some(plan) = plan else {
                    alternatives.push(None);
                    continue;
                };
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
                alternatives.push(Some(terms));
            }
            resolved.push(alternatives);
        }
        if !needed.is_empty() {
            return Ok(Err(needed.into_iter().collect()));
        }
        // Match every keyword, then combine the clauses.
        let mut positive: Option<Vec<u32>> = None;
        let mut negative: Vec<u32> = Vec::new();
        let mut keyword_matches: Vec<KeywordMatches> = Vec::new();
        for ((clause, plans), terms) in query.clauses.iter().zip(&plans).zip(&resolved) {
            let mut clause_docs: Vec<u32> = Vec::new();
            for (plan, terms) in plans.iter().zip(terms) {
                let (Some(plan), Some(terms)) = (plan, terms) else {
                    continue;
                };
                let matches = self.match_keyword(plan, terms)?;
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
        let docs = difference(&positive.unwrap_or_default(), &negative);

        // Round 3: ranking data of the candidates (for date order, of the first page only: cheap and enough).
        let per_chunk = self.manifest.docs_per_meta_chunk;
        let meta_needed: BTreeSet<usize> = docs.iter().map(|&d| (d / per_chunk) as usize).collect();
        let missing: Vec<String> = meta_needed
            .iter()
            .filter(|c| !self.meta.contains_key(c))
            .map(|&c| self.manifest.meta_chunk_name(c))
            .collect();
        if !missing.is_empty() && sort == SortOrder::Relevance {
            return Ok(Err(missing));
        }
        let collection = Collection {
            doc_count: self.manifest.doc_count,
            average_lengths: self.manifest.average_lengths,
            newest_day: self.manifest.newest_day,
            recency_half_life_days: self.manifest.recency_half_life_days,
        };
        let idfs: Vec<f32> = keyword_matches.iter().map(|m| collection.idf(m.docs.len())).collect();
        let mut cursors = vec![0usize; keyword_matches.len()];
        let mut ranked: Vec<(u32, f32)> = Vec::with_capacity(docs.len());
        for &doc in &docs {
            let Some(stats) = self.doc_stats(doc)? else {
                ranked.push((doc, 0.0));
                continue;
            };
            let mut score = 0.0;
            let mut exact_title = false;
            for ((matches, cursor), idf) in keyword_matches.iter().zip(&mut cursors).zip(&idfs) {
                while *cursor < matches.docs.len() && matches.docs[*cursor] < doc {
                    *cursor += 1;
                }
                if matches.docs.get(*cursor) == Some(&doc) {
                    let freqs = &matches.freqs[*cursor];
                    score += collection.keyword_score(*idf, freqs, &stats);
                    exact_title |= freqs[crate::postings::TITLE] == 1 && stats.title_length == matches.token_count;
                }
            }
            score *= collection.recency_factor(stats.day);
            if exact_title {
                score += EXACT_TITLE_BONUS;
            }
            ranked.push((doc, score));
        }
        if sort == SortOrder::Relevance {
            ranked.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        }
        Ok(Ok(ranked))
    }

    fn doc_stats(&self, doc: u32) -> Result<Option<DocStats>, Error> {
        let per_chunk = self.manifest.docs_per_meta_chunk;
        let Some(meta) = self.meta.get(&((doc / per_chunk) as usize)) else {
            return Ok(None);
        };
        let i = (doc - meta.first) as usize;
        match (meta.title_lengths.get(i), meta.body_norms.get(i), meta.days.get(i)) {
            (Some(&title), Some(&body), Some(&day)) => {
                Ok(Some(DocStats { title_length: u32::from(title), body_length: dequantize_length(body), day }))
            }
            _ => Err(Error::corrupt(&self.manifest.meta_chunk_name((doc / per_chunk) as usize), "document missing")),
        }
    }

    fn missing_postings(&self, data: &DataRef, needed: &mut BTreeSet<String>) {
        if let DataRef::External { file, .. } = data {
            if !self.postings.contains_key(file) {
                needed.insert(file.clone());
            }
        }
    }

    fn bytes_of<'a>(&'a self, chunk: &'a TermChunk, data: &'a DataRef) -> Result<(&'a str, &'a [u8]), Error> {
        match data {
            DataRef::Inline { start, len } => Ok((chunk.name(), chunk.inline(*start, *len))),
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
                let postings = decode_doclist(&mut Reader::new(file, bytes), self.manifest.doc_count)?;
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
            let mut merged: HashMap<u32, FieldFreqs> = HashMap::new();
            for (postings, _) in lookups.iter().flatten() {
                for posting in postings {
                    let freqs = merged.entry(posting.doc).or_default();
                    for (sum, freq) in freqs.iter_mut().zip(posting.freqs) {
                        *sum += freq;
                    }
                }
            }
            let mut docs: Vec<(u32, FieldFreqs)> = merged.into_iter().collect();
            docs.sort_unstable_by_key(|d| d.0);
            return Ok(KeywordMatches::from_pairs(docs, token_count));
        }
        // Candidates: documents that have every covering bigram.
        let mut candidates: Option<Vec<u32>> = None;
        for lists in &lookups {
            let mut docs: Vec<u32> = lists.iter().flat_map(|(p, _)| p.iter().map(|p| p.doc)).collect();
            docs.sort_unstable();
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
                            let target = p + lookup.offset;
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

fn item_number(name: &str, item: &str) -> Result<usize, Error> {
    item.strip_suffix(".bin")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| Error::UnexpectedFile { file: name.to_string() })
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
        out.sort_unstable();
        out.dedup();
    }
}

/// Documents matching one keyword.
struct KeywordMatches {
    docs: Vec<u32>,
    freqs: Vec<FieldFreqs>,
    /// Tokens in the keyword (spaces excluded), to recognise a keyword that is a whole title.
    token_count: u32,
}

impl KeywordMatches {
    fn from_pairs(pairs: Vec<(u32, FieldFreqs)>, token_count: u32) -> Self {
        let (docs, freqs) = pairs.into_iter().unzip();
        KeywordMatches { docs, freqs, token_count }
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
    /// None for a keyword without tokens.
    fn new(keyword: &str) -> Option<KeywordPlan> {
        let tokens = tokenize(keyword);
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
    fn resolve(
        &self,
        manifest: &Manifest,
        chunks: &HashMap<usize, TermChunk>,
    ) -> Result<Vec<(usize, TermInfo)>, Error> {
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
