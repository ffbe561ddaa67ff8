//! The index writer (feature `build`): turns documents into the files of a bundle.
//!
//! Documents are numbered newest first, analysed in parallel batches (folding, tokens, per-field frequencies and
//! bigram positions) and merged in id order into per-term lists that are encoded as they grow, so memory holds
//! compact bytes rather than one object per occurrence; the merge runs on every core, one shard of the keys each
//! (see [`terms`]). The sorted terms are then cut into dictionary chunks of a bounded size; large lists move into
//! postings files of their own. Cutting is sequential (each cut depends on the chunk so far), so the per-document
//! files (duplicate stories, document store) are built beside the term index rather than after it. Every file is
//! deflate-compressed and handed over as soon as its name is known, so writing overlaps the rest of the build.
//! The output depends only on the documents: the same posts give byte-identical bundles on any thread count.

use std::cell::RefCell;
use std::collections::HashSet;
use std::path::Path;
use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

use libdeflater::{CompressionLvl, Compressor};
use rayon::prelude::*;
use rustc_hash::FxHashMap;

use crate::day::parse_day;
use crate::facet::{FacetChunk, FacetValues};
use crate::format::{self, FileKind};
use crate::manifest::{Manifest, MANIFEST_FILE};
use crate::normalize::normalize;
use crate::postings::{BODY, FIELDS, TITLE};
use crate::store::{pack_norm, DocMeta, StoredDocument};
use crate::termdict::{self, ChunkWriter, Placement};
use crate::textcode::TextCodes;

mod terms;
mod words;

use terms::{AnalysedDocument, TermLists, TermShard};

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
    /// jieba's words for title and text: the vocabulary for query segmentation and completions. May be left
    /// empty when the caller counts them itself (see [`Vocabulary`]).
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

/// `f()` and how long it took.
fn timed<T>(f: impl FnOnce() -> T) -> (T, Duration) {
    let start = Instant::now();
    (f(), start.elapsed())
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

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("no documents to index")]
    Empty,
    #[error("too many documents: {0} (an index holds up to {max})", max = crate::manifest::MAX_DOCUMENTS)]
    TooMany(usize),
    #[error("writing {path}: {source}")]
    Write { path: String, source: std::io::Error },
}

/// Dictionary chunks are cut once their entries reach this many bytes, before compression. Smaller chunks cost a
/// query fewer bytes and the manifest more boundaries (read by every cold start). On the 45k corpus, 43 queries
/// after a warm-up read 1,058 KiB of chunks and their postings with 8 KiB, 1,226 with 10 KiB and 1,320 with 12
/// KiB, for a manifest of 11.5, 10.1 and 9.3 KB.
const CHUNK_TARGET: usize = 8 * 1024;
/// Positions of a chunk's terms share one postings file up to this size.
const COMPANION_TARGET: usize = 16 * 1024;
/// Lists longer than this get a postings file of their own.
const INLINE_DOCLIST_MAX: usize = 512;
const SHARED_POSITIONS_MAX: usize = 4096;
/// Documents per doc-meta chunk.
const DOCS_PER_META_CHUNK: u32 = 16_384;
/// Documents analysed together before their terms are merged (bounds the memory of the parallel step).
const BATCH: usize = 1024;

pub struct IndexBuilder {
    options: BuildOptions,
    documents: Vec<Document>,
    vocabulary: Vocabulary,
}

impl IndexBuilder {
    pub fn new(options: BuildOptions) -> Self {
        IndexBuilder { options, documents: Vec::new(), vocabulary: Vocabulary::default() }
    }

    pub fn add(&mut self, document: Document) {
        self.documents.push(document);
    }

    /// Adds word counts of documents counted by the caller (see [`Vocabulary`]).
    pub fn add_vocabulary(&mut self, vocabulary: Vocabulary) {
        self.vocabulary = std::mem::take(&mut self.vocabulary).merge(vocabulary);
    }

