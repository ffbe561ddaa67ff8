//! Front matter: where it is (Jekyll's exact rule) and the keys of it that matter for search.
//!
//! Jekyll recognises front matter only with
//! `\A(---\s*\n.*?\n?)^((---|\.\.\.)\s*$\n?)` (multi-line mode): `---` must open the very first
//! line and the block ends at the first later line that is `---` or `...`. A post whose `---`
//! comes after a blank line has, to Jekyll, no front matter at all. [`split`] implements that
//! rule and, when it fails, says why in terms a writer can act on.

use crate::yaml::{self, Node, Value};

/// A post's text cut in two at the end of its front matter.
#[derive(Debug, PartialEq)]
pub struct Split<'a> {
    /// The front matter block including its opening `---` line (it is a YAML document marker).
    pub yaml: &'a str,
    pub body: &'a str,
    /// 1-based line on which `body` starts.
    pub body_line: u32,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum SplitError {
    #[error(
        "no front matter (Jekyll needs `---` on line 1); Jekyll still publishes the file, titled by its file name, \
         but it is not indexed: give it front matter"
    )]
    Missing,
    #[error(
        "front matter starts on line {0}, not line 1, so Jekyll does not read it as front matter; Jekyll still publishes \
         the post, with those lines as text, titled by its file name, but it is not indexed: remove what is before `---`"
    )]
    NotOnFirstLine(u32),
    #[error(
        "front matter opened on line 1 is never closed with `---`; Jekyll still publishes the file, with it as text, \
         but it is not indexed: close the front matter"
    )]
    Unclosed,
    #[error("lines end in a carriage return alone (old Mac OS), so Jekyll finds no front matter; convert the line endings to LF")]
    CarriageReturnsOnly,
}

impl SplitError {
    /// The line the problem is on.
    pub fn line(&self) -> u32 {
        match self {
            SplitError::NotOnFirstLine(line) => *line,
            SplitError::Missing | SplitError::Unclosed | SplitError::CarriageReturnsOnly => 1,
        }
    }
}

fn is_yaml_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\n' | '\r' | '\x0b' | '\x0c')
}

/// `(---|...)` followed by nothing but white space: a line that closes front matter.
fn is_delimiter_line(line: &str, allow_dots: bool) -> bool {
    let rest = match line.strip_prefix("---") {
        Some(rest) => rest,
        None if allow_dots => match line.strip_prefix("...") {
            Some(rest) => rest,
            None => return false,
        },
        None => return false,
    };
    rest.chars().all(is_yaml_space)
}

fn line_number(text: &str, byte: usize) -> u32 {
    let newlines = text.as_bytes()[..byte].iter().filter(|&&b| b == b'\n').count();
    u32::try_from(newlines).unwrap_or(u32::MAX - 1) + 1
}

/// Cuts a post at the end of its front matter, as Jekyll does.
pub fn split(text: &str) -> Result<Split<'_>, SplitError> {
    let mut lines = text.split_inclusive('\n');
    let first = lines.next().unwrap_or("");
    // `---\s*\n`: the opening line must end in a newline.
    if !(first.ends_with('\n') && is_delimiter_line(first, false)) {
        return Err(diagnose_missing(text));
    }
    let mut offset = first.len();
    for line in lines {
        let start = offset;
        offset += line.len();
        if is_delimiter_line(line, true) {
            let body_start = body_start_after_delimiter(text, start + 3);
            return Ok(Split {
                yaml: &text[..start],
                body: &text[body_start..],
                body_line: line_number(text, body_start),
            });
        }
    }
    Err(SplitError::Unclosed)
}

/// Jekyll's closing `\s*$\n?` is greedy: it swallows every blank line after the delimiter,
/// up to the last newline before the first non-blank character. A body that is all blank is taken
/// to start on the line after the delimiter, so that messages about it point there.
fn body_start_after_delimiter(text: &str, after_delimiter: usize) -> usize {
    let rest = &text[after_delimiter..];
    let blank_run = rest.find(|c: char| !is_yaml_space(c)).unwrap_or(rest.len());
    if blank_run == rest.len() {
        return rest.find('\n').map_or(text.len(), |newline| after_delimiter + newline + 1);
    }
    match rest[..blank_run].rfind('\n') {
        Some(newline) => after_delimiter + newline + 1,
        None => after_delimiter + blank_run,
    }
}

