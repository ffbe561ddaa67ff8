//! Answering a query: exact matching, combination, ranking and the results page.
//!
//! The index is loaded piecemeal. [`Index::search`] works out which files the query needs; when some are missing
//! it returns [`Step::Need`] with their names, the host fetches them and hands them over with [`Index::add_file`],
//! and the search is asked again. Each round gets further: dictionary chunks (with all the ranking data on a small
//! index), then postings, then ranking data for the candidates (on a large index), then the documents of the
//! results shown.
//!
//! Matching is exact and never depends on a word segmenter: a keyword of one token is answered from its unigram
//! doc list, of two tokens from its bigram doc list, and a longer one by intersecting the doc lists of bigrams that
//! cover it and verifying in the position lists that they occur at the right distances in the same field.
//! A keyword ending in a Latin run matches runs that start with it (`iphone` finds `iphone15`): those lookups are
//! prefix ranges of the dictionary.

use fnv::FnvHashMap as HashMap;

use crate::day::parse_day;
use crate::excerpt::{excerpt, EXCERPT_CHARS};
use crate::facet::{self, FacetChunk, FacetValues, Facets};
use crate::format::{self, FileKind, Reader};
use crate::manifest::Manifest;
use crate::postings::{decode_doclist, FieldFreqs, PositionLists, Posting, FIELDS};
use crate::query::{self, Clause, Keyword, Query};
use crate::rank::{Collection, DocStats, EXACT_TITLE_BONUS};
use crate::store::{unpack_norm, DocMeta, StoredDocument};
use crate::termdict::{self, DataRef, TermChunk, TermInfo};
use crate::token::{tokenize, Token, TokenKind};
use crate::Error;
use crate::{pinyin, segment, typo};

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum SortOrder {
    #[default]
    Relevance,
    Date,
}

#[derive(Debug, Clone)]
pub struct SearchOptions {
    pub limit: usize,
    pub offset: usize,
    pub sort: SortOrder,
    /// Keep only posts in any of these categories (all posts when empty).
    pub categories: Vec<String>,
    /// Keep only posts with any of these tags (all posts when empty).
    pub tags: Vec<String>,
    /// Keep only posts published on or after this day (`YYYY-MM-DD`, the post's own calendar day).
    pub from: Option<String>,
    /// Keep only posts published on or before this day (`YYYY-MM-DD`).
    pub to: Option<String>,
    /// Count results per category and tag ([`SearchPage::facets`]).
    pub facets: bool,
    /// List every post of a story told by several feeds, instead of its newest best match only.
    pub show_duplicates: bool,
    /// Search exactly what was typed: no pinyin, typo or segmentation fallback when it finds little.
    pub exact: bool,
}

impl Default for SearchOptions {
    fn default() -> Self {
        SearchOptions {
            limit: 10,
            offset: 0,
            sort: SortOrder::Relevance,
            categories: Vec::new(),
            tags: Vec::new(),
            from: None,
            to: None,
            facets: false,
            show_duplicates: false,
            exact: false,
        }
    }
}

/// What of the options decides which documents match and in which order (the ranking cache's key).
#[derive(Debug, Clone, PartialEq)]
struct Filters {
    sort: SortOrder,
    categories: Vec<String>,
    tags: Vec<String>,
    from_day: Option<i32>,
    to_day: Option<i32>,
    facets: bool,
    collapse_duplicates: bool,
    exact: bool,
}

impl Filters {
    fn new(options: &SearchOptions) -> Result<Filters, Error> {
        let day = |date: &Option<String>, which: &str| -> Result<Option<i32>, Error> {
            match date.as_deref().map(str::trim) {
                None | Some("") => Ok(None),
                Some(date) => parse_day(date).map(Some).ok_or_else(|| {
                    Error::BadOptions(format!("{which}: expected a date as YYYY-MM-DD, got \"{date}\""))
                }),
            }
        };
        Ok(Filters {
            sort: options.sort,
            categories: options.categories.clone(),
            tags: options.tags.clone(),
            from_day: day(&options.from, "from")?,
            to_day: day(&options.to, "to")?,
            facets: options.facets,
            collapse_duplicates: !options.show_duplicates,
            exact: options.exact,
        })
    }

    fn has_date_range(&self) -> bool {
        self.from_day.is_some() || self.to_day.is_some()
    }

