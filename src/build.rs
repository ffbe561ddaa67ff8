//! The index writer (feature `build`): turns documents into the files of a bundle.
//!
//! Documents are numbered newest first, analysed in parallel batches (folding, tokens, per-field frequencies and
//! bigram positions) and merged in id order into per-term lists that are encoded as they grow, so memory holds
//! compact bytes rather than one object per occurrence. The sorted terms are then cut into dictionary chunks of a
//! bounded size; large lists move into postings files of their own. Every file is deflate-compressed as written.
//! The output depends only on the documents: the same posts give byte-identical bundles on any thread count.

use std::collections::{HashMap, HashSet};
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::facet::{FacetChunk, FacetValues};
use crate::format::{self, put_varint, FileKind};
use crate::manifest::{Manifest, MANIFEST_FILE};
use crate::normalize::normalize;
use crate::postings::{self, FieldFreqs, BODY, FIELDS, META, TITLE};
use crate::store::{pack_norm, parse_day, DocMeta, StoredDocument};
use crate::termdict::{self, ChunkWriter, Placement};
use crate::textcode::TextCodes;
use crate::token::{tokenize, Token, TokenKind};

/// One post, as build-index hands it over.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub url: String,
    pub title: String,
    /// RFC 3339 with the post's UTC offset, e.g. `2022-01-26T09:29:35+08:00`.
    pub date: String,
    /// Seconds since the Unix epoch; documents are numbered newest first by it.
    pub timestamp: i64,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// Plain text of the body; block elements separated by `\n`.
    pub text: String,
    /// jieba's words for title and text: the vocabulary for query segmentation and completions.
    pub words: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Half-life in days of the recency prior in ranking; 0 disables it.
    pub recency_half_life_days: f32,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { recency_half_life_days: 365.0 }
    }
}

/// A file of the bundle, bytes as they are to be written.
#[derive(Debug, Clone)]
pub struct BundleFile {
    /// Path relative to the bundle root, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct Bundle {
    pub files: Vec<BundleFile>,
    /// How long the writer's phases took.
    pub timings: Timings,
}

/// Wall and CPU time of the phases of a run, for `--verbose` and for finding what to make faster. CPU time is the
/// whole process's (all threads), so a phase's parallelism shows as its CPU time over its wall time.
#[derive(Debug, Clone, Default)]
pub struct Timings {
    pub phases: Vec<PhaseTime>,
    last: Option<(Instant, Option<Duration>)>,
}

#[derive(Debug, Clone)]
pub struct PhaseTime {
    pub name: &'static str,
    pub wall: Duration,
    /// `None` where the platform does not tell (only Linux's `/proc/self/stat` is read).
    pub cpu: Option<Duration>,
}

impl Timings {
    /// Starts timing: the next [`Timings::lap`] measures from here.
    pub fn start() -> Timings {
        Timings { phases: Vec::new(), last: Some((Instant::now(), process_cpu_time())) }
    }

    /// Ends the phase `name` (started by the previous lap or by [`Timings::start`]) and starts the next.
    pub fn lap(&mut self, name: &'static str) {
        let now = (Instant::now(), process_cpu_time());
        if let Some((wall, cpu)) = self.last.replace(now) {
            let cpu = match (cpu, now.1) {
                (Some(before), Some(after)) => Some(after.saturating_sub(before)),
                _ => None,
            };
            self.phases.push(PhaseTime { name, wall: now.0 - wall, cpu });
        }
    }

    /// Appends the phases of `other` (timed inside this run's current phase) and restarts the clock.
    pub fn extend(&mut self, other: Timings) {
        self.phases.extend(other.phases);
        self.last = Some((Instant::now(), process_cpu_time()));
    }
}

/// User plus system time of this process so far, from `/proc/self/stat` (in clock ticks, 100 per second on Linux).
fn process_cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The command name (field 2) may contain spaces; utime and stime are fields 14 and 15.
    let after_name = &stat[stat.rfind(')')? + 1..];
    let mut fields = after_name.split_whitespace().skip(11);
    let user: u64 = fields.next()?.parse().ok()?;
    let system: u64 = fields.next()?.parse().ok()?;
    Some(Duration::from_millis((user + system) * 10))
}

