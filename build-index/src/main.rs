//! The `build-index` command line: options, settings precedence (flag, then `_config.yml`, then
//! default), exit codes. The work itself is in the library.

use std::io::IsTerminal;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::Instant;

use build_index::assets::{self, AssetError};
use build_index::config::{self, ConfigError, Setting, SiteConfig};
use build_index::date::NaiveDates;
use build_index::document::Site;
use build_index::output::OutputError;
use build_index::permalink::{self, PermalinkError};
use build_index::pipeline::{self, Options, RunError};
use build_index::posts::{self, DiscoverError, DEFAULT_MARKDOWN_EXTENSIONS};
use build_index::report::{self, Location, Summary, Warning, WarningReason};
use clap::{Parser, ValueEnum};
use jiansuo::build::{BuildError, BuildOptions};

/// Exit codes.
const SUCCESS: u8 = 0;
/// `--strict` found skipped posts or warnings, or no post could be indexed.
const CONTENT_PROBLEM: u8 = 1;
/// Bad options or settings (clap uses 2 for its own usage errors too).
const USAGE: u8 = 2;
const IO_FAILURE: u8 = 3;

const DEFAULT_TIMEZONE: &str = "Asia/Shanghai";

#[derive(Debug, Parser)]
#[command(
    name = "build-index",
    version,
    about = "Builds a jiansuo search bundle (index files and web assets) from Jekyll posts.",
    after_help = "Exit codes: 0 success; 1 posts skipped or warned under --strict, or nothing to index; \
                  2 bad options or settings; 3 I/O failure."
)]
struct Cli {
    /// Jekyll `_posts` folders, read recursively for Markdown (*.md, *.markdown, *.mkd…, or the
    /// config's `markdown_ext`) and HTML (*.html, *.htm) posts.
    #[arg(required = true, value_name = "POSTS_DIR")]
    posts_dirs: Vec<PathBuf>,

    /// Folder to write the bundle to. It is replaced in one step, and only if it is empty or a
    /// previous bundle.
    #[arg(long, value_name = "DIR", required_unless_present = "dry_run")]
    out: Option<PathBuf>,

    /// Jekyll config to take `permalink`, `baseurl`, `timezone`, `encoding`, `markdown_ext`, `collections_dir`,
    /// `unpublished`, `future` and the front matter `defaults` from [default: the nearest `_config.yml` above the
    /// posts folders, if there is one].
    #[arg(long, value_name = "FILE")]
    config: Option<PathBuf>,

    /// Permalink style (date, pretty, ordinal, weekdate, none) or template, e.g.
    /// '/:categories/:year/:month/:day/:title:output_ext' [default: the config's, else date].
    #[arg(long, value_name = "STYLE|TEMPLATE")]
    permalink: Option<String>,

    /// Prefix of every URL, like Jekyll's `baseurl` (e.g. /blog) [default: the config's].
    #[arg(long, value_name = "PATH")]
    base_url: Option<String>,

    /// Time zone of the site (IANA name) [default: the config's, else Asia/Shanghai].
    #[arg(long, value_name = "TZ")]
    timezone: Option<String>,

    /// How to read dates without a UTC offset. `jekyll`: as Jekyll does, an unquoted
    /// `YYYY-MM-DD HH:MM:SS` is UTC and other forms are in --timezone; `timezone`: all are in
    /// --timezone.
    #[arg(long, value_enum, value_name = "RULE", default_value_t = NaiveDatesArg::Jekyll)]
    naive_dates: NaiveDatesArg,

    /// Half-life in days of the recency boost in ranking; 0 turns it off.
    #[arg(long, value_name = "DAYS", default_value_t = BuildOptions::default().recency_half_life_days, value_parser = parse_days)]
    recency_half_life: f32,

    /// Worker threads [default: RAYON_NUM_THREADS, else one per core].
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u16).range(1..))]
    threads: Option<u16>,

    /// Copy the web assets from this folder instead of the ones built into this binary.
    #[arg(long, value_name = "DIR", conflicts_with = "no_assets")]
    assets: Option<PathBuf>,

    /// Write the index files only, without the web assets.
    #[arg(long)]
    no_assets: bool,

    /// Fail (exit 1, nothing written) if any post is skipped or has a warning.
    #[arg(long)]
    strict: bool,

    /// Index posts dated after the build too, like Jekyll's `future: true` [default: the config's `future`].
    #[arg(long)]
    future: bool,

    /// Read, extract and segment every post and report, but write nothing.
    #[arg(long)]
    dry_run: bool,

    /// List every warning, not only the first few of each kind, and time each phase.
    #[arg(long, short)]
    verbose: bool,

    /// Largest post file to read, in MiB; larger ones are skipped.
    #[arg(long, value_name = "MIB", default_value_t = 64, value_parser = clap::value_parser!(u64).range(1..=4096))]
    max_post_size: u64,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
enum NaiveDatesArg {
    Jekyll,
    Timezone,
}

