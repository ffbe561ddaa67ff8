//! The few `_config.yml` settings that change how posts map to URLs, dates and text.
//!
//! Read: `permalink` (and `collections.posts.permalink`, which Jekyll 4 prefers), `baseurl`, `timezone`,
//! `encoding`, `markdown_ext`, `unpublished` and `future` (the last two true for any value but `false` and null, as
//! in Ruby), `collections_dir` (the folder below the site that holds `_posts`), the front matter `defaults`
//! (see [`crate::defaults`]), and `exclude` and `include` (only to tell which `_posts` folders of the site the site
//! publishes).
//! Command-line options override them.
//! Everything else in the file is ignored.

use std::path::{Path, PathBuf};

use crate::defaults::{self, Defaults};
use crate::yaml::{self, Node, Value};

#[derive(Debug, Clone, Default, PartialEq)]
pub struct SiteConfig {
    pub permalink: Option<Setting>,
    pub baseurl: Option<String>,
    pub timezone: Option<Setting>,
    pub encoding: Option<Setting>,
    /// Markdown file extensions without the dot, lower case.
    pub markdown_ext: Option<Vec<String>>,
    /// Jekyll's `unpublished: true` publishes posts marked `published: false`.
    pub unpublished: bool,
    /// Jekyll's `future: true` publishes posts dated after the build.
    pub future: bool,
    /// Jekyll's `collections_dir`: the folder, below the site's, of the collections (`_posts` among them); the
    /// folders between it and `_posts` are categories. Without a leading or trailing `/`; empty when not set.
    pub collections_dir: String,
    /// `defaults:`, the front matter defaults (for posts; not yet globbed in the site folder).
    pub defaults: Defaults,
    /// Jekyll's `exclude`: paths or `File.fnmatch` patterns, relative to the site folder, of what it does not read;
    /// as written (a leading `/` is for [`crate::posts`] to weigh as Jekyll does, and Jekyll takes out of it the entries
    /// `include` holds letter for letter).
    pub exclude: Vec<String>,
    /// Jekyll's `include`: names or `File.fnmatch` patterns of what it reads although the name starts with `.`, `_`,
    /// `#` or `~`, or is excluded; as written. `None` when not set: Jekyll's default (`.htaccess`).
    pub include: Option<Vec<String>>,
    /// Settings read but worth a word (a `future` that is not a YAML boolean…).
    pub warnings: Vec<ConfigWarning>,
}

/// Something in the config that is used as Jekyll uses it but probably not as its writer meant.
#[derive(Debug, Clone, PartialEq)]
pub struct ConfigWarning {
    pub line: u32,
    pub message: String,
}

/// A setting whose value can be refused later (an unknown time zone): its text and its line, for the message.
#[derive(Debug, Clone, PartialEq)]
pub struct Setting {
    pub value: String,
    pub line: u32,
}

#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}: cannot read: {source}")]
    Read { path: PathBuf, source: std::io::Error },
    #[error("{path}: not valid UTF-8")]
    NotUtf8 { path: PathBuf },
    #[error("{path}:{line}: broken YAML: {message}")]
    Yaml { path: PathBuf, line: u32, message: String },
    #[error("{path}:{line}: `{key}` should be text")]
    NotText { path: PathBuf, line: u32, key: &'static str },
    #[error("{path}:{line}: defaults: {message}")]
    Defaults { path: PathBuf, line: u32, message: String },
    #[error("the posts folders belong to two sites, {first} and {second}; --config names the one to use")]
    SeveralSites { first: PathBuf, second: PathBuf },
}

pub fn load(path: &Path) -> Result<SiteConfig, ConfigError> {
    let bytes = std::fs::read(path).map_err(|source| ConfigError::Read { path: path.to_path_buf(), source })?;
    let text = std::str::from_utf8(&bytes).map_err(|_| ConfigError::NotUtf8 { path: path.to_path_buf() })?;
    parse(text.strip_prefix('\u{feff}').unwrap_or(text), path)
}