impl Bundle {
    /// Writes every file below `dir` (which must exist), creating subfolders. Files are written in parallel:
    /// a bundle has one small file per post, and file system latency, not bandwidth, bounds the time.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        let mut folders: Vec<&str> =
            self.files.iter().filter_map(|f| f.path.rsplit_once('/').map(|(folder, _)| folder)).collect();
        folders.sort_unstable();
        folders.dedup();
        for folder in folders {
            std::fs::create_dir_all(dir.join(folder))?;
        }
        self.files.par_iter().try_for_each(|file| std::fs::write(dir.join(&file.path), &file.bytes))
    }

    /// Total bytes of the files whose path starts with `prefix` (`"t/"`, `"d/"`, … or `""` for all).
    pub fn bytes_under(&self, prefix: &str) -> u64 {
        self.files.iter().filter(|f| f.path.starts_with(prefix)).map(|f| f.bytes.len() as u64).sum()
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("no documents to index")]
    Empty,
    #[error("too many documents: {0} (the format holds up to 2^31)")]
    TooMany(usize),
}

/// Dictionary chunks are cut once their entries reach this many bytes, before compression.
const CHUNK_TARGET: usize = 12 * 1024;
/// Positions of a chunk's terms share one postings file up to this size.
const COMPANION_TARGET: usize = 16 * 1024;
/// Lists longer than this get a postings file of their own.
const INLINE_DOCLIST_MAX: usize = 512;
const SHARED_POSITIONS_MAX: usize = 4096;
/// Documents per doc-meta chunk.
const DOCS_PER_META_CHUNK: u32 = 8192;
/// Documents analysed together before their terms are merged (bounds the memory of the parallel step).
const BATCH: usize = 1024;

pub struct IndexBuilder {
    options: BuildOptions,
    documents: Vec<Document>,
}

impl IndexBuilder {
    pub fn new(options: BuildOptions) -> Self {
        IndexBuilder { options, documents: Vec::new() }
    }

    pub fn add(&mut self, document: Document) {
        self.documents.push(document);
    }

