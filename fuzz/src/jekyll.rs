//! build-index's input side: one post file as `document::convert` reads it, and a `_config.yml` as the command
//! line turns it into the site's settings. Shared by the `post` and `config` targets and `make_seeds`.

use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use build_index::config;
use build_index::date::NaiveDates;
use build_index::document::{self, Post, Site};
use build_index::extract::Format;
use build_index::permalink;
use build_index::posts::PostFile;
use build_index::report::{Skip, SkipReason};
use build_index::segment::Segmenter;

/// jieba's dictionary takes about half a second to load: once per process. It counts no phrases, whose counts
/// would grow with every input of a long run.
pub fn segmenter() -> &'static Segmenter {
    static SEGMENTER: OnceLock<Segmenter> = OnceLock::new();
    SEGMENTER.get_or_init(Segmenter::without_phrases)
}

/// The front matter defaults every site variant with defaults uses: sets for all posts, a folder, a glob, and values
/// of every key a post's conversion reads.
pub const DEFAULTS_CONFIG: &str = "\
defaults:
  - scope: {path: \"\", type: posts}
    values: {layout: post, categories: [默认, news], tags: 标签, title: 默认标题}
  - scope: {path: _posts/sub}
    values: {category: 子目录, permalink: \"/:categories/:slug/\", date: 2020-01-02 03:04:05 +0800}
  - scope: {path: \"_posts/*/\"}
    values: {render_with_liquid: false, slug: from-defaults, published: true}
";

/// The site settings a post is converted with, picked by the input's first byte: permalink styles and templates,
/// time zones (with and without daylight saving), both readings of naive dates, GBK, `future` and `unpublished`,
/// a base URL, front matter defaults.
pub fn sites() -> &'static [Site] {
    static SITES: OnceLock<Vec<Site>> = OnceLock::new();
    SITES.get_or_init(|| {
        let defaults = config::parse(DEFAULTS_CONFIG, Path::new("_config.yml"))
            .expect("the fuzz defaults parse")
            .defaults
            .glob_in(site_folder());
        let template = |style: &str| permalink::site_template(style).expect("a valid permalink");
        let base = Site::default();
        vec![
            Site { ..base.clone() },
            Site {
                permalink: template("pretty"),
                timezone: chrono_tz::UTC,
                naive_dates: NaiveDates::Timezone,
                published_until: Some(1_700_000_000),
                ..base.clone()
            },
            Site {
                permalink: template("/:categories/:year/:month/:day/:title:output_ext"),
                base_url: "/blog".into(),
                timezone: chrono_tz::America::New_York,
                unpublished: true,
                defaults: defaults.clone(),
                ..base.clone()
            },
            Site {
                permalink: template("/:slugified_categories/:short_year/:i_month/:i_day/:name/:path:output_ext"),
                encoding: encoding_rs::GBK,
                timezone: chrono_tz::Australia::Lord_Howe,
                ..base.clone()
            },
            Site {
                permalink: template("weekdate"),
                timezone: chrono_tz::Europe::London,
                naive_dates: NaiveDates::Timezone,
                defaults,
                ..base.clone()
            },
            Site {
                permalink: template("/:w_year/:week/:w_day/:y_day/:hour:minute:second/:long_month-:short_day-:slug"),
                timezone: chrono_tz::Pacific::Kiritimati,
                max_post_bytes: 4096,
                ..base
            },
        ]
    })
}

/// A small site folder for the defaults' globs: `_posts`, `_posts/sub`, `news/_posts`.
pub fn site_folder() -> &'static Path {
    static FOLDER: OnceLock<PathBuf> = OnceLock::new();
    FOLDER.get_or_init(|| {
        // One folder for every process (fork mode starts one per job); what is in it never changes.
        let folder = std::env::temp_dir().join("jiansuo-fuzz-site");
        for sub in ["_posts/sub", "news/_posts", ".hidden"] {
            std::fs::create_dir_all(folder.join(sub)).expect("the fuzz site folder");
        }
        std::fs::write(folder.join("_posts/sub/2024-03-09-x.md"), "---\n---\n").expect("a post file");
        folder
    })
}

/// A post input: the first byte picks the site, the bytes up to the first newline are the path below `_posts`
/// (a file name such as `2024-03-09-x.md`, maybe in folders; one without a date gets `2024-03-09-` in front), the
/// rest is the file.
pub struct PostInput<'a> {
    pub site: &'a Site,
    pub file: PostFile,
    pub contents: &'a [u8],
}

