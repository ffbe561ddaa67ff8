//! Answering a query: the index, loaded piecemeal, and the results page.
//!
//! [`Index::search`] works out which files the query needs; when some are missing it returns [`Step::Need`] with
//! their names, the host fetches them and hands them over with [`Index::add_file`], and the search is asked again.
//! Each round gets further: dictionary chunks (with all the ranking data on a small index), then postings, then
//! ranking data for the candidates (on a large index), then the documents of the results shown.
//!
//! The steps live in submodules: `matching` (which posts contain the keywords), `ranking` (filters, facets, scores,
//! duplicate stories), `rewrite` (pinyin, typos, split words when a query finds little) and `complete`
//! (completions). This module owns the loaded files, the fetch protocol and the page.

use fnv::FnvHashMap as HashMap;

use crate::day::parse_day;
use crate::excerpt::{excerpt, EXCERPT_CHARS};
use crate::facet::{FacetChunk, FacetValues, Facets};
use crate::format::{self, FileKind};
use crate::manifest::Manifest;
use crate::query::{self, Query};
use crate::store::{DocMeta, StoredDocument};
use crate::termdict::{self, TermChunk};
use crate::Error;

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

mod complete;
mod matching;
mod ranking;
mod rewrite;

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
}

fn item_number(name: &str, item: &str) -> Result<usize, Error> {
    item.strip_suffix(".bin")
        .and_then(|n| n.parse().ok())
        .ok_or_else(|| Error::UnexpectedFile { file: name.to_string() })
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