    pub fn finish(mut self) -> Result<Bundle, BuildError> {
        if self.documents.is_empty() {
            return Err(BuildError::Empty);
        }
        if self.documents.len() > i32::MAX as usize {
            return Err(BuildError::TooMany(self.documents.len()));
        }
        self.documents.sort_by(|a, b| {
            b.timestamp.cmp(&a.timestamp).then_with(|| a.url.cmp(&b.url)).then_with(|| a.title.cmp(&b.title))
        });
        let documents = std::mem::take(&mut self.documents);
        let mut timings = Timings::start();

        let mut terms = TermTable::default();
        let mut words: HashMap<String, u32> = HashMap::new();
        let mut meta = DocMeta::default();
        let mut length_sums = [0f64; FIELDS];
        for (batch_index, batch) in documents.chunks(BATCH).enumerate() {
            let analysed: Vec<AnalysedDocument> = batch.par_iter().map(analyse).collect();
            for (offset, (document, analysed)) in batch.iter().zip(analysed).enumerate() {
                let doc = (batch_index * BATCH + offset) as u32;
                terms.add_document(doc, analysed.terms);
                for (sum, len) in length_sums.iter_mut().zip(analysed.lengths) {
                    *sum += f64::from(len);
                }
                meta.norms.push(pack_norm(analysed.lengths[TITLE], analysed.lengths[BODY]));
                // The calendar day where the post was published, as its date says; else the UTC day.
                let day = parse_day(&document.date).unwrap_or(document.timestamp.div_euclid(86_400) as i32);
                meta.days.push(day);
                let mut unique: Vec<String> =
                    document.words.iter().map(|w| normalize(w)).filter(|w| w.chars().count() >= 2).collect();
                unique.sort_unstable();
                unique.dedup();
                for word in unique {
                    *words.entry(word).or_default() += 1;
                }
            }
        }

        timings.lap("analyse and merge terms");
        let chunks = write_term_chunks(terms, words, documents.len() as u32);
        timings.lap("term chunks");
        let mut files = chunks.postings_files;
        let texts: Vec<&str> = documents.iter().map(|d| d.text.as_str()).collect();
        let timestamps: Vec<i64> = documents.iter().map(|d| d.timestamp).collect();
        for (doc, story) in crate::dedup::clusters(&texts, &timestamps).into_iter().enumerate() {
            if story != doc as u32 {
                meta.duplicates.push((doc as u32, story));
            }
        }
        timings.lap("duplicate stories");
        let (meta_folder, meta_files) = write_doc_meta(&meta);
        let text_codes = text_codes(&documents);
        timings.lap("text codes");
        let (store_folder, store_files) = write_documents(&documents, &text_codes);
        timings.lap("documents");
        let facet_files = write_facets(&documents);
        let doc_count = documents.len() as f64;
        let (folding_table, folding_checksum) =
            format::seal_file(FileKind::FoldingTable, crate::normalize::FOLDING_TABLE);
        let manifest = Manifest {
            doc_count: documents.len() as u32,
            newest_day: meta.days.first().copied().unwrap_or_default(),
            recency_half_life_days: self.options.recency_half_life_days.max(0.0),
            average_lengths: length_sums.map(|sum| (sum / doc_count) as f32),
            term_folder: chunks.folder,
            first_keys: chunks.first_keys,
            meta_folder,
            docs_per_meta_chunk: DOCS_PER_META_CHUNK,
            store_folder,
            facet_folder: facet_files.folder,
            folding_table: folding_checksum,
            text_codes,
        };
        files.push(BundleFile { path: manifest.folding_table_name(), bytes: folding_table });
        for (chunk, payload) in chunks.chunk_files.into_iter().enumerate() {
            files.push(BundleFile { path: manifest.chunk_name(chunk), bytes: payload });
        }
        for (chunk, payload) in meta_files {
            files.push(BundleFile { path: manifest.meta_chunk_name(chunk), bytes: payload });
        }
        files.push(BundleFile { path: manifest.facet_values_name(), bytes: facet_files.values });
        for (chunk, payload) in facet_files.chunks.into_iter().enumerate() {
            files.push(BundleFile { path: manifest.facet_chunk_name(chunk), bytes: payload });
        }
        for (doc, payload) in store_files {
            files.push(BundleFile { path: manifest.document_name(doc), bytes: payload });
        }
        let (manifest_bytes, _) = format::seal_file(FileKind::Manifest, &manifest.encode());
        files.push(BundleFile { path: MANIFEST_FILE.to_string(), bytes: manifest_bytes });
        timings.lap("facets and manifest");
        files.par_iter_mut().for_each(|file| file.bytes = deflate(&file.bytes));
        files.sort_by(|a, b| a.path.cmp(&b.path));
        timings.lap("deflate");
        Ok(Bundle { files, timings })
    }
}

fn deflate(bytes: &[u8]) -> Vec<u8> {
    let mut encoder = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    // Writing to a Vec cannot fail.
    encoder.write_all(bytes).expect("in-memory deflate");
    encoder.finish().expect("in-memory deflate")
}

/// What one document contributes.
struct AnalysedDocument {
    terms: Vec<DocTerm>,
    lengths: [u32; FIELDS],
}

struct DocTerm {
    key: Vec<u8>,
    freqs: FieldFreqs,
    /// Bigrams only: positions per field.
    positions: Option<[Vec<u32>; FIELDS]>,
}