fn diagnose_missing(text: &str) -> SplitError {
    if text.starts_with("---\r") && !text.contains('\n') {
        return SplitError::CarriageReturnsOnly;
    }
    let mut line_no = 0u32;
    for line in text.lines() {
        line_no = line_no.saturating_add(1);
        if line.trim().is_empty() {
            continue;
        }
        return if line_no > 1 && is_delimiter_line(line, false) {
            SplitError::NotOnFirstLine(line_no)
        } else {
            SplitError::Missing
        };
    }
    SplitError::Missing
}

/// A front matter value together with the line it was written on.
#[derive(Debug, Clone, PartialEq)]
pub struct Located<T> {
    pub value: T,
    pub line: u32,
}

/// A scalar as Jekyll's YAML loader would see it.
#[derive(Debug, Clone, PartialEq)]
pub struct Scalar {
    pub text: String,
    pub quoted: bool,
}

/// The keys of a post's front matter that decide its URL, date and searchable fields.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct FrontMatter {
    /// `None` when the key is missing or null; `Some("")` when it is an empty string.
    pub title: Option<Located<String>>,
    /// `None` when missing; `Some(Err(line))` when present but not a scalar, or null.
    pub date: Option<Result<Located<Scalar>, u32>>,
    /// `categories` as Jekyll merges it: a string is split on white space, a list is flattened.
    pub categories: Vec<String>,
    /// `category`, which Jekyll appends unsplit.
    pub category: Vec<String>,
    pub tags: Vec<String>,
    /// `tag`, which Jekyll prefers to `tags` when present.
    pub tag: Option<Vec<String>>,
    pub permalink: Option<Located<String>>,
    pub slug: Option<String>,
    pub published: Option<bool>,
    pub render_with_liquid: Option<bool>,
    /// Keys whose values had a shape Jekyll would turn into nonsense text (a mapping as a tag…).
    pub ignored: Vec<Located<&'static str>>,
}

#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum FrontMatterError {
    #[error("broken YAML in front matter: {0}")]
    Yaml(yaml::YamlError),
    #[error("front matter is not a mapping of keys to values")]
    NotAMapping { line: u32 },
}

impl FrontMatterError {
    pub fn line(&self) -> u32 {
        match self {
            FrontMatterError::Yaml(error) => error.line,
            FrontMatterError::NotAMapping { line } => *line,
        }
    }
}

/// Reads the front matter block returned by [`split`] (which starts on line 1).
pub fn parse(yaml_text: &str) -> Result<FrontMatter, FrontMatterError> {
    parse_with_defaults(yaml_text, &[])
}