    /// Builds the bundle in memory, files sorted by path.
    pub fn finish(self) -> Result<Bundle, BuildError> {
        let files = Mutex::new(Vec::new());
        let timings = self.build(&|path, bytes| {
            files.lock().unwrap_or_else(PoisonError::into_inner).push(BundleFile { path, bytes });
            Ok(())
        })?;
        let mut files = files.into_inner().unwrap_or_else(PoisonError::into_inner);
        files.sort_by(|a, b| a.path.cmp(&b.path));
        Ok(Bundle { files, timings })
    }

    /// Builds the bundle into `sink`, each file written as soon as it is ready rather than all at the end, so that
    /// writing (file system time) overlaps with the work still going on.
    pub fn write_into(self, sink: &FolderSink) -> Result<Timings, BuildError> {
        self.build(&|path, bytes| sink.put(path, &bytes))
    }

    /// Whether [`IndexBuilder::finish`] can succeed: fails as it would for no documents or too many.
    pub fn check(&self) -> Result<(), BuildError> {
        if self.documents.is_empty() {
            return Err(BuildError::Empty);
        }
        if self.documents.len() > crate::manifest::MAX_DOCUMENTS as usize {
            return Err(BuildError::TooMany(self.documents.len()));
        }
        Ok(())
    }

    /// The term index and the per-document files depend on each other only through the manifest and doc-meta, so
    /// they are built side by side: the sequential parts of one (the dictionary is cut in key order) leave the
    /// cores to the other. Every file is deflated and handed to `put` once its name is known.
    fn build(mut self, put: &PutFile) -> Result<Timings, BuildError> {
        self.check()?;
        self.documents.sort_by(|a, b| {
            b.timestamp.cmp(&a.timestamp).then_with(|| a.url.cmp(&b.url)).then_with(|| a.title.cmp(&b.title))
        });
        let documents = std::mem::take(&mut self.documents);
        let output = Output { put, error: Mutex::new(None) };
        let mut timings = Timings::start();

        let (index, (((text_codes, store_folder), store_wall), small_files)) = rayon::join(
            || index_terms(&documents, std::mem::take(&mut self.vocabulary), &output),
            || {
                rayon::join(
                    || {
                        timed(|| {
                            let text_codes = text_codes(&documents);
                            let (store_folder, store_files) = write_documents(&documents, &text_codes);
                            store_files.into_par_iter().for_each(|(doc, bytes)| {
                                output.put(
                                    crate::manifest::document_name(store_folder, doc),
                                    deflate(&bytes, Effort::Text),
                                )
                            });
                            (text_codes, store_folder)
                        })
                    },
                    || facet_and_folding_files(&documents),
                )
            },
        );
        let (duplicates, dedup_wall) = (index.duplicates, index.dedup_wall);
        timings.extend(index.timings);
        // Their CPU time is in the term phases' (one process, same time).
        timings.phases.push(PhaseTime { name: "∥ duplicate stories", wall: dedup_wall, cpu: None });
        timings.phases.push(PhaseTime { name: "∥ document store", wall: store_wall, cpu: None });

        let mut meta = index.meta;
        meta.duplicates = duplicates;
        let (meta_folder, meta_files) = write_doc_meta(&meta);
        let doc_count = documents.len() as f64;
        let manifest = Manifest {
            doc_count: documents.len() as u32,
            newest_day: meta.days.first().copied().unwrap_or_default(),
            recency_half_life_days: self.options.recency_half_life_days.max(0.0),
            average_lengths: index.length_sums.map(|sum| (sum / doc_count) as f32),
            term_folder: index.chunks.folder,
            first_keys: index.chunks.first_keys,
            meta_folder,
            docs_per_meta_chunk: DOCS_PER_META_CHUNK,
            store_folder,
            facet_folder: small_files.facet_folder,
            folding_table: small_files.folding_checksum,
            text_codes,
        };
        // The doc-meta files still to deflate (every first query reads them, so with zopfli); the chunks and the
        // facet and folding files are deflated already and the documents written.
        let mut files: Vec<(String, Vec<u8>)> = meta_files
            .into_par_iter()
            .map(|(n, bytes)| (manifest.meta_chunk_name(n), deflate_smallest(&bytes)))
            .collect();
        files.push((manifest.folding_table_name(), small_files.folding_table));
        files.push((manifest.facet_values_name(), small_files.facet_values));
        files.extend(
            small_files.facet_chunks.into_iter().enumerate().map(|(n, bytes)| (manifest.facet_chunk_name(n), bytes)),
        );
        files
            .extend(index.chunks.chunk_files.into_iter().enumerate().map(|(n, bytes)| (manifest.chunk_name(n), bytes)));
        files.into_par_iter().for_each(|(path, bytes)| output.put(path, bytes));
        // Last, so that a reader never finds a manifest naming files not yet written.
        let (manifest_bytes, _) = format::seal_file(FileKind::Manifest, &manifest.encode());
        output.put(MANIFEST_FILE.to_string(), deflate_smallest(&manifest_bytes));
        timings.lap("deflate and write the rest");
        output.finish()?;
        Ok(timings)
    }
}