fn analyse(document: &Document) -> AnalysedDocument {
    let mut terms = DocTerms::default();
    let mut key = Vec::with_capacity(32);
    let mut lengths = [0u32; FIELDS];
    let meta_values: Vec<&str> = document.categories.iter().chain(&document.tags).map(String::as_str).collect();
    let fields: [(usize, Vec<&str>); FIELDS] =
        [(TITLE, vec![document.title.as_str()]), (META, meta_values), (BODY, vec![document.text.as_str()])];
    for (field, values) in fields {
        // Values of one field (the categories and tags) are separated by a gap so no bigram spans two of them.
        let mut base = 0u32;
        for value in values {
            let folded = normalize(value);
            let tokens = tokenize(&folded);
            for (i, token) in tokens.iter().enumerate() {
                key.clear();
                if termdict::push_unigram_key(&mut key, token) {
                    terms.record(&key, field, None);
                }
                if let Some(next) = tokens.get(i + 1) {
                    key.clear();
                    termdict::push_bigram_key(&mut key, token, next);
                    terms.record(&key, field, Some(base + i as u32));
                }
            }
            base += tokens.len() as u32 + 1;
            lengths[field] += tokens.iter().filter(|t: &&Token| t.kind != TokenKind::Space).count() as u32;
        }
    }
    let DocTerms { index, mut terms } = terms;
    for (key, i) in index {
        terms[i].key = key;
    }
    AnalysedDocument { terms, lengths }
}

/// The terms of one document as they are counted.
#[derive(Default)]
struct DocTerms {
    index: FxHashMap<Vec<u8>, usize>,
    /// Keys are filled in at the end (they live in `index` meanwhile).
    terms: Vec<DocTerm>,
}

impl DocTerms {
    fn record(&mut self, key: &[u8], field: usize, position: Option<u32>) {
        let i = match self.index.get(key) {
            Some(&i) => i,
            None => {
                self.index.insert(key.to_vec(), self.terms.len());
                let positions = position.map(|_| Default::default());
                self.terms.push(DocTerm { key: Vec::new(), freqs: [0; FIELDS], positions });
                self.terms.len() - 1
            }
        };
        let term = &mut self.terms[i];
        term.freqs[field] += 1;
        if let (Some(positions), Some(p)) = (&mut term.positions, position) {
            positions[field].push(p);
        }
    }
}

/// Every term's lists, encoded as documents arrive in id order.
#[derive(Default)]
struct TermTable {
    ids: FxHashMap<Box<[u8]>, u32>,
    lists: Vec<TermLists>,
}

#[derive(Default)]
struct TermLists {
    doc_freq: u32,
    next_doc: u32,
    /// Postings without the leading count (see [`crate::postings`]).
    doclist: Vec<u8>,
    positions: Vec<u8>,
}

impl TermTable {
    fn add_document(&mut self, doc: u32, terms: Vec<DocTerm>) {
        for term in terms {
            let id = match self.ids.get(term.key.as_slice()) {
                Some(&id) => id,
                None => {
                    let id = self.lists.len() as u32;
                    self.ids.insert(term.key.into_boxed_slice(), id);
                    self.lists.push(TermLists::default());
                    id
                }
            };
            let lists = &mut self.lists[id as usize];
            postings::encode_posting(&mut lists.doclist, doc - lists.next_doc, &term.freqs);
            lists.next_doc = doc + 1;
            lists.doc_freq += 1;
            if let Some(positions) = &term.positions {
                postings::encode_posting_positions(&mut lists.positions, positions);
            }
        }
    }
}

/// The term dictionary as files: numbered chunks (named once their folder hash is known) and postings files.
#[derive(Default)]
struct TermFiles {
    folder: u64,
    first_keys: Vec<Vec<u8>>,
    chunk_files: Vec<Vec<u8>>,
    postings_files: Vec<BundleFile>,
}