/// Reads the front matter block returned by [`split`], with the site's front matter defaults for this post
/// ([`crate::defaults::Defaults::for_post`]) merged in as Jekyll merges them: a key the post does not set, or sets
/// to null, takes the default's value, and is then read as if the post had it; `categories` are joined, the
/// defaults' first.
pub fn parse_with_defaults(yaml_text: &str, defaults: &[(String, Node)]) -> Result<FrontMatter, FrontMatterError> {
    let mut root = yaml::parse(yaml_text, 1).map_err(FrontMatterError::Yaml)?;
    let own_categories = root.get("categories").cloned();
    match &mut root.value {
        Value::Null if defaults.is_empty() => return Ok(FrontMatter::default()),
        Value::Null => root.value = Value::Map(Vec::new()),
        Value::Map(_) => {}
        _ => return Err(FrontMatterError::NotAMapping { line: root.line }),
    }
    if let Value::Map(entries) = &mut root.value {
        // Each key's last value, from a map: looked for among the post's keys, 40,000 defaults for 40,000 keys took
        // minutes.
        let own: std::collections::HashMap<&str, &Node> =
            entries.iter().filter_map(|(key, value)| Some((key.as_text()?, value))).collect();
        let unset: Vec<(String, Node)> = defaults
            .iter()
            .filter(|(key, _)| own.get(key.as_str()).is_none_or(|value| value.is_null()))
            .map(|(key, value)| (key.clone(), value.clone()))
            .collect();
        for (key, value) in unset {
            entries.push((Node { value: Value::Scalar { text: key, quoted: false }, line: 1 }, value));
        }
    }
    let mut front = FrontMatter::default();

    front.title = root.get("title").and_then(|node| {
        let text = scalar_text(node, "title", &mut front.ignored)?;
        Some(Located { value: text, line: node.line })
    });
    front.date = root.get("date").map(|node| match &node.value {
        Value::Scalar { text, quoted } => {
            Ok(Located { value: Scalar { text: text.clone(), quoted: *quoted }, line: node.line })
        }
        _ => Err(node.line),
    });
    // Jekyll's `merge_categories!`: the post's own `categories` join the defaults' rather than replace them.
    let default_categories = defaults.iter().rev().find(|(key, _)| key == "categories").map(|(_, node)| node);
    for node in default_categories.into_iter().chain(own_categories.as_ref()) {
        front.categories.extend(word_list(node, "categories", &mut front.ignored));
    }
    if let Some(node) = root.get("category").filter(|node| !node.is_null()) {
        front.category = flat_list(node, "category", &mut front.ignored);
    }
    if let Some(node) = root.get("tags") {
        front.tags = word_list(node, "tags", &mut front.ignored);
    }
    if let Some(node) = root.get("tag").filter(|node| !node.is_null()) {
        front.tag = Some(flat_list(node, "tag", &mut front.ignored));
    }
    front.permalink = root.get("permalink").and_then(|node| {
        let text = match &node.value {
            Value::Scalar { text, .. } => text.clone(),
            // Ruby: `false` and `nil` mean "no permalink".
            _ => return None,
        };
        if node.as_bool() == Some(false) {
            return None;
        }
        Some(Located { value: text, line: node.line })
    });
    front.slug = root.get("slug").and_then(|node| scalar_text(node, "slug", &mut front.ignored));
    front.published = root.get("published").and_then(Node::as_bool);
    front.render_with_liquid = root.get("render_with_liquid").and_then(Node::as_bool);
    Ok(front)
}

fn scalar_text(node: &Node, key: &'static str, ignored: &mut Vec<Located<&'static str>>) -> Option<String> {
    match &node.value {
        Value::Scalar { text, .. } => Some(text.clone()),
        Value::Null => None,
        Value::List(_) | Value::Map(_) => {
            ignored.push(Located { value: key, line: node.line });
            None
        }
    }
}

/// Scalars of a list, flattened, nulls dropped (Ruby's `Array#flatten` + `compact`).
fn flat_list(node: &Node, key: &'static str, ignored: &mut Vec<Located<&'static str>>) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![node];
    while let Some(node) = stack.pop() {
        match &node.value {
            Value::Scalar { text, .. } => out.push(text.clone()),
            Value::Null => {}
            Value::List(items) => stack.extend(items.iter().rev()),
            Value::Map(_) => ignored.push(Located { value: key, line: node.line }),
        }
    }
    out
}