pub fn parse(text: &str, path: &Path) -> Result<SiteConfig, ConfigError> {
    let root = yaml::parse(text, 1).map_err(|error| ConfigError::Yaml {
        path: path.to_path_buf(),
        line: error.line,
        message: error.message,
    })?;
    let setting = |node: Option<&Node>, key: &'static str| -> Result<Option<Setting>, ConfigError> {
        match node.map(|n| (&n.value, n.line)) {
            None | Some((Value::Null, _)) => Ok(None),
            Some((Value::Scalar { text, .. }, line)) => Ok(Some(Setting { value: text.clone(), line })),
            Some((_, line)) => Err(ConfigError::NotText { path: path.to_path_buf(), line, key }),
        }
    };
    let text_of = |node: Option<&Node>, key: &'static str| Ok(setting(node, key)?.map(|s| s.value));
    let posts_permalink = root.get("collections").and_then(|c| c.get("posts")).and_then(|p| p.get("permalink"));
    let permalink = match setting(posts_permalink, "collections.posts.permalink")? {
        Some(permalink) => Some(permalink),
        None => setting(root.get("permalink"), "permalink")?,
    };
    let markdown_ext = text_of(root.get("markdown_ext"), "markdown_ext")?.map(|list| {
        list.split(',').map(|ext| ext.trim().trim_start_matches('.').to_lowercase()).filter(|e| !e.is_empty()).collect()
    });
    let mut warnings = Vec::new();
    let unpublished = ruby_truthy(root.get("unpublished"), "unpublished", &mut warnings);
    let future = ruby_truthy(root.get("future"), "future", &mut warnings);
    let defaults = defaults::parse(root.get("defaults"), &mut warnings).map_err(|error| ConfigError::Defaults {
        path: path.to_path_buf(),
        line: error.line,
        message: error.message,
    })?;
    let exclude = paths_of(root.get("exclude"), "exclude", &mut warnings).unwrap_or_default();
    let include = paths_of(root.get("include"), "include", &mut warnings);
    // In the file's order, whichever setting was read first.
    warnings.sort_by_key(|warning| warning.line);
    Ok(SiteConfig {
        permalink,
        baseurl: text_of(root.get("baseurl"), "baseurl")?,
        timezone: setting(root.get("timezone"), "timezone")?,
        encoding: setting(root.get("encoding"), "encoding")?,
        markdown_ext,
        unpublished,
        future,
        collections_dir: text_of(root.get("collections_dir"), "collections_dir")?
            .map(|dir| dir.trim_matches('/').to_string())
            .unwrap_or_default(),
        defaults,
        exclude,
        include,
        warnings,
    })
}

/// `exclude` or `include` as Jekyll 4 reads it: a list of paths or patterns relative to the site, kept as written.
/// What Jekyll refuses (not a list) and entries that are not text are left out here, with a warning; so is an empty
/// entry or one of nothing but `/`, which Jekyll reads as the whole site (an `exclude` of it publishes nothing): a
/// site hardly means that, and these settings only tell which `_posts` folders the site publishes. `None` when the
/// setting is not there.
fn paths_of(node: Option<&Node>, key: &str, warnings: &mut Vec<ConfigWarning>) -> Option<Vec<String>> {
    let node = node.filter(|node| !node.is_null())?;
    let Value::List(items) = &node.value else {
        let message = format!("{key} is not a list, which Jekyll 4 refuses; it is not used");
        warnings.push(ConfigWarning { line: node.line, message });
        return None;
    };
    let mut paths = Vec::new();
    for item in items {
        match &item.value {
            Value::Scalar { text, .. } if !text.trim_start_matches('/').is_empty() => paths.push(text.clone()),
            _ => {
                let message = format!("this {key} entry is not a path or a pattern; it is not used");
                warnings.push(ConfigWarning { line: item.line, message });
            }
        }
    }
    Some(paths)
}

/// A switch as Jekyll reads it: Ruby takes every value but `false` and `nil` as true, so `future: "false"` or
/// `future: 0` turns it on. Such a value is followed, as the site Jekyll builds follows it, with a warning.
fn ruby_truthy(node: Option<&Node>, key: &str, warnings: &mut Vec<ConfigWarning>) -> bool {
    let Some(node) = node.filter(|node| !node.is_null()) else { return false };
    if let Some(value) = node.as_bool() {
        return value;
    }
    let shown = match &node.value {
        Value::Scalar { text, quoted: true } => format!("the quoted text {text:?}"),
        Value::Scalar { text, quoted: false } => format!("`{text}`"),
        Value::List(_) => "a list".to_string(),
        Value::Map(_) => "a mapping".to_string(),
        Value::Null => unreachable!("null was filtered out"),
    };
    warnings.push(ConfigWarning {
        line: node.line,
        message: format!(
            "`{key}` is {shown}, not true or false; Jekyll takes any value but false and null as true, so `{key}` \
             is on (write `{key}: true` or `{key}: false`)"
        ),
    });
    true
}