fn write_term_chunks(terms: TermTable, words: HashMap<String, u32>, doc_count: u32) -> TermFiles {
    let TermTable { ids, mut lists } = terms;
    let mut keys: Vec<(Box<[u8]>, Option<u32>, u32)> = ids.into_iter().map(|(key, id)| (key, Some(id), 0)).collect();
    let readings: Vec<(Vec<u8>, u32)> = words
        .par_iter()
        .filter(|(_, &df)| df >= crate::pinyin::MIN_DOC_FREQ)
        .flat_map_iter(|(word, &df)| {
            crate::pinyin::keys(word).into_iter().map(move |(key, secondary_readings)| {
                (key, crate::pinyin::Weighted { doc_freq: df, secondary_readings }.pack())
            })
        })
        .collect();
    keys.extend(readings.into_iter().map(|(key, df)| (key.into_boxed_slice(), None, df)));
    keys.extend(words.into_iter().map(|(word, df)| (termdict::word_key(&word).into_boxed_slice(), None, df)));
    keys.sort_unstable_by(|a, b| a.0.cmp(&b.0));

    let mut chunks = ChunkSet { doc_count, ..Default::default() };
    for (key, id, word_df) in keys {
        match id {
            Some(id) => {
                let term = std::mem::take(&mut lists[id as usize]);
                chunks.add_term(&key, term);
            }
            None => chunks.add_word(&key, word_df),
        }
    }
    chunks.seal();
    let mut files = chunks.files;
    files.folder = folder_hash(&chunks.checksums);
    files
}

#[derive(Default)]
struct ChunkSet {
    doc_count: u32,
    writer: ChunkWriter,
    companion: Vec<u8>,
    current_first_key: Option<Vec<u8>>,
    checksums: Vec<u64>,
    written_postings: HashSet<u64>,
    files: TermFiles,
}

impl ChunkSet {
    fn start_entry(&mut self, key: &[u8]) {
        if self.writer.data_len() >= CHUNK_TARGET || self.companion.len() >= COMPANION_TARGET {
            self.seal();
        }
        if self.current_first_key.is_none() {
            self.current_first_key = Some(key.to_vec());
        }
    }

    fn add_word(&mut self, key: &[u8], doc_freq: u32) {
        self.start_entry(key);
        self.writer.add(key, doc_freq, Placement::Inline(&[]), None);
    }

    fn add_term(&mut self, key: &[u8], term: TermLists) {
        self.start_entry(key);
        let mut doclist = Vec::with_capacity(term.doclist.len() + 5);
        put_varint(&mut doclist, u64::from(term.doc_freq));
        doclist.extend_from_slice(&term.doclist);
        let doclist_placement = if doclist.len() > INLINE_DOCLIST_MAX {
            let checksum = self.push_postings_file(&doclist);
            Placement::External { checksum, start: 0, len: doclist.len() }
        } else {
            Placement::Inline(&doclist)
        };
        let positions = if key.first() == Some(&termdict::BIGRAM) {
            if term.positions.len() > SHARED_POSITIONS_MAX {
                let checksum = self.push_postings_file(&term.positions);
                Some(Placement::External { checksum, start: 0, len: term.positions.len() })
            } else {
                let start = self.companion.len();
                self.companion.extend_from_slice(&term.positions);
                Some(Placement::Companion { start, len: term.positions.len() })
            }
        } else {
            None
        };
        debug_assert!(term.doc_freq <= self.doc_count);
        self.writer.add(key, term.doc_freq, doclist_placement, positions);
    }

    fn seal(&mut self) {
        let Some(first_key) = self.current_first_key.take() else {
            return;
        };
        let companion = std::mem::take(&mut self.companion);
        let companion_checksum = if companion.is_empty() { 0 } else { self.push_postings_file(&companion) };
        let writer = std::mem::take(&mut self.writer);
        let (bytes, checksum) = format::seal_file(FileKind::TermChunk, &writer.finish(companion_checksum));
        self.files.chunk_files.push(bytes);
        self.files.first_keys.push(first_key);
        self.checksums.push(checksum);
    }

    fn push_postings_file(&mut self, payload: &[u8]) -> u64 {
        let (bytes, checksum) = format::seal_file(FileKind::Postings, payload);
        if self.written_postings.insert(checksum) {
            self.files.postings_files.push(BundleFile { path: termdict::postings_file_name(checksum), bytes });
        }
        checksum
    }
}