/// Takes a finished file: its path in the bundle and its deflated bytes. Called from any thread.
type PutFile<'a> = dyn Fn(String, Vec<u8>) -> std::io::Result<()> + Sync + 'a;

/// Where the writer's files go, and the first failure to put one (later files are then not even compressed).
struct Output<'a> {
    put: &'a PutFile<'a>,
    error: Mutex<Option<BuildError>>,
}

impl Output<'_> {
    /// Puts a file (already deflated).
    fn put(&self, path: String, bytes: Vec<u8>) {
        if self.error.lock().unwrap_or_else(PoisonError::into_inner).is_some() {
            return;
        }
        if let Err(source) = (self.put)(path.clone(), bytes) {
            self.error.lock().unwrap_or_else(PoisonError::into_inner).get_or_insert(BuildError::Write { path, source });
        }
    }

    fn finish(self) -> Result<(), BuildError> {
        match self.error.into_inner().unwrap_or_else(PoisonError::into_inner) {
            Some(error) => Err(error),
            None => Ok(()),
        }
    }
}

/// Writes a bundle's files below a folder as the writer hands them over, creating subfolders as they appear, and
/// remembers what it wrote.
pub struct FolderSink {
    root: std::path::PathBuf,
    folders: Mutex<HashSet<String>>,
    written: Mutex<Vec<(String, u64)>>,
}

impl FolderSink {
    /// `root` must exist.
    pub fn new(root: &Path) -> FolderSink {
        FolderSink { root: root.to_path_buf(), folders: Mutex::default(), written: Mutex::default() }
    }

    pub fn put(&self, path: String, bytes: &[u8]) -> std::io::Result<()> {
        if let Some((folder, _)) = path.rsplit_once('/') {
            let known = self.folders.lock().unwrap_or_else(PoisonError::into_inner).contains(folder);
            if !known {
                std::fs::create_dir_all(self.root.join(folder))?;
                self.folders.lock().unwrap_or_else(PoisonError::into_inner).insert(folder.to_string());
            }
        }
        std::fs::write(self.root.join(&path), bytes)?;
        self.written.lock().unwrap_or_else(PoisonError::into_inner).push((path, bytes.len() as u64));
        Ok(())
    }

    /// Every file written so far, as (path, bytes), in the order they were written.
    pub fn written(&self) -> Vec<(String, u64)> {
        self.written.lock().unwrap_or_else(PoisonError::into_inner).clone()
    }
}

/// The term side of a build: dictionary files (postings files already written) and per-document numbers.
struct TermIndex {
    chunks: TermFiles,
    /// (document, story) for every document that tells the story of a newer one, and how long finding them took.
    duplicates: Vec<(u32, u32)>,
    dedup_wall: Duration,
    meta: DocMeta,
    length_sums: [f64; FIELDS],
    timings: Timings,
}