/// The site's `_config.yml` for these posts folders: the nearest one above each folder, as Jekyll's site folder
/// holds `_posts` (`site/_posts`) or folders of them (`site/news/_posts`, whose posts get the category `news`).
/// Folders under different sites' configs cannot be indexed with one.
pub fn find_for(posts_dirs: &[PathBuf]) -> Result<Option<PathBuf>, ConfigError> {
    let mut found: Option<PathBuf> = None;
    for dir in posts_dirs {
        let absolute = std::path::absolute(dir).unwrap_or_else(|_| dir.clone());
        let Some(config) = absolute.ancestors().skip(1).map(|folder| folder.join("_config.yml")).find(|c| c.is_file())
        else {
            continue;
        };
        match &found {
            Some(first) if *first != config => {
                return Err(ConfigError::SeveralSites { first: first.clone(), second: config });
            }
            _ => found = Some(config),
        }
    }
    Ok(found)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_settings_that_matter() {
        let config = parse(
            "title: 站点\npermalink: pretty\nbaseurl: /news\ntimezone: Asia/Shanghai\nencoding: GBK\nmarkdown_ext: \"md, .Markdown\"\nunpublished: true\nfuture: true\n",
            Path::new("_config.yml"),
        )
        .unwrap();
        assert_eq!(config.permalink, Some(Setting { value: "pretty".into(), line: 2 }));
        assert_eq!(config.baseurl.as_deref(), Some("/news"));
        assert_eq!(config.timezone, Some(Setting { value: "Asia/Shanghai".into(), line: 4 }));
        assert_eq!(config.encoding, Some(Setting { value: "GBK".into(), line: 5 }));
        assert_eq!(config.markdown_ext, Some(vec!["md".to_string(), "markdown".to_string()]));
        assert!(config.unpublished);
        assert!(config.future);
    }

    #[test]
    fn posts_collection_permalink_wins() {
        let config =
            parse("permalink: date\ncollections:\n  posts:\n    permalink: /:title/\n", Path::new("c")).unwrap();
        assert_eq!(config.permalink, Some(Setting { value: "/:title/".into(), line: 4 }));
    }

    #[test]
    fn exclude_is_a_list_of_paths_or_patterns() {
        let config = parse("exclude:\n  - archive/\n  - \"/drafts*\"\n  - [a]\n", Path::new("c")).unwrap();
        assert_eq!(config.exclude, ["archive/", "/drafts*"]);
        assert_eq!(config.warnings.len(), 1);
        assert_eq!(config.warnings[0].line, 4);
        let one = parse("exclude: old\n", Path::new("c")).unwrap();
        assert!(one.exclude.is_empty());
        assert!(one.warnings[0].message.contains("not a list"), "{:?}", one.warnings);
    }

    #[test]
    fn include_is_a_list_of_paths_or_patterns_or_not_set() {
        let config =
            parse("include:\n  - _archive\n  - \"/.well-known/\"\n  - \"/\"\n  - {a: b}\n", Path::new("c")).unwrap();
        assert_eq!(config.include, Some(vec!["_archive".to_string(), "/.well-known/".to_string()]));
        assert_eq!(config.warnings.iter().map(|w| w.line).collect::<Vec<_>>(), [4, 5]);
        assert!(config.warnings[0].message.starts_with("this include entry"), "{:?}", config.warnings);
        assert_eq!(parse("include: []\n", Path::new("c")).unwrap().include, Some(Vec::new()));
        assert_eq!(parse("include:\n", Path::new("c")).unwrap().include, None);
        let one = parse("include: _archive\n", Path::new("c")).unwrap();
        assert_eq!(one.include, None);
        assert!(one.warnings[0].message.starts_with("include is not a list"), "{:?}", one.warnings);
    }

    #[test]
    fn the_config_is_found_above_the_posts_folders() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path().join("site");
        for folder in ["_posts", "news/_posts", "tech/sub/_posts"] {
            std::fs::create_dir_all(site.join(folder)).unwrap();
        }
        assert_eq!(find_for(&[site.join("_posts")]).unwrap(), None);
        std::fs::write(site.join("_config.yml"), "").unwrap();
        let folders = [site.join("news/_posts"), site.join("_posts"), site.join("tech/sub/_posts")];
        assert_eq!(find_for(&folders).unwrap(), Some(site.join("_config.yml")));
        std::fs::write(site.join("tech/_config.yml"), "").unwrap();
        assert!(matches!(find_for(&folders), Err(ConfigError::SeveralSites { .. })));
        assert_eq!(find_for(&folders[2..]).unwrap(), Some(site.join("tech/_config.yml")));
    }

    #[test]
    fn empty_and_broken_files() {
        assert_eq!(parse("", Path::new("c")).unwrap(), SiteConfig::default());
        assert!(matches!(parse("a: [\n", Path::new("c")), Err(ConfigError::Yaml { .. })));
        assert!(matches!(parse("baseurl: [a]\n", Path::new("c")), Err(ConfigError::NotText { line: 1, .. })));
    }

    #[test]
    fn switches_follow_ruby_truthiness_with_a_warning() {
        for (text, on) in [("no", false), ("off", false), ("~", false), ("yes", true), ("True", true)] {
            let config = parse(&format!("future: {text}\nunpublished: {text}\n"), Path::new("c")).unwrap();
            assert_eq!((config.future, config.unpublished), (on, on), "{text}");
            assert!(config.warnings.is_empty(), "{text}: {:?}", config.warnings);
        }
        for text in ["\"false\"", "'no'", "0", "1", "[false]", "{a: b}"] {
            let config = parse(&format!("title: x\nfuture: {text}\n"), Path::new("c")).unwrap();
            assert!(config.future, "{text}");
            assert!(!config.unpublished);
            assert_eq!(config.warnings.len(), 1, "{text}");
            assert_eq!(config.warnings[0].line, 2);
            assert!(config.warnings[0].message.starts_with("`future` is "), "{:?}", config.warnings[0]);
        }
        let quoted = parse("unpublished: \"false\"\n", Path::new("c")).unwrap();
        assert!(quoted.unpublished);
        assert!(quoted.warnings[0].message.contains("the quoted text \"false\""), "{:?}", quoted.warnings);
        let both = parse("future: 1\nunpublished: 1\n", Path::new("c")).unwrap();
        assert_eq!(both.warnings.iter().map(|w| w.line).collect::<Vec<_>>(), [1, 2], "in the file's order");
    }
}