fn write_doc_meta(meta: &DocMeta) -> (u64, Vec<(usize, Vec<u8>)>) {
    let per_chunk = DOCS_PER_META_CHUNK as usize;
    let mut out = Vec::new();
    let mut checksums = Vec::new();
    for (chunk, start) in (0..meta.len()).step_by(per_chunk).enumerate() {
        let end = (start + per_chunk).min(meta.len());
        let part = DocMeta {
            first: start as u32,
            norms: meta.norms[start..end].to_vec(),
            days: meta.days[start..end].to_vec(),
            duplicates: meta
                .duplicates
                .iter()
                .filter(|&&(doc, _)| (start..end).contains(&(doc as usize)))
                .copied()
                .collect(),
        };
        let (bytes, checksum) = format::seal_file(FileKind::DocMeta, &part.encode());
        checksums.push(checksum);
        out.push((chunk, bytes));
    }
    (folder_hash(&checksums), out)
}

/// The code table of the documents' titles and text: their most frequent characters.
fn text_codes(documents: &[Document]) -> TextCodes {
    let counts = documents
        .par_iter()
        .fold(FxHashMap::<char, u64>::default, |mut counts, d| {
            for c in d.title.chars().chain(d.text.chars()) {
                *counts.entry(c).or_default() += 1;
            }
            counts
        })
        .reduce(FxHashMap::default, |mut a, b| {
            for (c, n) in b {
                *a.entry(c).or_default() += n;
            }
            a
        });
    TextCodes::from_counts(counts)
}

fn write_documents(documents: &[Document], codes: &TextCodes) -> (u64, Vec<(u32, Vec<u8>)>) {
    let sealed: Vec<(u32, Vec<u8>, u64)> = documents
        .par_iter()
        .enumerate()
        .map(|(doc, d)| {
            let stored = StoredDocument {
                url: d.url.clone(),
                title: d.title.clone(),
                date: d.date.clone(),
                categories: d.categories.clone(),
                tags: d.tags.clone(),
                text: d.text.clone(),
                needs_folding: [&d.title, &d.text].iter().any(|t| crate::normalize::has_traditional(t)),
            };
            let (bytes, checksum) = format::seal_file(FileKind::Document, &stored.encode(codes));
            (doc as u32, bytes, checksum)
        })
        .collect();
    let checksums: Vec<u64> = sealed.iter().map(|s| s.2).collect();
    (folder_hash(&checksums), sealed.into_iter().map(|(doc, bytes, _)| (doc, bytes)).collect())
}

/// Sealed facet files: the values and the per-document chunks.
struct FacetFiles {
    folder: u64,
    values: Vec<u8>,
    chunks: Vec<Vec<u8>>,
}

fn write_facets(documents: &[Document]) -> FacetFiles {
    let sorted_unique = |lists: &mut dyn Iterator<Item = &Vec<String>>| {
        let mut values: Vec<String> = lists.flatten().cloned().collect();
        values.sort_unstable();
        values.dedup();
        values
    };
    let values = FacetValues {
        categories: sorted_unique(&mut documents.iter().map(|d| &d.categories)),
        tags: sorted_unique(&mut documents.iter().map(|d| &d.tags)),
    };
    let ids = |list: &[String], names: &[String]| -> Vec<u32> {
        list.iter().filter_map(|v| names.binary_search(v).ok()).map(|i| i as u32).collect()
    };
    let (values_file, values_checksum) = format::seal_file(FileKind::FacetValues, &values.encode());
    let mut checksums = vec![values_checksum];
    let mut chunks = Vec::new();
    for (chunk, batch) in documents.chunks(DOCS_PER_META_CHUNK as usize).enumerate() {
        let facet_chunk = FacetChunk {
            first: chunk as u32 * DOCS_PER_META_CHUNK,
            documents: batch
                .iter()
                .map(|d| (ids(&d.categories, &values.categories), ids(&d.tags, &values.tags)))
                .collect(),
        };
        let (bytes, checksum) = format::seal_file(FileKind::FacetChunk, &facet_chunk.encode());
        checksums.push(checksum);
        chunks.push(bytes);
    }
    FacetFiles { folder: folder_hash(&checksums), values: values_file, chunks }
}

fn folder_hash(checksums: &[u64]) -> u64 {
    format::checksum(&checksums.iter().flat_map(|c| c.to_le_bytes()).collect::<Vec<u8>>())
}
