//! What happened to every post, and the summary printed at the end of a run.
//!
//! Every file that looks like a post ends up either indexed or here as a [`Skip`] with
//! `path:line: reason`; posts that were indexed with a fallback carry a [`Warning`]. The summary
//! counts both, lists every skip, and lists warnings in full with `--verbose` or `--strict` (a
//! site with thousands of untitled flash-news posts would otherwise drown the skips).

use std::fmt;
use std::io::{self, Write};

use jiansuo::build::Timings;

use crate::date::DateError;
use crate::frontmatter::{FrontMatterError, SplitError};
use crate::permalink::PermalinkError;

/// A place in a file: `path:line`. Problems with a whole file point at line 1.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Location {
    pub path: String,
    pub line: u32,
}

impl Location {
    pub fn new(path: impl Into<String>, line: u32) -> Self {
        Location { path: path.into(), line: line.max(1) }
    }
}

impl fmt::Display for Location {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.path, self.line)
    }
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SkipReason {
    #[error("cannot read: {0}")]
    Unreadable(String),
    #[error("cannot list this folder: {0}")]
    Unlistable(String),
    #[error("symlink loop (it leads back to {0}); not followed")]
    SymlinkLoop(String),
    #[error("symlinked folder; not followed (Jekyll's `**/*` walk does not enter it either)")]
    SymlinkedFolder,
    #[error("{size} bytes, more than the {limit} byte limit (--max-post-size)")]
    TooLarge { size: u64, limit: u64 },
    #[error("binary file (NUL byte)")]
    Binary,
    #[error("not valid UTF-8{hint}")]
    NotUtf8 { hint: &'static str },
    #[error("not valid {encoding} (the site's `encoding`)")]
    NotDecodable { encoding: &'static str },
    #[error("file name does not start with a date (YYYY-MM-DD-title.ext), so Jekyll does not publish it as a post")]
    NotDated,
    #[error(transparent)]
    FrontMatter(#[from] SplitError),
    #[error(transparent)]
    BadFrontMatter(#[from] FrontMatterError),
    #[error("no usable date: {0}, and the date in the file name is not a real day")]
    NoDate(String),
    #[error("`published: false`: Jekyll does not publish it")]
    Unpublished,
    #[error("dated {0}, after the build: Jekyll publishes it only with `future: true` (or --future)")]
    Future(String),
    #[error("permalink: {0}")]
    Permalink(#[from] PermalinkError),
    #[error("same URL {url} as {kept}; Jekyll writes both to one file and serves the later one (by date, then path), so this post is not on the site")]
    DuplicateUrl { url: String, kept: String },
}

impl SkipReason {
    /// Skips the author asked for; they do not fail `--strict`.
    pub fn is_intentional(&self) -> bool {
        matches!(self, SkipReason::Unpublished | SkipReason::Future(_))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Skip {
    pub at: Location,
    pub reason: SkipReason,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum WarningReason {
    #[error("{0}; using the date in the file name, {1}")]
    InvalidDate(DateError, String),
    #[error("`date` is empty; using the date in the file name, {0}")]
    EmptyDate(String),
    #[error("no title; using {0:?}")]
    NoTitle(String),
    #[error("the body has no text")]
    EmptyBody,
    #[error("`{0}` has a value that is neither text nor a list of text; ignored")]
    IgnoredValue(&'static str),
    #[error("URL {url} is also claimed by {others}; this post is the one Jekyll serves there")]
    SharedUrl { url: String, others: String },
    #[error("the web assets have no {0}")]
    MissingAsset(String),
    /// A `_config.yml` setting; the message says what and why.
    #[error("{0}")]
    Config(String),
}

impl WarningReason {
    /// A short name for the kind of warning, for the counts in the summary.
    pub fn kind(&self) -> &'static str {
        match self {
            WarningReason::InvalidDate(..) | WarningReason::EmptyDate(_) => "date",
            WarningReason::NoTitle(_) => "no title",
            WarningReason::EmptyBody => "empty body",
            WarningReason::IgnoredValue(_) => "front matter value",
            WarningReason::SharedUrl { .. } => "shared URL",
            WarningReason::MissingAsset(_) => "web assets",
            WarningReason::Config(_) => "config",
        }
    }

    /// Whether the warning is about a post (the others are about the config or the web assets).
    pub fn is_about_a_post(&self) -> bool {
        !matches!(self, WarningReason::MissingAsset(_) | WarningReason::Config(_))
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Warning {
    pub at: Location,
    pub reason: WarningReason,
}

/// Bytes written for one kind of bundle file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Usage {
    pub kind: String,
    pub files: usize,
    pub bytes: u64,
}

/// Groups bundle files by their first path component (`t/`, `p/`, `m/`, `d/`); top-level files
/// are `assets` when they are web assets and are named by themselves otherwise (`manifest.bin`).
pub fn usage_by_kind<'a>(
    files: impl IntoIterator<Item = (&'a str, u64)>,
    is_asset: impl Fn(&str) -> bool,
) -> Vec<Usage> {
    let mut usage: Vec<Usage> = Vec::new();
    for (path, bytes) in files {
        let kind = if is_asset(path) {
            "assets".to_string()
        } else {
            match path.split_once('/') {
                Some((first, _)) => format!("{first}/"),
                None => path.to_string(),
            }
        };
        match usage.iter_mut().find(|u| u.kind == kind) {
            Some(entry) => {
                entry.files += 1;
                entry.bytes += bytes;
            }
            None => usage.push(Usage { kind, files: 1, bytes }),
        }
    }
    let order = |kind: &str| {
        ["t/", "p/", "m/", "d/", "f/", "s/", "manifest.bin", "assets"].iter().position(|k| *k == kind).unwrap_or(8)
    };
    usage.sort_by(|a, b| order(&a.kind).cmp(&order(&b.kind)).then_with(|| a.kind.cmp(&b.kind)));
    usage
}

pub struct Summary<'a> {
    pub posts_found: usize,
    pub indexed: usize,
    pub skipped: &'a [Skip],
    pub warnings: &'a [Warning],
    /// Files below the posts folders that are not posts (other extensions, hidden or backup names).
    pub not_posts: usize,
    /// `None` when nothing was written: a dry run, `--strict` failed, or nothing to index.
    pub bundle: Option<&'a [Usage]>,
    pub dry_run: bool,
    pub seconds: f64,
    pub list_all_warnings: bool,
    /// Printed with `--verbose`.
    pub timings: Option<&'a Timings>,
}

/// How many warnings of each kind are shown when not all are.
const WARNINGS_SHOWN_PER_KIND: usize = 3;

pub fn write_summary(out: &mut impl Write, summary: &Summary) -> io::Result<()> {
    if !summary.skipped.is_empty() {
        writeln!(out, "skipped {} {}:", summary.skipped.len(), plural(summary.skipped.len(), "file", "files"))?;
        for skip in summary.skipped {
            writeln!(out, "  {}: {}", skip.at, skip.reason)?;
        }
    }
    if !summary.warnings.is_empty() {
        let mut kinds: Vec<(&str, usize)> = Vec::new();
        for warning in summary.warnings {
            let kind = warning.reason.kind();
            match kinds.iter_mut().find(|(k, _)| *k == kind) {
                Some((_, count)) => *count += 1,
                None => kinds.push((kind, 1)),
            }
        }
        let counts: Vec<String> = kinds.iter().map(|(kind, count)| format!("{kind}: {}", thousands(*count))).collect();
        writeln!(
            out,
            "{} {} ({}):",
            thousands(summary.warnings.len()),
            plural(summary.warnings.len(), "warning", "warnings"),
            counts.join(", ")
        )?;
        let mut hidden = 0;
        for (kind, _) in &kinds {
            let of_kind = summary.warnings.iter().filter(|w| w.reason.kind() == *kind);
            for (shown, warning) in of_kind.enumerate() {
                if summary.list_all_warnings || shown < WARNINGS_SHOWN_PER_KIND {
                    writeln!(out, "  {}: {}", warning.at, warning.reason)?;
                } else {
                    hidden += 1;
                }
            }
        }
        if hidden > 0 {
            writeln!(out, "  … and {} more (--verbose lists them all)", thousands(hidden))?;
        }
    }
    let intentional = summary.skipped.iter().filter(|s| s.reason.is_intentional()).count();
    write!(
        out,
        "{} {} found: {} indexed, {} skipped",
        thousands(summary.posts_found),
        plural(summary.posts_found, "post", "posts"),
        thousands(summary.indexed),
        thousands(summary.skipped.len()),
    )?;
    if intentional > 0 {
        write!(out, " ({} unpublished)", thousands(intentional))?;
    }
    write!(out, ", {} with warnings", thousands(posts_with_warnings(summary.warnings)))?;
    if summary.not_posts > 0 {
        write!(out, "; {} other {} ignored", thousands(summary.not_posts), plural(summary.not_posts, "file", "files"))?;
    }
    writeln!(out)?;
    match summary.bundle {
        None if summary.dry_run => writeln!(out, "dry run: nothing written")?,
        None => writeln!(out, "nothing written")?,
        Some(usage) => {
            let files: usize = usage.iter().map(|u| u.files).sum();
            let bytes: u64 = usage.iter().map(|u| u.bytes).sum();
            writeln!(out, "wrote {} {}, {}:", thousands(files), plural(files, "file", "files"), human_bytes(bytes))?;
            for entry in usage {
                writeln!(
                    out,
                    "  {:<14} {:>10} in {} {}",
                    entry.kind,
                    human_bytes(entry.bytes),
                    thousands(entry.files),
                    plural(entry.files, "file", "files")
                )?;
            }
        }
    }
    if let Some(timings) = summary.timings {
        writeln!(out, "phases (wall, CPU of all threads; ∥: side by side, sharing the cores):")?;
        for phase in &timings.phases {
            write!(out, "  {:<26} {:>7.2} s", phase.name, phase.wall.as_secs_f64())?;
            if let Some(cpu) = phase.cpu {
                write!(out, " {:>7.2} s CPU", cpu.as_secs_f64())?;
            }
            writeln!(out)?;
        }
    }
    writeln!(out, "{:.1} s", summary.seconds)
}

fn posts_with_warnings(warnings: &[Warning]) -> usize {
    let mut paths: Vec<&str> =
        warnings.iter().filter(|w| w.reason.is_about_a_post()).map(|w| w.at.path.as_str()).collect();
    paths.sort_unstable();
    paths.dedup();
    paths.len()
}

fn plural<'a>(count: usize, one: &'a str, many: &'a str) -> &'a str {
    if count == 1 {
        one
    } else {
        many
    }
}

/// `44760` → `44,760`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// Bytes, exactly below 10 kB and in KiB/MiB above.
pub fn human_bytes(bytes: u64) -> String {
    const KIB: f64 = 1024.0;
    let b = bytes as f64;
    if bytes < 10_000 {
        format!("{bytes} B")
    } else if b < KIB * KIB {
        format!("{:.1} KiB", b / KIB)
    } else {
        format!("{:.1} MiB", b / (KIB * KIB))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn groups_bundle_files_by_kind() {
        let files = [
            ("manifest.bin", 10u64),
            ("d/ab/1.bin", 5),
            ("t/1.bin", 7),
            ("d/ab/2.bin", 5),
            ("jiansuo.js", 100),
            ("p/x.bin", 1),
        ];
        let usage = usage_by_kind(files, |p| p.ends_with(".js"));
        let kinds: Vec<_> = usage.iter().map(|u| (u.kind.as_str(), u.files, u.bytes)).collect();
        assert_eq!(kinds, [("t/", 1, 7), ("p/", 1, 1), ("d/", 2, 10), ("manifest.bin", 1, 10), ("assets", 1, 100)]);
    }

    #[test]
    fn summary_lists_skips_and_counts_warnings() {
        let skipped = [Skip { at: Location::new("a.md", 2), reason: SkipReason::Binary }];
        let warnings: Vec<Warning> = (0..5)
            .map(|i| Warning { at: Location::new(format!("w{i}.md"), 1), reason: WarningReason::EmptyBody })
            .collect();
        let usage = [Usage { kind: "t/".into(), files: 2, bytes: 20_000 }];
        let mut out = Vec::new();
        write_summary(
            &mut out,
            &Summary {
                posts_found: 6,
                indexed: 5,
                skipped: &skipped,
                warnings: &warnings,
                not_posts: 1,
                bundle: Some(&usage),
                dry_run: false,
                seconds: 1.25,
                list_all_warnings: false,
                timings: None,
            },
        )
        .unwrap();
        let text = String::from_utf8(out).unwrap();
        assert!(text.contains("  a.md:2: binary file (NUL byte)\n"), "{text}");
        assert!(text.contains("5 warnings (empty body: 5):"), "{text}");
        assert!(text.contains("… and 2 more"), "{text}");
        assert!(text.contains("6 posts found: 5 indexed, 1 skipped, 5 with warnings; 1 other file ignored"), "{text}");
        assert!(text.contains("t/               19.5 KiB in 2 files"), "{text}");
    }

    #[test]
    fn numbers() {
        assert_eq!(thousands(44760), "44,760");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(human_bytes(9_999), "9999 B");
        assert_eq!(human_bytes(3 * 1024 * 1024), "3.0 MiB");
    }
}