/// Jekyll's plural keys: a string is split on white space; a list is taken item by item.
fn word_list(node: &Node, key: &'static str, ignored: &mut Vec<Located<&'static str>>) -> Vec<String> {
    match &node.value {
        Value::Scalar { text, .. } => text.split_whitespace().map(str::to_string).collect(),
        _ => flat_list(node, key, ignored),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splits_like_jekyll() {
        let split = split("---\ntitle: x\n---\n\n\nbody\n").unwrap();
        assert_eq!(split.yaml, "---\ntitle: x\n");
        assert_eq!(split.body, "body\n");
        assert_eq!(split.body_line, 6);

        let split = super::split("---  \r\ntitle: x\r\n...\r\n    code\n").unwrap();
        assert_eq!(split.body, "    code\n");

        let empty = super::split("---\n---\n").unwrap();
        assert_eq!((empty.yaml, empty.body), ("---\n", ""));
        let blank = super::split("---\nt: x\n---\n\n \n").unwrap();
        assert_eq!((blank.body, blank.body_line), ("\n \n", 4));
    }

    #[test]
    fn explains_missing_front_matter() {
        assert_eq!(split("\n---\ntitle: x\n---\nbody"), Err(SplitError::NotOnFirstLine(2)));
        assert_eq!(split("just text\n---\n"), Err(SplitError::Missing));
        assert_eq!(split(""), Err(SplitError::Missing));
        assert_eq!(split("---\ntitle: x\n"), Err(SplitError::Unclosed));
        assert_eq!(split("---"), Err(SplitError::Missing));
        assert_eq!(split("----\n---\n"), Err(SplitError::Missing));
        assert_eq!(split("---\rtitle: x\r---\rbody\r"), Err(SplitError::CarriageReturnsOnly));
    }

    #[test]
    fn reads_jekyll_keys() {
        let front = parse(
            "---\ntitle: \"标题\"\ndate: 2021-12-08 10:18:31\ncategories: a b\ncategory: C D\ntags: [x, [y, ~]]\nslug: s\npermalink: /p/\npublished: false\n",
        )
        .unwrap();
        assert_eq!(front.title, Some(Located { value: "标题".into(), line: 2 }));
        let date = front.date.unwrap().unwrap();
        assert_eq!((date.value.text.as_str(), date.value.quoted, date.line), ("2021-12-08 10:18:31", false, 3));
        assert_eq!(front.categories, ["a", "b"]);
        assert_eq!(front.category, ["C D"]);
        assert_eq!(front.tags, ["x", "y"]);
        assert_eq!(front.slug.as_deref(), Some("s"));
        assert_eq!(front.permalink.unwrap().value, "/p/");
        assert_eq!(front.published, Some(false));
    }

    #[test]
    fn defaults_fill_in_what_the_post_does_not_set() {
        let defaults = |text: &str| -> Vec<(String, Node)> {
            let root = yaml::parse(text, 1).unwrap();
            let Value::Map(entries) = root.value else { panic!("{text}") };
            entries.into_iter().map(|(k, v)| (k.as_text().unwrap().to_string(), Node { line: 1, ..v })).collect()
        };
        let values = defaults("permalink: /news/:title/\ntitle: 默认\ncategories: 甲 乙\ntags: [默认标签]\nslug: s\n");
        let front = parse_with_defaults("---\ntitle: 自己的\ncategories: [乙, 丙]\ntags:\nslug: ~\n", &values).unwrap();
        assert_eq!(front.title.unwrap().value, "自己的");
        assert_eq!(front.permalink, Some(Located { value: "/news/:title/".into(), line: 1 }));
        // Jekyll joins categories, the defaults' first; a null in the post keeps the default.
        assert_eq!(front.categories, ["甲", "乙", "乙", "丙"]);
        assert_eq!(front.tags, ["默认标签"]);
        assert_eq!(front.slug.as_deref(), Some("s"));
        // An empty front matter takes them all; `tag` from the defaults is read like the post's own.
        let empty = parse_with_defaults("---\n", &defaults("tag: 单数\npublished: false\n")).unwrap();
        assert_eq!((empty.tag, empty.published), (Some(vec!["单数".to_string()]), Some(false)));
        assert_eq!(parse_with_defaults("---\n", &[]).unwrap(), FrontMatter::default());
    }

    #[test]
    fn odd_shapes_are_reported_not_fatal() {
        let front = parse("---\ntitle: [a, b]\ndate:\ntags: {a: b}\n").unwrap();
        assert_eq!(front.title, None);
        assert_eq!(front.date, Some(Err(3)));
        assert_eq!(front.ignored.iter().map(|l| l.value).collect::<Vec<_>>(), ["title", "tags"]);
        assert!(matches!(parse("---\n- a\n- b\n"), Err(FrontMatterError::NotAMapping { line: 2 })));
        assert!(matches!(parse("---\ntitle: \"open\n"), Err(FrontMatterError::Yaml(_))));
    }
}