fn index_terms(documents: &[Document], counted: Vocabulary, output: &Output) -> TermIndex {
    let mut timings = Timings::start();
    let vocabulary =
        Vocabulary::of_documents(documents, |d: &Document| d.words.iter().map(String::as_str)).merge(counted);
    // In a fixed order, so that the bundle does not depend on the hash map's.
    let mut words: Vec<VocabularyWord> = vocabulary
        .doc_freqs
        .into_iter()
        .map(|(word, segmented_in)| VocabularyWord { word, segmented_in, contained_in: 0 })
        .collect();
    words.par_sort_unstable_by(|a, b| a.word.cmp(&b.word));
    let finder = words::WordFinder::new(&words.iter().map(|w| w.word.as_str()).collect::<Vec<_>>());
    timings.lap("∥ vocabulary");
    // The duplicate stories, which the words' counts need, take a fraction of the merge's time beside it.
    let ((shards, meta, length_sums, words_of_documents), (duplicates, dedup_wall)) =
        rayon::join(|| merge_terms(documents, finder.as_ref()), || timed(|| duplicate_stories(documents)));
    let counts = stories_containing(words_of_documents, &duplicates, words.len());
    for (word, count) in words.iter_mut().zip(counts) {
        word.contained_in = count;
    }
    timings.lap("∥ analyse and merge terms");
    let chunks = write_term_chunks(shards, words, documents.len() as u32, output);
    timings.lap("∥ term chunks");
    TermIndex { chunks, duplicates, dedup_wall, meta, length_sums, timings }
}

/// A word of the vocabulary: in how many documents jieba cut it out (the weight of its pinyin readings: as a
/// substring, 化为 inside 转化为 would outweigh 华为 for `huawei`), and how many contain it (the count completions
/// show, and their order).
struct VocabularyWord {
    word: String,
    segmented_in: u32,
    contained_in: u32,
}

/// How many results a search for each of `word_count` words shows by default: the documents that contain it
/// (`words_of_documents`, ids each document contains), with the posts of one story counted once, as the search
/// folds them (`duplicates`: (document, story)).
fn stories_containing(words_of_documents: Vec<Vec<u32>>, duplicates: &[(u32, u32)], word_count: usize) -> Vec<u32> {
    let mut counts = vec![0u32; word_count];
    let mut folded_into: FxHashMap<u32, Vec<u32>> = FxHashMap::default();
    for &(document, story) in duplicates {
        folded_into.entry(story).or_default().push(document);
    }
    let is_duplicate: HashSet<u32> = duplicates.iter().map(|&(document, _)| document).collect();
    for (document, words) in words_of_documents.iter().enumerate() {
        let document = document as u32;
        if is_duplicate.contains(&document) {
            continue; // counted with its story
        }
        match folded_into.get(&document) {
            None => words.iter().for_each(|&word| counts[word as usize] += 1),
            Some(others) => {
                let mut story_words = words.clone();
                for &other in others {
                    story_words.extend_from_slice(&words_of_documents[other as usize]);
                }
                story_words.sort_unstable();
                story_words.dedup();
                story_words.iter().for_each(|&word| counts[word as usize] += 1);
            }
        }
    }
    counts
}

/// Every document's terms merged into per-term lists, with the documents' norms and days, and the vocabulary words
/// (ids of `words`) each document contains.
fn merge_terms(
    documents: &[Document],
    words: Option<&words::WordFinder>,
) -> (Vec<TermShard>, DocMeta, [f64; FIELDS], Vec<Vec<u32>>) {
    let mut shards: Vec<TermShard> = (0..terms::SHARDS).map(|_| TermShard::default()).collect();
    let mut meta = DocMeta::default();
    let mut length_sums = [0f64; FIELDS];
    let mut words_of_documents: Vec<Vec<u32>> = Vec::with_capacity(documents.len());
    let analyse = |document: &Document| terms::analyse(document, words);
    let batches: Vec<&[Document]> = documents.chunks(BATCH).collect();
    // While one batch is merged, the next is analysed.
    let mut analysed: Vec<AnalysedDocument> = batches[0].par_iter().map(analyse).collect();
    for (batch_index, batch) in batches.iter().enumerate() {
        let first = (batch_index * BATCH) as u32;
        let merge = |shards: &mut Vec<TermShard>| {
            shards.par_iter_mut().enumerate().for_each(|(s, shard)| {
                for (offset, document) in analysed.iter().enumerate() {
                    shard.add(s, first + offset as u32, document);
                }
            })
        };
        let next = batches.get(batch_index + 1).map(|next| || next.par_iter().map(analyse).collect());
        let next: Vec<AnalysedDocument> = match next {
            Some(analyse_next) => rayon::join(|| merge(&mut shards), analyse_next).1,
            None => {
                merge(&mut shards);
                Vec::new()
            }
        };
        for (document, analysed) in batch.iter().zip(&analysed) {
            for (sum, len) in length_sums.iter_mut().zip(analysed.lengths) {
                *sum += f64::from(len);
            }
            meta.norms.push(pack_norm(analysed.lengths[TITLE], analysed.lengths[BODY]));
            // The calendar day where the post was published, as its date says; else the UTC day.
            let day = parse_day(&document.date).unwrap_or(document.timestamp.div_euclid(86_400) as i32);
            meta.days.push(day);
        }
        words_of_documents.extend(analysed.iter_mut().map(|a| std::mem::take(&mut a.words)));
        analysed = next;
    }
    (shards, meta, length_sums, words_of_documents)
}