    fn day_range(&self) -> Option<(i32, i32)> {
        self.has_date_range().then(|| (self.from_day.unwrap_or(i32::MIN), self.to_day.unwrap_or(i32::MAX)))
    }

    fn needs_facets(&self) -> bool {
        self.facets || !self.categories.is_empty() || !self.tags.is_empty()
    }

    fn is_active(&self) -> bool {
        self.has_date_range() || !self.categories.is_empty() || !self.tags.is_empty()
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
    /// Other posts among the matches that tell the same story (另有 N 个来源), folded into this one.
    #[serde(skip_serializing_if = "is_zero")]
    pub duplicates: u32,
}

fn is_zero(n: &u32) -> bool {
    *n == 0
}

/// Why the engine searched for something other than what was typed.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum RewriteKind {
    /// The typed keywords found nothing; their words (from the index's vocabulary) were searched instead.
    Segmented,
    /// The letters typed are the pinyin (or its initials) of the word searched instead.
    Pinyin,
    /// A Latin word found little; its most common close spelling was searched instead.
    Typo,
}

/// Another query the reader may have meant, offered beside the results.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Alternative {
    pub query: String,
    pub kind: RewriteKind,
    /// Posts containing it.
    pub count: u32,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Rewrite {
    /// The query that was searched, in the engine's folded form.
    pub query: String,
    pub kind: RewriteKind,
}

#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct SearchPage {
    pub total: usize,
    pub results: Vec<SearchResult>,
    /// Present when the results are for a rewritten query (see [`RewriteKind`]).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rewrite: Option<Rewrite>,
    /// Other queries the reader may have meant (the Chinese word of initials like `cc`).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<Alternative>,
    /// Results per category and tag, when asked for with [`SearchOptions::facets`].
    #[serde(skip_serializing_if = "Option::is_none")]
    pub facets: Option<Facets>,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Step<T = SearchPage> {
    /// Fetch these files (relative to the bundle), hand them to [`Index::add_file`], then ask again.
    Need(Vec<String>),
    Done(T),
}

/// A way to finish the keyword being typed.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Completion {
    /// The completed keyword (a word of the index's vocabulary, or a Latin word).
    pub text: String,
    /// The whole query with its last keyword completed.
    pub query: String,
    /// Posts that contain the word.
    pub count: u32,
}

/// Latin prefixes shorter than this complete nothing: one letter spans too much of the dictionary.
const MIN_LATIN_PREFIX: usize = 2;
/// Dictionary chunks a completion reads at most.
const MAX_COMPLETION_CHUNKS: usize = 3;

/// A loaded (possibly partially) index.
pub struct Index {
    manifest: Manifest,
    chunks: Slots<TermChunk>,
    postings: HashMap<String, Vec<u8>>,
    meta: Slots<DocMeta>,
    facet_values: Option<FacetValues>,
    facet_chunks: Slots<FacetChunk>,
    /// At most about [`MAX_CACHED_DOCUMENTS`]: a list, searched by id, and one hash table type fewer in the wasm
    /// module.
    documents: Vec<(u32, StoredDocument)>,
    /// Files asked for and not yet received: anything else handed over is refused. Tens of files: a list, and one
    /// hash table type fewer in the wasm module.
    requested: Vec<String>,
    /// The ranked matches of the latest query, reused by later rounds and further pages.
    last_ranking: Option<LastRanking>,
}

/// Documents with their scores, in result order.
type Ranking = Vec<(u32, f32)>;

/// An answer, or the files still needed to give it.
type Fetch<T> = Result<Result<T, Vec<String>>, Error>;

/// `?` for [`Fetch`]: returns the files still needed, or goes on with the answer.
macro_rules! ready {
    ($fetch:expr) => {
        match $fetch? {
            Ok(answer) => answer,
            Err(need) => return Ok(Err(need)),
        }
    };
}

/// An index with at most this many ranking data chunks (65,536 posts at 16,384 per chunk, about 48 KiB) has them
/// all fetched with a query's first files; a larger one fetches those of the candidates once they are known.
const EARLY_META_CHUNKS: usize = 4;

/// Fewer results than this make the engine try what the reader may have meant (pinyin, typos).
const FEW_RESULTS: usize = 3;
/// Dictionary chunks read at most for pinyin or typo candidates.
const MAX_TYPO_CHUNKS: usize = 4;