pub fn post_input(data: &[u8]) -> Option<PostInput<'_>> {
    let (&selector, rest) = data.split_first()?;
    let newline = rest.iter().position(|&b| b == b'\n')?;
    let (name, contents) = (String::from_utf8_lossy(&rest[..newline]), &rest[newline + 1..]);
    let name = name.trim_start_matches('/');
    let in_collection = match document::parse_file_name(name) {
        Some(_) => name.to_string(),
        None => match name.rsplit_once('/') {
            Some((folders, file)) => format!("{folders}/2024-03-09-{file}"),
            None => format!("2024-03-09-{name}"),
        },
    };
    let extension = in_collection.rsplit_once('.').map_or("", |(_, e)| e).to_lowercase();
    let format = if extension == "html" || extension == "htm" { Format::Html } else { Format::Markdown };
    let sites = sites();
    let file = PostFile {
        path: PathBuf::from("_posts").join(&in_collection),
        display: format!("_posts/{in_collection}"),
        folder_categories: Vec::new(),
        in_site: Some(format!("_posts/{in_collection}")),
        in_collection,
        format,
    };
    Some(PostInput { site: &sites[usize::from(selector) % sites.len()], file, contents })
}

/// Converts a post as the pipeline does, the contents standing in for the file (with its size limit).
pub fn convert(input: &PostInput) -> Result<Post, Skip> {
    let read = || match input.contents.len() as u64 {
        size if size > input.site.max_post_bytes => {
            Err(SkipReason::TooLarge { size, limit: input.site.max_post_bytes })
        }
        _ => Ok(input.contents.to_vec()),
    };
    document::convert_contents(&input.file, read, input.site, segmenter())
}

/// What a conversion must hold beyond not panicking: every skip and warning names the file and a line of it (or the
/// line after its last, for what is missing at the end), and what comes out is not out of all proportion to what
/// went in.
pub fn check_post(input: &PostInput, result: &Result<Post, Skip>) {
    let lines = input.contents.iter().filter(|&&b| b == b'\n').count() + 1;
    let check_line = |path: &str, line: u32, what: &dyn std::fmt::Debug| {
        assert_eq!(path, input.file.display, "{what:?} names another file");
        assert!((1..=lines + 1).contains(&(line as usize)), "{what:?} names line {line} of a file of {lines}");
    };
    match result {
        Err(skip) => check_line(&skip.at.path, skip.at.line, skip),
        Ok(post) => {
            for warning in &post.warnings {
                check_line(&warning.at.path, warning.at.line, warning);
            }
            let document = &post.document;
            let out = document.url.len()
                + document.title.len()
                + document.text.len()
                + post.words.len()
                + document.categories.iter().chain(&document.tags).map(String::len).sum::<usize>();
            let budget = 64 * input.contents.len() + input.file.in_collection.len() * 16 + 64 * 1024;
            assert!(out <= budget, "{out} bytes out of a {}-byte post", input.contents.len());
            assert!(document.url.starts_with('/'), "url {:?}", document.url);
        }
    }
}

/// A `_config.yml` through what the command line does with it (`options` in build-index's main.rs): parse, the
/// permalink style or template, the time zone and encoding, the defaults globbed in a site folder and within
/// `collections_dir`; then, with a site made of what is valid, a post in each scope the fuzz site folder has.
pub fn run_config(text: &str) {
    let path = site_folder().join("_config.yml");
    let Ok(site_config) = config::parse(text, &path) else { return };
    let lines = text.lines().count() + 1;
    for warning in &site_config.warnings {
        assert!((1..=lines).contains(&(warning.line as usize)), "{warning:?} of a file of {lines} lines");
    }
    let base = Site::default();
    let permalink = match &site_config.permalink {
        Some(style) => permalink::site_template(&style.value).unwrap_or(base.permalink),
        None => base.permalink,
    };
    let timezone = site_config.timezone.as_ref().and_then(|zone| zone.value.parse().ok()).unwrap_or(base.timezone);
    let encoding = site_config
        .encoding
        .as_ref()
        .and_then(|label| encoding_rs::Encoding::for_label(label.value.trim().trim_start_matches("bom|").as_bytes()))
        .unwrap_or(base.encoding);
    let site = Site {
        permalink,
        base_url: site_config.baseurl.clone().unwrap_or_default(),
        timezone,
        encoding,
        unpublished: site_config.unpublished,
        defaults: site_config.defaults.glob_in(site_folder()).within_collections_dir(&site_config.collections_dir),
        ..base
    };
    for name in ["2024-03-09-x.md\n", "sub/2024-03-09-x.html\n", "a/b/2024-3-9-x.markdown\n"] {
        let mut data = vec![0];
        data.extend_from_slice(name.as_bytes());
        data.extend_from_slice(CONFIG_POST);
        let Some(mut input) = post_input(&data) else { continue };
        input.site = &site;
        let result = convert(&input);
        check_post(&input, &result);
    }
}

/// The post converted with each fuzzed config: front matter that defaults may fill in or that overrides them.
const CONFIG_POST: &[u8] =
    "---\ntags: [a, b]\ncategories: x y\n---\n# 标题\n\n正文 {{ page.title }} text.\n".as_bytes();