/// The facet and folding-table files, deflated beside the term index (their names wait for the manifest).
struct SmallFiles {
    facet_folder: u64,
    facet_values: Vec<u8>,
    facet_chunks: Vec<Vec<u8>>,
    folding_checksum: u64,
    folding_table: Vec<u8>,
}

fn facet_and_folding_files(documents: &[Document]) -> SmallFiles {
    let facets = write_facets(documents);
    let (folding_table, folding_checksum) = format::seal_file(FileKind::FoldingTable, crate::normalize::FOLDING_TABLE);
    let mut raw = vec![folding_table, facets.values];
    raw.extend(facets.chunks);
    let mut deflated: Vec<Vec<u8>> = raw.into_par_iter().map(|bytes| deflate_smallest(&bytes)).collect();
    let facet_chunks = deflated.split_off(2);
    let facet_values = deflated.pop().unwrap_or_default();
    let folding_table = deflated.pop().unwrap_or_default();
    SmallFiles { facet_folder: facets.folder, facet_values, facet_chunks, folding_checksum, folding_table }
}

/// (document, story) for every document that tells the story of a newer one.
fn duplicate_stories(documents: &[Document]) -> Vec<(u32, u32)> {
    let posts: Vec<crate::dedup::Post> = documents
        .iter()
        .map(|d| crate::dedup::Post { title: &d.title, text: &d.text, timestamp: d.timestamp })
        .collect();
    let clusters = crate::dedup::clusters(&posts);
    clusters
        .into_iter()
        .enumerate()
        .filter(|&(doc, story)| story != doc as u32)
        .map(|(doc, story)| (doc as u32, story))
        .collect()
}

/// Deflate as small as zopfli makes it, for the few small files every cold start reads (the manifest and the
/// ranking chunks: 12 % smaller than zlib's best on the full corpus, for about a second of CPU); far too slow for
/// the bundle's 85 MB.
fn deflate_smallest(bytes: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(bytes.len() / 2);
    match zopfli::compress(zopfli::Options::default(), zopfli::Format::Deflate, bytes, &mut out) {
        Ok(()) => out,
        // Only a failing writer makes zopfli fail, and a Vec does not fail.
        Err(_) => deflate(bytes, Effort::Index),
    }
}

/// How hard libdeflate works on a kind of file. Measured on the 44,760-post corpus against zlib's best (level 9),
/// one thread: the dictionary chunks and positions come out 2–3 % smaller at level 10 (3.3 s against 2.9 s); the
/// documents 1.7 % smaller at level 9 in less time (0.45 s against 0.70 s), and level 10 would gain them only 0.2 %
/// more for 2.5× the time. The whole bundle: 3.8 s against 3.6 s.
#[derive(Clone, Copy)]
enum Effort {
    /// Term dictionary chunks and postings files (`t/`, `p/`): level 10.
    Index,
    /// The documents (`d/`): level 9.
    Text,
}