#[derive(Debug, Clone, Default)]
struct Ranked {
    ranking: Ranking,
    /// Per entry of `ranking`: matching posts of the same story folded into it.
    duplicates: Vec<u32>,
    facets: Option<Facets>,
    /// Set when the query that was run differs from the one typed.
    rewrite: Option<(Query, Rewrite)>,
    alternatives: Vec<Alternative>,
}

struct LastRanking {
    input: String,
    filters: Filters,
    ranked: Ranked,
}

/// The terms each lookup of a keyword found, with the chunk each is in.
type ResolvedKeyword = Vec<Vec<(usize, TermInfo)>>;

/// Documents kept in memory between pages; beyond this, those not on the current page are dropped (they can be
/// fetched again). A page larger than this (`limit` may be as large as `total`) is held whole while it is built.
const MAX_CACHED_DOCUMENTS: usize = 2_000;

impl Index {
    /// Opens an index from the (inflated) bytes of its `manifest.bin`.
    pub fn open(manifest_file: &[u8]) -> Result<Index, Error> {
        let (payload, _) = format::open_file(crate::manifest::MANIFEST_FILE, manifest_file, FileKind::Manifest)?;
        let manifest = Manifest::decode(payload)?;
        let per_chunk = manifest.docs_per_meta_chunk as usize;
        let meta_chunks = (manifest.doc_count as usize).div_ceil(per_chunk);
        Ok(Index {
            chunks: Slots::new(manifest.first_keys.len()),
            postings: HashMap::default(),
            meta: Slots::new(meta_chunks),
            facet_values: None,
            facet_chunks: Slots::new(meta_chunks),
            documents: Vec::new(),
            manifest,
            requested: Vec::new(),
            last_ranking: None,
        })
    }

    /// The manifest the index was opened with (for fuzzing and tools).
    pub fn manifest(&self) -> &Manifest {
        &self.manifest
    }

    /// Hands over a file the last [`Step::Need`] asked for (inflated bytes).
    pub fn add_file(&mut self, name: &str, bytes: &[u8]) -> Result<(), Error> {
        if !self.requested.iter().any(|file| file == name) {
            return Err(Error::UnexpectedFile { file: name.to_string() });
        }
        let mut parts = name.split('/');
        let (kind, folder, item) = (parts.next(), parts.next(), parts.next());
        match (kind, folder, item) {
            (Some("t"), Some(_), Some(item)) => {
                let (payload, _) = format::open_file(name, bytes, FileKind::TermChunk)?;
                let chunk = item_number(name, item)?;
                self.chunks.insert(name, chunk, TermChunk::parse(name, payload)?)?;
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
                self.meta.insert(name, chunk, meta)?;
            }
            (Some("f"), Some(_), Some("values.bin")) => {
                let (payload, _) = format::open_file(name, bytes, FileKind::FacetValues)?;
                self.facet_values = Some(FacetValues::decode(name, payload)?);
            }
            (Some("f"), Some(_), Some(item)) => {
                let (payload, _) = format::open_file(name, bytes, FileKind::FacetChunk)?;
                let chunk = item_number(name, item)?;
                let facet_chunk = FacetChunk::decode(name, payload)?;
                if u64::from(facet_chunk.first) != chunk as u64 * u64::from(self.manifest.docs_per_meta_chunk) {
                    return Err(Error::corrupt(name, "covers other documents than its name says"));
                }
                self.facet_chunks.insert(name, chunk, facet_chunk)?;
            }
            (Some("s"), Some(_), None) => {
                let (payload, checksum) = format::open_file(name, bytes, FileKind::FoldingTable)?;
                if checksum != self.manifest.folding_table {
                    return Err(Error::corrupt(name, "content does not match the file's name"));
                }
                crate::normalize::install_folding_table(name, payload)?;
                // Queries fold differently from now on.
                self.last_ranking = None;
            }
            (Some("d"), Some(_), Some(item)) => {
                let (payload, _) = format::open_file(name, bytes, FileKind::Document)?;
                let doc = item_number(name, item)? as u32;
                let stored = StoredDocument::decode(name, payload, &self.manifest.text_codes)?;
                self.documents.retain(|&(known, _)| known != doc);
                self.documents.push((doc, stored));
            }
            _ => return Err(Error::UnexpectedFile { file: name.to_string() }),
        }
        self.requested.retain(|file| file != name);
        Ok(())
    }

