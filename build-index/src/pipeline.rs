//! A whole run: find the posts, convert them in parallel, settle shared URLs, then build the
//! index and put the bundle in place.
//!
//! Parallel work never decides order: posts are converted with rayon but collected in path
//! order, so the writer receives the same documents in the same order whatever the thread count
//! or the order in which the file system lists folders.

use std::collections::HashMap;
use std::path::PathBuf;

use indicatif::{ProgressBar, ProgressDrawTarget, ProgressStyle};
use jiansuo::build::{BuildError, BuildOptions, FolderSink, IndexBuilder, Timings, Vocabulary};
use rayon::prelude::*;

use crate::assets::{self, Asset, AssetError};
use crate::document::{self, Post, Site};
use crate::output::{self, OutputError};
use crate::phrases::PhraseCounter;
use crate::posts::{self, DiscoverError, PostFile};
use crate::report::{self, Location, Skip, SkipReason, Usage, Warning, WarningReason};
use crate::segment::Segmenter;

#[derive(Debug, Clone)]
pub struct Options {
    pub posts_dirs: Vec<PathBuf>,
    /// `None` for a dry run: parse, extract, segment and report, write nothing.
    pub out: Option<PathBuf>,
    pub site: Site,
    pub markdown_extensions: Vec<String>,
    /// The folder of `_config.yml`, for categories from folders above `_posts`.
    pub site_root: Option<PathBuf>,
    pub assets: assets::Source,
    pub recency_half_life_days: f32,
    /// `None`: rayon's default (`RAYON_NUM_THREADS`, else one per core).
    pub threads: Option<usize>,
    /// Warnings about the settings (`_config.yml`), reported with the posts' and failing `--strict` like them.
    pub config_warnings: Vec<Warning>,
    /// Warnings and skips fail the run, and nothing is written.
    pub strict: bool,
    pub progress: bool,
}

#[derive(Debug, Default)]
pub struct Outcome {
    pub posts_found: usize,
    pub indexed: usize,
    pub skipped: Vec<Skip>,
    pub warnings: Vec<Warning>,
    pub not_posts: usize,
    /// Bytes written by kind; `None` when nothing was written.
    pub usage: Option<Vec<Usage>>,
    /// `--strict` found skips or warnings; nothing was written.
    pub strict_failed: bool,
    /// Wall and CPU time of each phase.
    pub timings: Timings,
}