fn deflate(bytes: &[u8], effort: Effort) -> Vec<u8> {
    thread_local! {
        // A compressor holds its match finder's tables (about 1 MB at level 10): one per thread and level.
        static INDEX: RefCell<Compressor> = RefCell::new(Compressor::new(CompressionLvl::new(10).unwrap_or_default()));
        static TEXT: RefCell<Compressor> = RefCell::new(Compressor::new(CompressionLvl::new(9).unwrap_or_default()));
    }
    let compress = |compressor: &RefCell<Compressor>| {
        let mut compressor = compressor.borrow_mut();
        let mut out = vec![0; compressor.deflate_compress_bound(bytes.len())];
        // The buffer has the bound libdeflate asks for, so compressing into it cannot run out of space.
        let written = compressor.deflate_compress(bytes, &mut out).expect("deflate within its bound");
        out.truncate(written);
        out
    };
    match effort {
        Effort::Index => INDEX.with(compress),
        Effort::Text => TEXT.with(compress),
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

/// The vocabulary's document frequencies: how many documents each of jieba's words (folded, two characters or
/// more) is in. A caller holding many posts can count their words itself, in parallel and in whatever compact form
/// it keeps them, and hand the counts over with [`IndexBuilder::add_vocabulary`] instead of filling
/// [`Document::words`], which costs a `String` per word and post until the build ends.
#[derive(Debug, Clone, Default)]
pub struct Vocabulary {
    doc_freqs: FxHashMap<String, u32>,
}

impl Vocabulary {
    /// Counts the words of one document, each once however often it is listed.
    pub fn add_document<'a>(&mut self, words: impl IntoIterator<Item = &'a str>) {
        let mut unique: Vec<String> = words.into_iter().map(normalize).filter(|w| w.chars().count() >= 2).collect();
        unique.sort_unstable();
        unique.dedup();
        for word in unique {
            *self.doc_freqs.entry(word).or_default() += 1;
        }
    }

    /// In how many documents `word` was listed.
    pub fn doc_freq(&self, word: &str) -> u32 {
        self.doc_freqs.get(&normalize(word)).copied().unwrap_or(0)
    }

    /// Adds a word the documents do not list (a phrase of two of their words), cut out of `doc_freq` documents.
    pub fn add_word(&mut self, word: &str, doc_freq: u32) {
        let word = normalize(word);
        if word.chars().count() >= 2 {
            let known = self.doc_freqs.entry(word).or_default();
            *known = (*known).max(doc_freq);
        }
    }

    /// The counts of both (of disjoint sets of documents).
    pub fn merge(self, other: Vocabulary) -> Vocabulary {
        let (mut larger, smaller) =
            if self.doc_freqs.len() >= other.doc_freqs.len() { (self, other) } else { (other, self) };
        for (word, df) in smaller.doc_freqs {
            *larger.doc_freqs.entry(word).or_default() += df;
        }
        larger
    }

    /// Counts the words of many documents on every core.
    pub fn of_documents<'a, I, W>(documents: I, words: impl Fn(I::Item) -> W + Sync + Send) -> Vocabulary
    where
        I: IntoParallelIterator,
        W: IntoIterator<Item = &'a str>,
    {
        documents
            .into_par_iter()
            .fold(Vocabulary::default, |mut vocabulary, document| {
                vocabulary.add_document(words(document));
                vocabulary
            })
            .reduce(Vocabulary::default, Vocabulary::merge)
    }
}

/// What a dictionary key stands for.
#[derive(Clone, Copy)]
enum KeyEntry {
    /// A term with lists: its shard and id there.
    Term(u32, u32),
    /// A vocabulary word or pinyin reading, with its value.
    Value(u32),
}

/// Cuts the sorted keys into dictionary chunks. Postings files are deflated and written on other threads as they
/// come; the chunks come back deflated, to be named once their folder is known.
fn write_term_chunks(shards: Vec<TermShard>, words: Vec<VocabularyWord>, doc_count: u32, output: &Output) -> TermFiles {
    let (tables, mut lists): (Vec<terms::KeyTable>, Vec<Vec<terms::TermLists>>) =
        shards.into_iter().map(|shard| (shard.keys, shard.lists)).unzip();
    let readings: Vec<(Vec<u8>, u32)> = words
        .par_iter()
        .filter(|w| w.segmented_in >= crate::pinyin::MIN_DOC_FREQ && w.contained_in > 0)
        .flat_map_iter(|w| {
            crate::pinyin::keys(&w.word).into_iter().map(move |(key, secondary_readings)| {
                (key, crate::pinyin::Weighted::new(w.contained_in, w.segmented_in, secondary_readings).pack())
            })
        })
        .collect();
    let word_keys: Vec<(Vec<u8>, u32)> =
        words.into_iter().map(|w| (termdict::word_key(&w.word), w.contained_in)).collect();
    let mut keys: Vec<(&[u8], KeyEntry)> = tables
        .iter()
        .enumerate()
        .flat_map(|(s, table)| (0..table.len()).map(move |id| (table.key(id), KeyEntry::Term(s as u32, id as u32))))
        .collect();
    keys.extend(readings.iter().chain(&word_keys).map(|(key, value)| (key.as_slice(), KeyEntry::Value(*value))));
    keys.par_sort_unstable_by(|a, b| a.0.cmp(b.0));

    let mut chunks = ChunkSet { doc_count, ..Default::default() };
    rayon::scope(|scope| {
        let write = |files: Vec<BundleFile>| {
            scope.spawn(move |_| {
                files.into_par_iter().for_each(|file| output.put(file.path, deflate(&file.bytes, Effort::Index)))
            })
        };
        for (key, entry) in keys {
            match entry {
                KeyEntry::Term(shard, id) => {
                    let term = std::mem::take(&mut lists[shard as usize][id as usize]);
                    chunks.add_term(key, term);
                }
                KeyEntry::Value(value) => chunks.add_word(key, value),
            }
            if chunks.files.postings_files.len() >= 64 {
                write(std::mem::take(&mut chunks.files.postings_files));
            }
        }
        chunks.seal();
        write(std::mem::take(&mut chunks.files.postings_files));
    });
    let mut files = chunks.files;
    files.chunk_files.par_iter_mut().for_each(|bytes| *bytes = deflate(bytes, Effort::Index));
    files.folder = folder_hash(&chunks.checksums);
    files
}

#[derive(Default)]
struct ChunkSet {
    doc_count: u32,
    writer: ChunkWriter,
    companion: Vec<u8>,
    current_first_key: Option<Vec<u8>>,
    /// The last key added, for the next chunk's boundary.
    last_key: Vec<u8>,
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
            let boundary = match self.files.first_keys.is_empty() {
                true => key.to_vec(),
                false => termdict::chunk_boundary(&self.last_key, key),
            };
            self.current_first_key = Some(boundary);
        }
        self.last_key.clear();
        self.last_key.extend_from_slice(key);
    }

    /// A key without lists: a vocabulary word (value: its results) or a pinyin reading (a packed `Weighted`).
    fn add_word(&mut self, key: &[u8], value: u32) {
        self.start_entry(key);
        self.writer.add(key, value, Placement::Inline(&[]), None);
    }

    fn add_term(&mut self, key: &[u8], term: TermLists) {
        self.start_entry(key);
        let doclist_placement = if term.doclist.len() > INLINE_DOCLIST_MAX {
            let checksum = self.push_postings_file(&term.doclist);
            Placement::External { checksum, start: 0, len: term.doclist.len() }
        } else {
            Placement::Inline(&term.doclist)
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

/// The text a document stores for its excerpts: without the `【title】` that finance feeds put at the top of the
/// text, which the reader sees as the result's title already (a third of the excerpts on the corpus repeated it).
/// The index keeps the whole text: the headline's words still find the post.
fn text_for_excerpts<'a>(title: &str, text: &'a str) -> &'a str {
    let title = title.trim();
    let after_headline = text.trim_start().strip_prefix('【').and_then(|t| t.strip_prefix(title)?.strip_prefix('】'));
    match after_headline {
        Some(rest) if !title.is_empty() && !rest.trim().is_empty() => rest.trim_start(),
        _ => text,
    }
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
                text: text_for_excerpts(&d.title, &d.text).to_string(),
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