    fn document(&self, doc: u32) -> Option<&StoredDocument> {
        self.documents.iter().find(|&&(known, _)| known == doc).map(|(_, stored)| stored)
    }

    /// Runs a query; see the module documentation for the protocol.
    pub fn search(&mut self, input: &str, options: &SearchOptions) -> Result<Step, Error> {
        let query = query::parse(input)?;
        let filters = Filters::new(options)?;
        let last = match self.last_ranking.take() {
            Some(last) if last.input == input && last.filters == filters => last,
            _ => match self.rank_or_rewrite(&query, &filters)? {
                Ok(ranked) => LastRanking { input: input.to_string(), filters, ranked },
                Err(need) => return Ok(self.need(need)),
            },
        };
        // The ranking (it can hold every post) is read in place and kept for the next rounds and pages.
        let step = self.page(&query, &last.ranked, options);
        self.last_ranking = Some(last);
        step
    }

    /// The page of `ranked` that `options` ask for, or the files it needs.
    fn page(&mut self, query: &Query, ranked: &Ranked, options: &SearchOptions) -> Result<Step, Error> {
        let total = ranked.ranking.len();
        let mut page: Vec<(u32, f32, u32)> = Vec::new();
        for (i, &(doc, score)) in ranked.ranking.iter().enumerate().skip(options.offset).take(options.limit) {
            page.push((doc, score, ranked.duplicates.get(i).copied().unwrap_or(0)));
        }
        if self.documents.len() > MAX_CACHED_DOCUMENTS {
            // A page is short: a scan, and one hash set type fewer in the wasm module.
            self.documents.retain(|&(doc, _)| page.iter().any(|&(on_page, ..)| on_page == doc));
        }
        let mut missing: Vec<String> = page
            .iter()
            .filter(|&&(doc, ..)| self.document(doc).is_none())
            .map(|&(doc, ..)| self.manifest.document_name(doc))
            .collect();
        let needs_folding = page.iter().any(|&(doc, ..)| self.document(doc).is_some_and(|d| d.needs_folding));
        if needs_folding && !crate::normalize::has_folding_table() {
            missing.push(self.manifest.folding_table_name());
        }
        if !missing.is_empty() {
            return Ok(self.need(missing));
        }
        let searched = ranked.rewrite.as_ref().map_or(query, |(rewritten, _)| rewritten);
        let keywords: Vec<&str> = searched.positive_keywords().map(|k| k.text.as_str()).collect();
        let mut results = Vec::with_capacity(page.len());
        for &(doc, score, duplicates) in &page {
            let Some(stored) = self.document(doc) else { continue };
            results.push(SearchResult {
                url: stored.url.clone(),
                title: stored.title.clone(),
                date: stored.date.clone(),
                categories: stored.categories.clone(),
                tags: stored.tags.clone(),
                score,
                excerpt: excerpt(&stored.text, &keywords, EXCERPT_CHARS),
                duplicates,
            });
        }
        let rewrite = ranked.rewrite.as_ref().map(|(_, rewrite)| rewrite.clone());
        let (alternatives, facets) = (ranked.alternatives.clone(), ranked.facets.clone());
        Ok(Step::Done(SearchPage { total, results, rewrite, alternatives, facets }))
    }

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

    fn need<T>(&mut self, files: Vec<String>) -> Step<T> {
        Step::Need(self.request(files))
    }

    /// `files` without repeats, noted as asked for.
    fn request(&mut self, files: Vec<String>) -> Vec<String> {
        let mut unique: Vec<String> = Vec::new();
        for file in files {
            if !unique.contains(&file) {
                unique.push(file);
            }
        }
        for file in &unique {
            if !self.requested.contains(file) {
                self.requested.push(file.clone());
            }
        }
        unique
    }