#[derive(Debug, thiserror::Error)]
pub enum RunError {
    #[error(transparent)]
    Discover(#[from] DiscoverError),
    #[error(transparent)]
    Assets(#[from] AssetError),
    #[error("cannot start {threads} threads: {message}")]
    Threads { threads: usize, message: String },
    #[error("building the index: {0}")]
    Build(#[from] BuildError),
    #[error("web asset {0} has the name of an index file")]
    AssetClash(String),
    #[error(transparent)]
    Output(#[from] OutputError),
}

pub fn run(options: &Options) -> Result<Outcome, RunError> {
    let mut timings = Timings::start();
    let web_assets = match options.out {
        Some(_) => assets::load(&options.assets)?,
        None => Vec::new(),
    };
    // What the assets write at the bundle's top level: a bundle being replaced may hold it.
    let own_names = assets::top_level_names(&web_assets);
    if let Some(out) = &options.out {
        output::check_target(out, &own_names)?;
    }
    // jieba's dictionary loads (about half a second) while the folders are walked.
    let (found, segmenter) = std::thread::scope(|scope| {
        let segmenter = scope.spawn(Segmenter::new);
        let found = posts::discover(&options.posts_dirs, &options.markdown_extensions, options.site_root.as_deref());
        (found, segmenter.join().unwrap_or_else(|panic| std::panic::resume_unwind(panic)))
    });
    let found = found?;
    let threads = options.threads.unwrap_or(0);
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .map_err(|error| RunError::Threads { threads, message: error.to_string() })?;
    timings.lap("find posts, load jieba");
    let progress = progress_bar(found.posts.len(), options.progress);
    let (converted, mut skipped) = pool.install(|| convert_all(&found.posts, &options.site, &segmenter, &progress));
    progress.finish_and_clear();
    timings.lap("read, extract, segment");
    let phrases = segmenter.into_phrases();
    let (posts, shared_url_skips) = settle_shared_urls(converted);
    skipped.extend(found.skipped);
    skipped.extend(shared_url_skips);
    skipped.sort_by(|a, b| a.at.cmp(&b.at));

    let mut warnings: Vec<Warning> = options.config_warnings.clone();
    warnings.extend(posts.iter().flat_map(|post| post.warnings.iter().cloned()));
    if options.out.is_some() && options.assets != assets::Source::None {
        let origin = match &options.assets {
            assets::Source::Folder(folder) => folder.display().to_string(),
            _ => "embedded web assets".to_string(),
        };
        for name in assets::missing(&web_assets) {
            warnings.push(Warning {
                at: Location::new(origin.clone(), 1),
                reason: WarningReason::MissingAsset(name.to_string()),
            });
        }
    }

    let mut outcome = Outcome {
        posts_found: posts.len() + skipped.len(),
        indexed: posts.len(),
        not_posts: found.not_posts,
        ..Outcome::default()
    };
    let failing_skips = skipped.iter().any(|skip| !skip.reason.is_intentional());
    outcome.strict_failed = options.strict && (failing_skips || !warnings.is_empty());
    outcome.skipped = skipped;
    outcome.warnings = warnings;
    timings.lap("shared URLs, warnings");
    outcome.timings = timings;
    // With nothing to index the caller reports why (the skips) and fails; the writer would only say that.
    let Some(out) = options.out.as_ref().filter(|_| !outcome.strict_failed && outcome.indexed > 0) else {
        return Ok(outcome);
    };

    let spinner = spinner("building and writing the index", options.progress);
    // On the same pool, so that --threads bounds the writer too.
    let written = pool.install(|| {
        build_and_write(
            posts,
            phrases,
            web_assets,
            &own_names,
            options.recency_half_life_days,
            out,
            &mut outcome.timings,
        )
    });
    spinner.finish_and_clear();
    outcome.usage = Some(written?);
    Ok(outcome)
}

/// Hands the documents and the vocabulary (their words and the phrases found among them) to the writer, which
/// writes the index files into a fresh folder as they are ready, adds the web assets and puts the folder in place.
fn build_and_write(
    posts: Vec<Post>,
    phrases: PhraseCounter,
    web_assets: Vec<Asset>,
    own_names: &[String],
    recency_half_life_days: f32,
    out: &std::path::Path,
    timings: &mut Timings,
) -> Result<Vec<Usage>, RunError> {
    let mut builder = IndexBuilder::new(BuildOptions { recency_half_life_days });
    let mut vocabulary = Vocabulary::of_documents(&posts, |post: &Post| post.words.lines());
    let cohesive = phrases.phrases(|word| vocabulary.doc_freq(word));
    let texts = posts.par_iter().flat_map_iter(|post| [post.document.title.as_str(), post.document.text.as_str()]);
    for (phrase, posts) in crate::phrases::free_standing(cohesive, texts) {
        vocabulary.add_word(&phrase, posts);
    }
    timings.lap("vocabulary and its phrases");
    builder.add_vocabulary(vocabulary);
    for post in posts {
        builder.add(post.document);
    }
    builder.check()?;
    // The folder is only replaced when the closure succeeds; its own failures are kept here to be reported as
    // they are rather than as the I/O error the closure must return.
    let mut failure: Option<RunError> = None;
    let mut written: Vec<(String, u64)> = Vec::new();
    let mut index_files = 0;
    let replaced = output::replace_folder(out, own_names, |folder| {
        let sink = FolderSink::new(folder);
        let fail = |failure: &mut Option<RunError>, error: RunError| {
            let message = error.to_string();
            *failure = Some(error);
            std::io::Error::other(message)
        };
        match builder.write_into(&sink) {
            Ok(build_timings) => timings.extend(build_timings),
            Err(error) => return Err(fail(&mut failure, error.into())),
        }
        let index = sink.written();
        index_files = index.len();
        for asset in web_assets {
            if index.iter().any(|(path, _)| *path == asset.name) {
                return Err(fail(&mut failure, RunError::AssetClash(asset.name)));
            }
            sink.put(asset.name, &asset.bytes)?;
        }
        written = sink.written();
        Ok(())
    });
    if let Some(error) = failure {
        return Err(error);
    }
    replaced?;
    timings.lap("assets, replace the folder");

    let is_asset = |path: &str| written[index_files..].iter().any(|(asset, _)| asset == path);
    Ok(report::usage_by_kind(written.iter().map(|(path, bytes)| (path.as_str(), *bytes)), is_asset))
}

fn progress_bar(posts: usize, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::with_draw_target(Some(posts as u64), ProgressDrawTarget::stderr());
    if let Ok(style) = ProgressStyle::with_template("{bar:40} {human_pos}/{human_len} posts  {per_sec}  eta {eta}") {
        bar.set_style(style);
    }
    bar
}

fn spinner(message: &'static str, visible: bool) -> ProgressBar {
    if !visible {
        return ProgressBar::hidden();
    }
    let spinner = ProgressBar::with_draw_target(None, ProgressDrawTarget::stderr());
    spinner.set_style(ProgressStyle::default_spinner());
    spinner.set_message(message);
    spinner.enable_steady_tick(std::time::Duration::from_millis(120));
    spinner
}

/// Converts every post on the current rayon pool; results come back in the order of `files`.
pub fn convert_all(
    files: &[PostFile],
    site: &Site,
    segmenter: &Segmenter,
    progress: &ProgressBar,
) -> (Vec<Post>, Vec<Skip>) {
    let results: Vec<Result<Post, Skip>> = files
        .par_iter()
        .map(|file| {
            let result = document::convert(file, site, segmenter);
            progress.inc(1);
            result
        })
        .collect();
    let mut posts = Vec::with_capacity(results.len());
    let mut skipped = Vec::new();
    for result in results {
        match result {
            Ok(post) => posts.push(post),
            Err(skip) => skipped.push(skip),
        }
    }
    (posts, skipped)
}

/// Posts that share a URL: Jekyll writes each of them to the same file, in date order and then
/// path order, so the site serves the last one. That one is kept (with a warning naming the
/// others) and the others are skipped, naming it. Order of `posts` is kept.
pub fn settle_shared_urls(posts: Vec<Post>) -> (Vec<Post>, Vec<Skip>) {
    let mut by_url: HashMap<&str, Vec<usize>> = HashMap::new();
    for (index, post) in posts.iter().enumerate() {
        by_url.entry(post.document.url.as_str()).or_default().push(index);
    }
    let mut losers: Vec<(usize, usize)> = Vec::new();
    for indexes in by_url.values().filter(|indexes| indexes.len() > 1) {
        let served_key = |&&i: &&usize| (posts[i].document.timestamp, posts[i].path.as_str());
        let Some(&served) = indexes.iter().max_by_key(served_key) else { continue };
        losers.extend(indexes.iter().filter(|&&i| i != served).map(|&i| (i, served)));
    }
    if losers.is_empty() {
        return (posts, Vec::new());
    }
    losers.sort_unstable();

    let mut skipped = Vec::new();
    let mut others_of: HashMap<usize, Vec<String>> = HashMap::new();
    for &(loser, served) in &losers {
        let (lost, kept) = (&posts[loser], &posts[served]);
        skipped.push(Skip {
            at: Location::new(lost.path.clone(), 1),
            reason: SkipReason::DuplicateUrl { url: lost.document.url.clone(), kept: kept.path.clone() },
        });
        others_of.entry(served).or_default().push(lost.path.clone());
    }
    let mut kept_posts = Vec::with_capacity(posts.len() - losers.len());
    for (index, mut post) in posts.into_iter().enumerate() {
        if losers.binary_search_by_key(&index, |&(loser, _)| loser).is_ok() {
            continue;
        }
        if let Some(others) = others_of.remove(&index) {
            post.warnings.push(Warning {
                at: Location::new(post.path.clone(), 1),
                reason: WarningReason::SharedUrl { url: post.document.url.clone(), others: others.join(", ") },
            });
        }
        kept_posts.push(post);
    }
    (kept_posts, skipped)
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiansuo::build::Document;

    fn post(path: &str, url: &str, timestamp: i64) -> Post {
        Post {
            document: Document { url: url.into(), timestamp, ..Document::default() },
            words: String::new(),
            warnings: Vec::new(),
            path: path.into(),
        }
    }

    #[test]
    fn the_post_jekyll_writes_last_keeps_a_shared_url() {
        let posts = vec![
            post("a.md", "/x.html", 10),
            post("b.md", "/y.html", 5),
            post("c.md", "/x.html", 10),
            post("d.md", "/x.html", 3),
        ];
        let (kept, skipped) = settle_shared_urls(posts);
        let kept_paths: Vec<&str> = kept.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(kept_paths, ["b.md", "c.md"]);
        let skipped_paths: Vec<&str> = skipped.iter().map(|s| s.at.path.as_str()).collect();
        assert_eq!(skipped_paths, ["a.md", "d.md"]);
        assert!(matches!(&skipped[0].reason, SkipReason::DuplicateUrl { kept, .. } if kept == "c.md"));
        assert!(
            matches!(&kept[1].warnings[0].reason, WarningReason::SharedUrl { others, .. } if others == "a.md, d.md")
        );
    }
}