fn parse_days(text: &str) -> Result<f32, String> {
    match text.parse::<f32>() {
        Ok(days) if days.is_finite() && days >= 0.0 => Ok(days),
        _ => Err("expected a number of days, 0 or more".to_string()),
    }
}

#[derive(Debug, thiserror::Error)]
enum CliError {
    #[error(transparent)]
    Config(#[from] ConfigError),
    #[error("{origin}: {source}")]
    Permalink { origin: String, source: PermalinkError },
    #[error("{origin}: unknown time zone {name:?} (use an IANA name such as Asia/Shanghai or UTC)")]
    Timezone { origin: String, name: String },
    #[error("{origin}: unknown encoding {name:?} (use a name such as UTF-8 or GBK)")]
    Encoding { origin: String, name: String },
    #[error(transparent)]
    Run(#[from] RunError),
}

impl CliError {
    fn exit_code(&self) -> u8 {
        match self {
            CliError::Config(ConfigError::Read { .. }) => IO_FAILURE,
            CliError::Config(_)
            | CliError::Permalink { .. }
            | CliError::Timezone { .. }
            | CliError::Encoding { .. } => USAGE,
            CliError::Run(error) => match error {
                RunError::Discover(DiscoverError::Io { .. }) | RunError::Assets(AssetError::Io { .. }) => IO_FAILURE,
                RunError::Discover(_) | RunError::Assets(_) | RunError::Threads { .. } | RunError::AssetClash(_) => {
                    USAGE
                }
                RunError::Build(BuildError::Write { .. }) => IO_FAILURE,
                RunError::Build(_) => CONTENT_PROBLEM,
                RunError::Output(OutputError::Io { .. }) => IO_FAILURE,
                RunError::Output(_) => USAGE,
            },
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(&cli) {
        Ok(code) => ExitCode::from(code),
        Err(error) => {
            eprintln!("build-index: error: {error}");
            ExitCode::from(error.exit_code())
        }
    }
}

fn run(cli: &Cli) -> Result<u8, CliError> {
    let started = Instant::now();
    posts::check_not_a_site(&cli.posts_dirs).map_err(RunError::from)?;
    let config_path = match &cli.config {
        Some(path) => Some(path.clone()),
        None => config::find_for(&cli.posts_dirs)?,
    };
    let site_config = match &config_path {
        Some(path) => {
            eprintln!("build-index: reading {}", path.display());
            config::load(path)?
        }
        None => {
            eprintln!(
                "build-index: no _config.yml above the posts folders (--config names one): permalink, time zone \
                 and base URL are the options' or their defaults"
            );
            SiteConfig::default()
        }
    };
    let options = options(cli, &site_config, config_path.as_deref())?;
    let outcome = pipeline::run(&options)?;

    let mut stderr = std::io::stderr().lock();
    let summary = Summary {
        posts_found: outcome.posts_found,
        indexed: outcome.indexed,
        skipped: &outcome.skipped,
        warnings: &outcome.warnings,
        not_posts: outcome.not_posts,
        bundle: outcome.usage.as_deref(),
        dry_run: cli.dry_run,
        seconds: started.elapsed().as_secs_f64(),
        list_all_warnings: cli.verbose || cli.strict,
        timings: cli.verbose.then_some(&outcome.timings),
    };
    // A closed stderr must not turn a finished build into a failure.
    let _ = report::write_summary(&mut stderr, &summary);
    if outcome.indexed == 0 {
        let why = match outcome.posts_found {
            0 => "no posts in the folders given",
            _ => "every post was skipped (listed above)",
        };
        eprintln!("build-index: error: nothing to index: {why}");
        return Ok(CONTENT_PROBLEM);
    }
    if outcome.strict_failed {
        eprintln!("build-index: --strict: skipped posts or warnings; nothing written");
        return Ok(CONTENT_PROBLEM);
    }
    Ok(SUCCESS)
}

/// A setting's value and where it came from, for messages: the flag, the config's line, or the default.
fn setting<'a>(
    flag: Option<&'a str>,
    flag_name: &str,
    config: Option<&'a Setting>,
    config_path: Option<&Path>,
    key: &str,
    default: &'a str,
) -> (&'a str, String) {
    match (flag, config) {
        (Some(value), _) => (value, flag_name.to_string()),
        (None, Some(setting)) => (&setting.value, config_origin(setting, config_path, key)),
        (None, None) => (default, format!("default {key}")),
    }
}

/// Where a config setting was written: `path:line: key`.
fn config_origin(setting: &Setting, config_path: Option<&Path>, key: &str) -> String {
    match config_path {
        Some(path) => format!("{}:{}: {key}", path.display(), setting.line),
        None => key.to_string(),
    }
}

fn options(cli: &Cli, site_config: &SiteConfig, config_path: Option<&Path>) -> Result<Options, CliError> {
    let (style, origin) = setting(
        cli.permalink.as_deref(),
        "--permalink",
        site_config.permalink.as_ref(),
        config_path,
        "permalink",
        "date",
    );
    let permalink = permalink::site_template(style).map_err(|source| CliError::Permalink { origin, source })?;
    let (timezone_name, origin) = setting(
        cli.timezone.as_deref(),
        "--timezone",
        site_config.timezone.as_ref(),
        config_path,
        "timezone",
        DEFAULT_TIMEZONE,
    );
    let timezone = timezone_name.parse().map_err(|_| CliError::Timezone { origin, name: timezone_name.to_string() })?;
    let encoding = match &site_config.encoding {
        None => encoding_rs::UTF_8,
        Some(label) => {
            // Jekyll accepts Ruby's `bom|utf-8` form.
            let name = label.value.trim().trim_start_matches("bom|");
            encoding_rs::Encoding::for_label(name.as_bytes()).ok_or_else(|| CliError::Encoding {
                origin: config_origin(label, config_path, "encoding"),
                name: name.to_string(),
            })?
        }
    };
    let site = Site {
        permalink,
        base_url: cli.base_url.clone().or_else(|| site_config.baseurl.clone()).unwrap_or_default(),
        timezone,
        naive_dates: match cli.naive_dates {
            NaiveDatesArg::Jekyll => NaiveDates::Jekyll,
            NaiveDatesArg::Timezone => NaiveDates::Timezone,
        },
        encoding,
        unpublished: site_config.unpublished,
        published_until: match cli.future || site_config.future {
            true => None,
            // Jekyll's `site.time`: when the build started.
            false => Some(chrono::Utc::now().timestamp()),
        },
        max_post_bytes: cli.max_post_size.saturating_mul(1024 * 1024),
        defaults: match config_path {
            Some(path) => site_config
                .defaults
                .clone()
                .glob_in(&site_folder(path))
                .within_collections_dir(&site_config.collections_dir),
            None => site_config.defaults.clone(),
        },
    };
    let assets = match (&cli.assets, cli.no_assets) {
        (Some(folder), _) => assets::Source::Folder(folder.clone()),
        (None, true) => assets::Source::None,
        (None, false) => assets::Source::Embedded,
    };
    Ok(Options {
        posts_dirs: cli.posts_dirs.clone(),
        out: if cli.dry_run { None } else { cli.out.clone() },
        site,
        markdown_extensions: markdown_extensions(site_config),
        // Folder categories and default scopes count from the collections' folder.
        site_root: config_path.map(|path| site_folder(path).join(&site_config.collections_dir)),
        assets,
        recency_half_life_days: cli.recency_half_life,
        threads: cli.threads.map(usize::from),
        config_warnings: site_config
            .warnings
            .iter()
            .map(|warning| Warning {
                at: Location::new(config_path.map_or_else(String::new, |p| p.display().to_string()), warning.line),
                reason: WarningReason::Config(warning.message.clone()),
            })
            .chain(posts_folders_left_out(cli, site_config, config_path))
            .collect(),
        strict: cli.strict,
        progress: std::io::stderr().is_terminal(),
    })
}

/// The site's `markdown_ext`, or Jekyll's default.
fn markdown_extensions(site_config: &SiteConfig) -> Vec<String> {
    site_config
        .markdown_ext
        .clone()
        .unwrap_or_else(|| DEFAULT_MARKDOWN_EXTENSIONS.iter().map(|e| e.to_string()).collect())
}

/// The site's `_posts` folders that are not among those given: Jekyll publishes their posts, so a search without them
/// silently misses part of the site (`build-index _posts` on a site that also has `news/_posts`).
fn posts_folders_left_out(cli: &Cli, site_config: &SiteConfig, config_path: Option<&Path>) -> Vec<Warning> {
    let Some(config_path) = config_path else { return Vec::new() };
    let site = site_folder(config_path);
    let given: Vec<PathBuf> = cli.posts_dirs.iter().filter_map(|folder| std::fs::canonicalize(folder).ok()).collect();
    // A config named with --config may live anywhere (a home folder): its folder is a site only when the posts
    // folders given are in it, as they are in the one found above them.
    let site_holds_them =
        std::fs::canonicalize(&site).is_ok_and(|site| given.iter().all(|folder| folder.starts_with(&site)));
    if !site_holds_them {
        return Vec::new();
    }
    let markdown_extensions = markdown_extensions(site_config);
    let include = site_config.include.as_deref();
    posts::posts_folders_in(&site, &site_config.collections_dir, &site_config.exclude, include, &markdown_extensions)
        .into_iter()
        .filter(|folder| std::fs::canonicalize(folder).is_ok_and(|folder| !given.contains(&folder)))
        .map(|folder| Warning {
            at: Location::new(folder.display().to_string(), 1),
            reason: WarningReason::Config(
                "Jekyll publishes the posts in this folder too, but it is not among the folders given, so none of \
                 them is indexed: add it to the command line, or to _config.yml's exclude if the site leaves it out"
                    .to_string(),
            ),
        })
        .collect()
}

/// The folder a `_config.yml` is in (`.` for a bare file name).
fn site_folder(config_path: &Path) -> PathBuf {
    match config_path.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn command_line_is_consistent() {
        Cli::command().debug_assert();
    }
}