    /// Ranks `query`; when it finds little, tries what the reader probably meant: the Chinese word its pinyin reads
    /// as, the Latin word it misspells, or its keywords split into the index's words.
    fn rank_or_rewrite(&self, query: &Query, filters: &Filters) -> Fetch<Ranked> {
        let mut ranked = ready!(self.rank(query, filters));
        if !query.has_positive() || filters.exact {
            return Ok(Ok(ranked));
        }
        let few = ranked.ranking.len() < FEW_RESULTS;
        if let Some(letters) = pinyin::letters(query).filter(|l| few || pinyin::is_initials(l)) {
            if let Some((word, count)) = ready!(self.pinyin_word(&letters)) {
                let rewritten =
                    Query { clauses: vec![Clause { alternatives: vec![Keyword { text: word }], negated: false }] };
                if few {
                    if let Some(better) = ready!(self.rank_rewritten(rewritten, RewriteKind::Pinyin, &ranked, filters))
                    {
                        return Ok(Ok(better));
                    }
                } else {
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

    /// The most common vocabulary word that reads `letters` (full pinyin first, then initials), with its count.
    fn pinyin_word(&self, letters: &str) -> Fetch<Option<(String, u32)>> {
        let prefixes = [pinyin::reading_prefix(letters), pinyin::initials_prefix(letters)];
        let ranges: Vec<std::ops::Range<usize>> = prefixes.iter().map(|p| self.bounded_range(p)).collect();
        let missing = self.missing_chunks(ranges.iter().cloned().flatten());
        if !missing.is_empty() {
            return Ok(Err(missing));
        }
        for (prefix, range) in prefixes.iter().zip(ranges) {
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
                return Ok(Ok(Some((word, weighted.results))));
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

    /// The chunks a prefix spans, at most [`MAX_TYPO_CHUNKS`] of them.
    fn bounded_range(&self, prefix: &[u8]) -> std::ops::Range<usize> {
        let range = self.manifest.chunks_for_prefix(prefix);
        range.start..range.end.min(range.start + MAX_TYPO_CHUNKS)
    }

    /// The names of the dictionary chunks among `chunks` that have not been added yet.
    fn missing_chunks(&self, chunks: impl IntoIterator<Item = usize>) -> Vec<String> {
        // The test and the name are out of line: one copy for every caller's iterator type was 0.8 kB of the wasm
        // module.
        let mut missing = Vec::new();
        for chunk in chunks {
            self.add_if_missing(chunk, &mut missing);
        }
        missing
    }

    fn add_if_missing(&self, chunk: usize, missing: &mut Vec<String>) {
        if !self.chunks.contains_key(&chunk) {
            missing.push(self.manifest.chunk_name(chunk));
        }
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

    /// The matching documents in result order (and facet counts), or the files still needed to know them.
    fn rank(&self, query: &Query, filters: &Filters) -> Fetch<Ranked> {
        let needs_meta =
            filters.sort == SortOrder::Relevance || filters.has_date_range() || filters.collapse_duplicates;
        // No keyword but filters: browse everything the filters let through, less any exclusions (`-汽车`).
        let browse = !query.has_positive() && filters.is_active();
        if !query.has_positive() && !browse {
            return Ok(Ok(Ranked::default()));
        }
        let (docs, keyword_matches) = match self.match_query(query, browse)? {
            Ok(found) => found,
            Err(mut needed) => {
                needed.extend(self.early_meta(needs_meta, filters));
                return Ok(Err(needed));
            }
        };

        // Round 3: ranking data (for relevance or a date range) and facet data of the candidates (on a small index
        // they came with round 1: `early_meta`).
        let per_chunk = self.manifest.docs_per_meta_chunk;
        // Ids are sorted, so their chunks come in order.
        let mut chunks: Vec<usize> = docs.iter().map(|&d| (d / per_chunk) as usize).collect();
        chunks.dedup();
        let missing = self.missing_meta(&chunks, needs_meta, filters.needs_facets() && !docs.is_empty());
        if !missing.is_empty() {
            return Ok(Err(missing));
        }

        let docs = match filters.day_range() {
            Some((from, to)) => {
                let mut kept = Vec::with_capacity(docs.len());
                for doc in docs {
                    let day = self.doc_stats(doc)?.map(|s| s.day);
                    if day.is_some_and(|day| (from..=to).contains(&day)) {
                        kept.push(doc);
                    }
                }
                kept
            }
            None => docs,
        };
        let (docs, facets) = self.apply_facets(docs, filters)?;

        let collection = Collection {
            doc_count: self.manifest.doc_count,
            average_lengths: self.manifest.average_lengths,
            newest_day: self.manifest.newest_day,
            recency_half_life_days: self.manifest.recency_half_life_days,
        };
        let idfs: Vec<f32> = keyword_matches.iter().map(|m| collection.idf(m.docs.len())).collect();
        let mut cursors = vec![0usize; keyword_matches.len()];
        let mut ranking: Ranking = Vec::with_capacity(docs.len());
        for &doc in &docs {
            let Some(stats) = self.doc_stats(doc)? else {
                ranking.push((doc, 0.0));
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
                    exact_title |=
                        freqs[crate::postings::TITLE] == 1 && stats.title_length == Some(matches.token_count);
                }
            }
            score *= collection.recency_factor(stats.day);
            if exact_title {
                score += EXACT_TITLE_BONUS;
            }
            ranking.push((doc, score));
        }
        if filters.sort == SortOrder::Relevance {
            sort_by_score(&mut ranking);
        }
        let (ranking, duplicates) =
            if filters.collapse_duplicates { self.collapse_duplicates(ranking) } else { (ranking, Vec::new()) };
        Ok(Ok(Ranked { ranking, duplicates, facets, rewrite: None, alternatives: Vec::new() }))
    }

    /// The ranking (and facet) data still missing that ranking with `filters` reads, all of it, when the index is small
    /// enough ([`EARLY_META_CHUNKS`]). Asked for with the dictionary chunks, it arrives one fetch round earlier than
    /// when asked for once the candidates are known; and nearly every query that finds something needs most of it.
    fn early_meta(&self, needs_meta: bool, filters: &Filters) -> Vec<String> {
        let chunks = self.meta.0.len();
        if chunks > EARLY_META_CHUNKS {
            return Vec::new();
        }
        let all: Vec<usize> = (0..chunks).collect();
        self.missing_meta(&all, needs_meta, filters.needs_facets())
    }

    /// The files not yet loaded of these doc-meta chunks: ranking data when `meta`, facet data when `facets`.
    fn missing_meta(&self, chunks: &[usize], meta: bool, facets: bool) -> Vec<String> {
        let mut names = Vec::new();
        if meta {
            names.extend(
                chunks.iter().filter(|c| !self.meta.contains_key(c)).map(|&c| self.manifest.meta_chunk_name(c)),
            );
        }
        if facets {
            if self.facet_values.is_none() {
                names.push(self.manifest.facet_values_name());
            }
            names.extend(
                chunks
                    .iter()
                    .filter(|c| !self.facet_chunks.contains_key(c))
                    .map(|&c| self.manifest.facet_chunk_name(c)),
            );
        }
        names
    }

    /// Keeps the first post of each story in result order, counting the others folded into it.
    fn collapse_duplicates(&self, ranking: Ranking) -> (Ranking, Vec<u32>) {
        let per_chunk = self.manifest.docs_per_meta_chunk;
        let story_of = |doc: u32| self.meta.get(&((doc / per_chunk) as usize)).map_or(doc, |meta| meta.story_of(doc));
        // Per story (a post id), 1 + its position in `kept`; 0 while unseen.
        let mut position_of_story = vec![0u32; self.manifest.doc_count as usize];
        let mut kept: Ranking = Vec::with_capacity(ranking.len());
        let mut duplicates: Vec<u32> = Vec::with_capacity(ranking.len());
        for (doc, score) in ranking {
            let Some(slot) = position_of_story.get_mut(story_of(doc) as usize) else { continue };
            match *slot {
                0 => {
                    kept.push((doc, score));
                    duplicates.push(0);
                    *slot = kept.len() as u32;
                }
                position => duplicates[position as usize - 1] += 1,
            }
        }
        (kept, duplicates)
    }

    /// Documents matching the keywords of `query` (in id order), with each positive keyword's matches; with no
    /// positive keyword, every document (`everything`) or none, less the excluded ones.
    fn match_query(&self, query: &Query, everything: bool) -> Fetch<(Vec<u32>, Vec<KeywordMatches>)> {
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

    /// Applies the category and tag filters and counts facet values.
    ///
    /// Counts are disjunctive, as readers expect from a filter panel: category counts ignore the category filter
    /// (so other categories stay selectable) but respect the tag filter, and the other way round.
    fn apply_facets(&self, docs: Vec<u32>, filters: &Filters) -> Result<(Vec<u32>, Option<Facets>), Error> {
        if !filters.needs_facets() || docs.is_empty() {
            let facets = filters.facets.then(Facets::default);
            return Ok((docs, facets));
        }
        let values = self
            .facet_values
            .as_ref()
            .ok_or_else(|| Error::corrupt(&self.manifest.facet_values_name(), "not loaded"))?;
        let wanted = |names: &[String], selected: &[String]| -> Vec<bool> {
            names.iter().map(|name| selected.iter().any(|s| s == name)).collect()
        };
        let wanted_categories = wanted(&values.categories, &filters.categories);
        let wanted_tags = wanted(&values.tags, &filters.tags);
        let mut category_counts = vec![0usize; values.categories.len()];
        let mut tag_counts = vec![0usize; values.tags.len()];
        let mut kept = Vec::with_capacity(docs.len());
        let per_chunk = self.manifest.docs_per_meta_chunk;
        for doc in docs {
            let chunk_index = (doc / per_chunk) as usize;
            let name = || self.manifest.facet_chunk_name(chunk_index);
            let chunk = self.facet_chunks.get(&chunk_index).ok_or_else(|| Error::corrupt(&name(), "not loaded"))?;
            let (categories, tags) = chunk
                .documents
                .get((doc - chunk.first) as usize)
                .ok_or_else(|| Error::corrupt(&name(), "document missing"))?;
            let in_range = |ids: &[u32], len: usize| ids.iter().all(|&id| (id as usize) < len);
            if !in_range(categories, values.categories.len()) || !in_range(tags, values.tags.len()) {
                return Err(Error::corrupt(&name(), "facet value id out of range"));
            }
            let category_ok =
                filters.categories.is_empty() || categories.iter().any(|&id| wanted_categories[id as usize]);
            let tag_ok = filters.tags.is_empty() || tags.iter().any(|&id| wanted_tags[id as usize]);
            if tag_ok {
                for &id in categories {
                    category_counts[id as usize] += 1;
                }
            }
            if category_ok {
                for &id in tags {
                    tag_counts[id as usize] += 1;
                }
            }
            if category_ok && tag_ok {
                kept.push(doc);
            }
        }
        let facets = filters.facets.then(|| Facets {
            categories: facet::counts(&category_counts, &values.categories),
            tags: facet::counts(&tag_counts, &values.tags),
        });
        Ok((kept, facets))
    }

    fn doc_stats(&self, doc: u32) -> Result<Option<DocStats>, Error> {
        let per_chunk = self.manifest.docs_per_meta_chunk;
        let Some(meta) = self.meta.get(&((doc / per_chunk) as usize)) else {
            return Ok(None);
        };
        let i = (doc - meta.first) as usize;
        match (meta.norms.get(i), meta.days.get(i)) {
            (Some(&norm), Some(&day)) => {
                let (title_length, body_length) = unpack_norm(norm);
                Ok(Some(DocStats { title_length, body_length, day }))
            }
            _ => Err(Error::corrupt(&self.manifest.meta_chunk_name((doc / per_chunk) as usize), "document missing")),
        }
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

fn item_number(name: &str, item: &str) -> Result<usize, Error> {
    item.strip_suffix(".bin")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| Error::UnexpectedFile { file: name.to_string() })
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

/// Orders by score, highest first, then by id (newest first).
fn sort_by_score(ranking: &mut Ranking) {
    // A float's bits, flipped so that unsigned order is numeric order.
    let ordered = |score: f32| {
        let bits = score.to_bits();
        if bits >> 31 == 1 {
            !bits
        } else {
            bits | 0x8000_0000
        }
    };
    let restored = |ordered: u32| f32::from_bits(if ordered >> 31 == 1 { ordered & 0x7FFF_FFFF } else { !ordered });
    let mut keys: Vec<u64> =
        ranking.iter().map(|&(doc, score)| (u64::from(!ordered(score)) << 32) | u64::from(doc)).collect();
    crate::sort::sort_u64(&mut keys);
    ranking.clear();
    ranking.extend(keys.into_iter().map(|key| (key as u32, restored(!((key >> 32) as u32)))));
}

/// Files numbered `0..n` (chunks of one kind), each loaded or not.
struct Slots<T>(Vec<Option<T>>);

impl<T> Slots<T> {
    fn new(count: usize) -> Self {
        Slots((0..count).map(|_| None).collect())
    }

    fn get(&self, number: &usize) -> Option<&T> {
        self.0.get(*number)?.as_ref()
    }

    fn contains_key(&self, number: &usize) -> bool {
        self.get(number).is_some()
    }

    fn insert(&mut self, name: &str, number: usize, value: T) -> Result<(), Error> {
        let slot = self.0.get_mut(number).ok_or_else(|| Error::UnexpectedFile { file: name.to_string() })?;
        *slot = Some(value);
        Ok(())
    }
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
