//! Front matter defaults: the `defaults:` list of `_config.yml`, applied to posts as Jekyll 4's
//! `FrontmatterDefaults` applies them.
//!
//! Each set has a `scope` (optional `path` and `type`) and `values`. A set applies to a post when its `type` is
//! missing or `posts` (the deprecated `post` too) and its `path` is missing, empty, or a prefix of the post's path
//! below the site folder (`news/_posts/2024-06-01-a.md`). Jekyll's quirks are kept, since they decide what the
//! site shows: the prefix is compared as text (`news` also covers `newsletter/`); a path with `*` is globbed in
//! the site folder and each match is such a prefix; a path starting with `/` matches nothing.
//!
//! When several sets apply, their values are merged in order: a set with a longer path (leading `/` removed)
//! overrides, as does one with an equally long path and a `type`, or both without `type` (the later wins); a set
//! that does not take precedence only fills in keys still missing. A null value never replaces another. The post's
//! own front matter then overrides the result, key by key ([`crate::frontmatter::parse_with_defaults`]), except
//! `categories`, which Jekyll joins: the defaults' come first, then the post's.
//!
//! A set without `scope` applies to every post, like one with an empty scope (Jekyll applies it too, but can
//! crash comparing it with a set that has one).
//!
//! A `defaults` that Jekyll would skip with a warning or trip over (not a list, a set without `values`, a `scope`
//! that is not a mapping…) is refused here, with its line: a set that silently does not apply gives wrong URLs.
//! So are values of the keys this indexer reads that could only be nonsense (a `permalink` with an unknown
//! placeholder, a `date` that is not a date, a mapping as `tags`), which would otherwise be reported post by post.

use std::collections::HashMap;
use std::path::Path;

use crate::config::ConfigWarning;
use crate::date::{self, NaiveDates};
use crate::permalink;
use crate::yaml::{Node, Value};

/// The sets of `defaults:` that can apply to posts, in the config's order.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Defaults {
    sets: Vec<Set>,
}

#[derive(Debug, Clone, PartialEq)]
struct Set {
    /// `scope.path` as written; empty when missing or null.
    path: String,
    /// Whether `scope` has a `type` (which, to be here, is `posts`): it wins ties over a set without.
    typed: bool,
    /// Key and value, each key once (the last, as in Ruby).
    values: Vec<(String, Node)>,
    /// For a `path` with `*`: what it matches in the site folder, relative to it ([`Defaults::glob_in`]).
    globbed: Vec<String>,
}

/// A `defaults` structure Jekyll cannot use as meant.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{message}")]
pub struct DefaultsError {
    pub line: u32,
    pub message: String,
}

fn error(line: u32, message: impl Into<String>) -> DefaultsError {
    DefaultsError { line, message: message.into() }
}

/// The keys of a map node, each with its value (the last one when a key repeats).
/// In the order of those last ones; each key's last place found with a map (40,000 keys took a second).
fn entries(node: &Node) -> Vec<(&str, &Node)> {
    let Value::Map(pairs) = &node.value else { return Vec::new() };
    let texts: Vec<(&str, &Node)> = pairs.iter().filter_map(|(key, value)| Some((key.as_text()?, value))).collect();
    let last: HashMap<&str, usize> = texts.iter().enumerate().map(|(index, &(key, _))| (key, index)).collect();
    texts.iter().enumerate().filter(|&(index, (key, _))| last[key] == index).map(|(_, &entry)| entry).collect()
}

/// Reads `defaults:` (the node under that key, if any). Sets for other types than posts are checked and dropped.
pub fn parse(node: Option<&Node>, warnings: &mut Vec<ConfigWarning>) -> Result<Defaults, DefaultsError> {
    let items = match node.map(|n| &n.value) {
        None | Some(Value::Null) => return Ok(Defaults::default()),
        Some(Value::List(items)) => items,
        Some(_) => {
            let line = node.map_or(1, |n| n.line);
            return Err(error(line, "`defaults` should be a list of sets, each with a `scope` and `values`"));
        }
    };
    let mut sets = Vec::new();
    for item in items {
        if let Some(set) = parse_set(item, warnings)? {
            sets.push(set);
        }
    }
    Ok(Defaults { sets })
}

fn parse_set(item: &Node, warnings: &mut Vec<ConfigWarning>) -> Result<Option<Set>, DefaultsError> {
    if !matches!(item.value, Value::Map(_)) {
        return Err(error(item.line, "each item of `defaults` should be a mapping with `scope` and `values`"));
    }
    let mut scope = None;
    let mut values = None;
    for (key, value) in entries(item) {
        match key {
            "scope" => scope = Some(value),
            "values" => values = Some(value),
            other => warnings.push(unknown_key(value.line, "a `defaults` set", other, "`scope` and `values`")),
        }
    }
    let values = match values {
        None => return Err(error(item.line, "this `defaults` set has no `values`, so Jekyll ignores it")),
        Some(node) if matches!(node.value, Value::Map(_)) => node,
        Some(node) => return Err(error(node.line, "`values` should be a mapping of front matter keys to values")),
    };

    let (mut path, mut kind) = (String::new(), None);
    if let Some(scope) = scope {
        if !matches!(scope.value, Value::Map(_)) {
            return Err(error(scope.line, "`scope` should be a mapping with `path` and/or `type`"));
        }
        for (key, value) in entries(scope) {
            match key {
                "path" => match &value.value {
                    Value::Null => {}
                    Value::Scalar { text, .. } => {
                        path = text.clone();
                        if path.contains('*') && expand_braces(&path).is_none() {
                            return Err(error(
                                value.line,
                                format!(
                                    "`scope.path` makes more than {MAX_PATTERNS} patterns of its {{…}} alternatives, \
                                     each of which Jekyll globs; write fewer"
                                ),
                            ));
                        }
                        if path.starts_with('/') {
                            warnings.push(ConfigWarning {
                                line: value.line,
                                message: format!(
                                    "`scope.path: {path}` starts with `/`; Jekyll 4 compares it with paths relative \
                                     to the site folder, which never do, so this set applies to nothing (write \
                                     `{}`)",
                                    path.trim_start_matches('/')
                                ),
                            });
                        }
                    }
                    _ => return Err(error(value.line, "`scope.path` should be a path in the site folder")),
                },
                "type" => match &value.value {
                    Value::Scalar { text, .. } => kind = Some((text.clone(), value.line)),
                    _ => return Err(error(value.line, "`scope.type` should be a type such as `posts` or `pages`")),
                },
                other => warnings.push(unknown_key(value.line, "`scope`", other, "`path` and `type`")),
            }
        }
    }
    let typed = kind.is_some();
    let for_posts = match &kind {
        None => true,
        // `post` is Jekyll's deprecated name for `posts`.
        Some((kind, _)) => kind == "posts" || kind == "post",
    };

    let mut checked = Vec::new();
    for (key, value) in entries(values) {
        check_value(key, value)?;
        // The post's front matter starts on line 1; a value from here has no line of its own there.
        checked.push((key.to_string(), Node { value: value.value.clone(), line: 1 }));
    }
    Ok(for_posts.then_some(Set { path, typed, values: checked, globbed: Vec::new() }))
}

fn unknown_key(line: u32, place: &str, key: &str, known: &str) -> ConfigWarning {
    ConfigWarning { line, message: format!("{place} has an unknown key `{key}` (Jekyll reads {known}); ignored") }
}

/// Refuses the values of the keys this indexer reads that no post could use.
fn check_value(key: &str, node: &Node) -> Result<(), DefaultsError> {
    let fail = |what: &str| Err(error(node.line, format!("`values.{key}` should be {what}")));
    match key {
        "title" | "slug" => match node.value {
            Value::Scalar { .. } | Value::Null => Ok(()),
            _ => fail("text"),
        },
        "categories" | "category" | "tags" | "tag" => {
            let mut stack = vec![node];
            while let Some(node) = stack.pop() {
                match &node.value {
                    Value::Scalar { .. } | Value::Null => {}
                    Value::List(items) => stack.extend(items),
                    Value::Map(_) => return fail("text or a list of text"),
                }
            }
            Ok(())
        }
        "permalink" => match &node.value {
            Value::Null => Ok(()),
            Value::Scalar { .. } if node.as_bool() == Some(false) => Ok(()),
            Value::Scalar { text, .. } => {
                permalink::validate(text).map_err(|problem| error(node.line, format!("`values.permalink`: {problem}")))
            }
            _ => fail("a permalink template such as /:categories/:year/:title/"),
        },
        // Jekyll parses it when it reads the config, and stops on a bad one.
        "date" => match &node.value {
            Value::Scalar { text, quoted } => {
                date::parse_front_matter(text, *quoted, chrono_tz::UTC, NaiveDates::Jekyll)
                    .map(|_| ())
                    .map_err(|problem| error(node.line, format!("`values.date`: {problem}")))
            }
            _ => fail("a date"),
        },
        _ => Ok(()),
    }
}

impl Defaults {
    pub fn is_empty(&self) -> bool {
        self.sets.is_empty()
    }

    /// Resolves the globbed paths (`news/*`) in `site`, as Jekyll does once per build.
    pub fn glob_in(mut self, site: &Path) -> Self {
        for set in &mut self.sets {
            if set.path.contains('*') {
                set.globbed = glob(site, &set.path);
            }
        }
        self
    }

    /// Scope paths as Jekyll compares them on a site with a `collections_dir`: a post's path is taken below that
    /// folder, and a scope path (or what its glob found) that starts with it loses it (`strip_collections_dir`).
    pub fn within_collections_dir(mut self, collections_dir: &str) -> Self {
        if collections_dir.is_empty() {
            return self;
        }
        let prefix = format!("{collections_dir}/");
        let strip = |path: &mut String| {
            if let Some(rest) = path.strip_prefix(prefix.as_str()) {
                *path = rest.to_string();
            }
        };
        for set in &mut self.sets {
            if !set.path.contains('*') {
                strip(&mut set.path);
            }
            set.globbed.iter_mut().for_each(strip);
        }
        self
    }

    /// The values that apply to a post, merged as Jekyll's `FrontmatterDefaults#all` merges them.
    /// `in_site`: the post's path below the site folder (below its `collections_dir`, if any), `/`-separated; `None`
    /// when it is not below it (then only sets without a `path` apply).
    pub fn for_post(&self, in_site: Option<&str>) -> Vec<(String, Node)> {
        let mut merged: Vec<(String, Node)> = Vec::new();
        // Where each key is in `merged`: looked for there, a set of 40,000 values took a second for every post.
        let mut places: HashMap<&str, usize> = HashMap::new();
        let mut leading: Option<&Set> = None;
        for set in self.sets.iter().filter(|set| applies(set, in_site)) {
            let overrides = has_precedence(leading, set);
            if overrides {
                leading = Some(set);
            }
            for (key, value) in &set.values {
                match places.get(key.as_str()).map(|&place| &mut merged[place]) {
                    None => {
                        places.insert(key, merged.len());
                        merged.push((key.clone(), value.clone()));
                    }
                    // Ruby's deep merge keeps the old value where the new one is nil.
                    Some((_, old)) if overrides && !value.is_null() => *old = value.clone(),
                    Some((_, old)) if !overrides && old.is_null() => *old = value.clone(),
                    Some(_) => {}
                }
            }
        }
        merged
    }
}

fn applies(set: &Set, in_site: Option<&str>) -> bool {
    if set.path.is_empty() {
        return true;
    }
    let Some(in_site) = in_site else { return false };
    if set.path.contains('*') {
        set.globbed.iter().any(|matched| in_site.starts_with(matched.as_str()))
    } else {
        in_site.starts_with(set.path.as_str())
    }
}

/// Jekyll's `sanitize_path`: one leading `/` removed.
fn sanitized_length(path: &str) -> usize {
    path.strip_prefix('/').unwrap_or(path).chars().count()
}

/// Jekyll's `has_precedence?`: a longer path wins; with equal lengths, a set with a `type` wins, and one without
/// wins only over another without.
fn has_precedence(old: Option<&Set>, new: &Set) -> bool {
    let Some(old) = old else { return true };
    let (new_length, old_length) = (sanitized_length(&new.path), sanitized_length(&old.path));
    if new_length != old_length {
        new_length >= old_length
    } else {
        new.typed || !old.typed
    }
}

/// Ruby's `Dir.glob` of `pattern` in `site`: `{a,b}` alternatives (nested too), and within a name `*`, `?` and
/// `[…]` classes (`[a-z]`, `[^0]`; none matches a leading `.`), `**/` for any number of folders. The matches are
/// relative to `site`.
fn glob(site: &Path, pattern: &str) -> Vec<String> {
    // `parse_set` refused a path of too many alternatives.
    let patterns = expand_braces(pattern).unwrap_or_default();
    let mut found: Vec<String> = patterns.iter().flat_map(|one| glob_one(site, one)).collect();
    found.sort();
    found.dedup();
    found
}

/// The most patterns one `scope.path` may expand to with [`expand_braces`]: alternatives multiply (`{a,b}` 18 times
/// is 262,144 globs, minutes of a build), and a path means a few.
const MAX_PATTERNS: usize = 256;

/// Ruby's brace expansion in `Dir.glob` (`ruby_brace_expand`): the first `{` and its matching `}` are replaced by
/// each alternative between them, split at the commas at their level (`{a}` is `a`), and so on while the
/// pattern has braces: `a{b,c{d,e}}f` → `abf`, `acdf`, `acef`. A `{` without its `}` matches nothing. `None` when
/// more than [`MAX_PATTERNS`] patterns are there at any point. Not recursive: a run of `{` in a long path would
/// overflow the stack.
fn expand_braces(pattern: &str) -> Option<Vec<String>> {
    let mut expanded = Vec::new();
    let mut pending = vec![pattern.to_string()];
    // The patterns there are (expanded and pending), counting those an open `{` will drop: expanding one into its
    // k alternatives adds k - 1.
    let mut patterns = 1;
    while let Some(pattern) = pending.pop() {
        let Some(open) = pattern.find('{') else {
            expanded.push(pattern);
            continue;
        };
        // Braces and commas are ASCII: byte offsets are character boundaries.
        let (mut depth, mut bounds) = (0usize, vec![open]);
        let mut close = None;
        for (at, byte) in pattern.bytes().enumerate().skip(open) {
            match byte {
                b'{' => depth += 1,
                b'}' => {
                    depth -= 1;
                    if depth == 0 {
                        close = Some(at);
                        break;
                    }
                }
                b',' if depth == 1 => bounds.push(at),
                _ => {}
            }
        }
        let Some(close) = close else { continue };
        bounds.push(close);
        patterns += bounds.len() - 2;
        if patterns > MAX_PATTERNS {
            return None;
        }
        let (head, tail) = (&pattern[..open], &pattern[close + 1..]);
        // Reversed onto the stack, so that they come off it in the order written.
        for pair in bounds.windows(2).rev() {
            pending.push(format!("{head}{}{tail}", &pattern[pair[0] + 1..pair[1]]));
        }
    }
    Some(expanded)
}

fn glob_one(site: &Path, pattern: &str) -> Vec<String> {
    // Jekyll joins it to the site folder, and an absolute path replaces it: nothing in the site matches.
    if pattern.starts_with('/') {
        return Vec::new();
    }
    let parts: Vec<&str> = pattern.split('/').filter(|part| !part.is_empty()).collect();
    let mut found: Vec<String> = vec![String::new()];
    for (index, part) in parts.iter().enumerate() {
        let last = index + 1 == parts.len();
        let mut next = Vec::new();
        for base in &found {
            if *part == "**" && !last {
                let mut folders = vec![base.clone()];
                let mut index = 0;
                while index < folders.len() {
                    let children = list(site, &folders[index]);
                    for (name, is_folder) in children {
                        if is_folder && !name.starts_with('.') {
                            folders.push(join(&folders[index], &name));
                        }
                    }
                    index += 1;
                }
                next.extend(folders);
            } else if part.contains(['*', '?', '[']) {
                for (name, _) in list(site, base) {
                    if wildcard_matches(part, &name) {
                        next.push(join(base, &name));
                    }
                }
            } else {
                let path = join(base, part);
                if std::fs::symlink_metadata(site.join(&path)).is_ok() {
                    next.push(path);
                }
            }
        }
        next.sort();
        next.dedup();
        found = next;
    }
    if pattern.ends_with('/') {
        found.retain(|path| site.join(path).is_dir());
    }
    found.into_iter().map(|path| clean(&path)).filter(|path| !path.is_empty()).collect()
}

/// The entries of a folder below `site` (name, whether it is a folder, links not followed), or none.
fn list(site: &Path, folder: &str) -> Vec<(String, bool)> {
    let Ok(entries) = std::fs::read_dir(site.join(folder)) else { return Vec::new() };
    let mut out: Vec<(String, bool)> = entries
        .filter_map(Result::ok)
        .map(|entry| {
            let is_folder = entry.file_type().is_ok_and(|kind| kind.is_dir());
            (entry.file_name().to_string_lossy().into_owned(), is_folder)
        })
        .collect();
    out.sort();
    out
}

fn join(base: &str, name: &str) -> String {
    if base.is_empty() {
        name.to_string()
    } else {
        format!("{base}/{name}")
    }
}

/// `Pathname#relative_path_from` cleans the path: `.` parts go, `..` takes the part before it.
fn clean(path: &str) -> String {
    let mut parts: Vec<&str> = Vec::new();
    for part in path.split('/') {
        match part {
            "." | "" => {}
            ".." if parts.last().is_some_and(|last| *last != "..") => {
                parts.pop();
            }
            _ => parts.push(part),
        }
    }
    parts.join("/")
}

/// `File.fnmatch` without flags for one name: `*` any run, `?` one character, a leading `.` only literally.
pub(crate) fn wildcard_matches(pattern: &str, name: &str) -> bool {
    if name.starts_with('.') && !pattern.starts_with('.') {
        return false;
    }
    let (pattern, name): (Vec<char>, Vec<char>) = (pattern.chars().collect(), name.chars().collect());
    let (mut p, mut n) = (0, 0);
    let mut backtrack: Option<(usize, usize)> = None;
    while n < name.len() {
        // How many pattern characters take this name character, if the pattern goes on with it.
        let step = match pattern.get(p) {
            Some('*') => {
                backtrack = Some((p, n));
                p += 1;
                continue;
            }
            Some('[') if pattern[p..].contains(&']') => {
                class_matches(&pattern[p..], name[n]).and_then(|(member, length)| member.then_some(length))
            }
            Some(&c) if c == '?' || c == name[n] => Some(1),
            _ => None,
        };
        match (step, backtrack) {
            (Some(length), _) => {
                p += length;
                n += 1;
            }
            // The last `*` takes one more character.
            (None, Some((star, from))) => {
                p = star + 1;
                n = from + 1;
                backtrack = Some((star, from + 1));
            }
            (None, None) => return false,
        }
    }
    pattern[p..].iter().all(|&c| c == '*')
}

/// A `[…]` class at the start of `pattern`: whether `c` is in it, and the class's length. `^` or `!` first
/// negates; `a-z` is a range; a `]` right after the opening (or the negation) is a member.
fn class_matches(pattern: &[char], c: char) -> Option<(bool, usize)> {
    let mut at = 1;
    let negated = matches!(pattern.get(at), Some('^' | '!'));
    at += usize::from(negated);
    let first = at;
    let mut member = false;
    while let Some(&here) = pattern.get(at) {
        if here == ']' && at > first {
            return Some((member != negated, at + 1));
        }
        match (pattern.get(at + 1), pattern.get(at + 2)) {
            (Some('-'), Some(&last)) if last != ']' => {
                member |= (here..=last).contains(&c);
                at += 3;
            }
            _ => {
                member |= here == c;
                at += 1;
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml;

    fn defaults(text: &str) -> Result<Defaults, DefaultsError> {
        let root = yaml::parse(text, 1).unwrap();
        parse(root.get("defaults"), &mut Vec::new())
    }

    /// The merged values for a post, as `key=text` (lists as their first item), sorted.
    fn values_for(defaults: &Defaults, in_site: Option<&str>) -> Vec<String> {
        let mut out: Vec<String> = defaults
            .for_post(in_site)
            .into_iter()
            .map(|(key, node)| match &node.value {
                Value::List(items) => format!("{key}={}", items[0].as_text().unwrap()),
                _ => format!("{key}={}", node.as_text().unwrap_or("~")),
            })
            .collect();
        out.sort();
        out
    }

    #[test]
    fn scopes_by_path_and_type() {
        let sets = defaults(
            "defaults:\n\
             - scope: {path: \"\", type: posts}\n  values: {a: all-posts}\n\
             - scope: {path: news}\n  values: {b: news}\n\
             - scope: {type: pages}\n  values: {c: pages}\n\
             - scope: {path: news/_posts/2024-06-01-x.md, type: post}\n  values: {d: one-file}\n\
             - values: {e: no-scope}\n",
        )
        .unwrap();
        assert_eq!(values_for(&sets, Some("_posts/2024-06-01-x.md")), ["a=all-posts", "e=no-scope"]);
        assert_eq!(
            values_for(&sets, Some("news/_posts/2024-06-01-x.md")),
            ["a=all-posts", "b=news", "d=one-file", "e=no-scope"]
        );
        assert_eq!(values_for(&sets, Some("news/_posts/2024-06-02-y.md")), ["a=all-posts", "b=news", "e=no-scope"]);
        // Jekyll compares the path as text.
        assert_eq!(values_for(&sets, Some("newsletter/_posts/a.md")), ["a=all-posts", "b=news", "e=no-scope"]);
        // Outside the site folder only the sets without a path apply.
        assert_eq!(values_for(&sets, None), ["a=all-posts", "e=no-scope"]);
    }

    #[test]
    fn the_more_specific_set_wins() {
        let sets = defaults(
            "defaults:\n\
             - scope: {path: news/_posts}\n  values: {x: long, y: long}\n\
             - scope: {path: news}\n  values: {x: short, z: short}\n\
             - scope: {path: \"\"}\n  values: {x: none, w: none}\n\
             - scope: {path: \"/news/_posts/\"}\n  values: {y: slash}\n",
        )
        .unwrap();
        // The set with `/news/_posts/` applies to nothing, though it would win on length.
        assert_eq!(values_for(&sets, Some("news/_posts/a.md")), ["w=none", "x=long", "y=long", "z=short"]);
    }

    #[test]
    fn ties_go_to_a_type_then_to_the_later_set() {
        let sets = defaults(
            "defaults:\n\
             - scope: {path: a}\n  values: {x: first}\n\
             - scope: {path: a}\n  values: {x: second}\n",
        )
        .unwrap();
        assert_eq!(values_for(&sets, Some("a/b.md")), ["x=second"]);
        let sets = defaults(
            "defaults:\n\
             - scope: {path: a, type: posts}\n  values: {x: typed}\n\
             - scope: {path: a}\n  values: {x: untyped, y: untyped}\n\
             - scope: {path: a}\n  values: {y: later}\n",
        )
        .unwrap();
        // The typed set leads, so neither untyped one overrides it; they only fill in `y`, the first one first.
        assert_eq!(values_for(&sets, Some("a/b.md")), ["x=typed", "y=untyped"]);
        let sets = defaults(
            "defaults:\n\
             - scope: {path: a}\n  values: {x: untyped}\n\
             - scope: {path: a, type: posts}\n  values: {x: typed}\n",
        )
        .unwrap();
        assert_eq!(values_for(&sets, Some("a/b.md")), ["x=typed"]);
    }

    #[test]
    fn null_values_never_replace_others() {
        let sets = defaults(
            "defaults:\n- scope: {path: \"\"}\n  values: {a: low, b: ~}\n- scope: {path: n}\n  values: {a: ~, b: high}\n",
        )
        .unwrap();
        assert_eq!(values_for(&sets, Some("n/a.md")), ["a=low", "b=high"]);
    }

    #[test]
    fn globbed_paths_match_what_exists() {
        let dir = tempfile::tempdir().unwrap();
        for folder in ["news/_posts/sub", "tech/_posts", ".hidden/_posts", "notes/2024/_posts"] {
            std::fs::create_dir_all(dir.path().join(folder)).unwrap();
        }
        let site = dir.path();
        assert_eq!(glob(site, "*/_posts"), ["news/_posts", "tech/_posts"]);
        assert_eq!(glob(site, "n*s"), ["news", "notes"]);
        assert_eq!(glob(site, "t?ch/"), ["tech"]);
        assert_eq!(glob(site, "**/_posts"), ["news/_posts", "notes/2024/_posts", "tech/_posts"]);
        assert_eq!(glob(site, "./news/*"), ["news/_posts"]);
        assert!(glob(site, "/news*").is_empty());
        assert!(glob(site, "none*").is_empty());
        assert_eq!(glob(site, "{tech,notes/*}/_posts"), ["notes/2024/_posts", "tech/_posts"]);
        assert_eq!(glob(site, "{ne{ws,ver},x}*"), ["news"]);
        assert_eq!(glob(site, "[nt]e*"), ["news", "tech"]);

        let sets =
            defaults("defaults:\n- scope: {path: \"n*s/_posts\"}\n  values: {a: globbed}\n").unwrap().glob_in(site);
        assert_eq!(values_for(&sets, Some("news/_posts/sub/2024-01-01-a.md")), ["a=globbed"]);
        assert!(values_for(&sets, Some("tech/_posts/2024-01-01-a.md")).is_empty());
    }

    #[test]
    fn wildcards() {
        assert!(wildcard_matches("*", "news"));
        assert!(wildcard_matches("n*s*", "newsletters"));
        assert!(wildcard_matches("2024-*-a.md", "2024-06-01-a.md"));
        assert!(!wildcard_matches("*", ".git"));
        assert!(wildcard_matches(".*", ".git"));
        assert!(!wildcard_matches("n?", "new"));
        assert!(wildcard_matches("新*", "新闻"));
        assert!(
            wildcard_matches("2024-0[2]-*", "2024-02-02-a.md") && !wildcard_matches("2024-0[2]-*", "2024-03-01.md")
        );
        assert!(wildcard_matches("[a-c]x", "bx") && !wildcard_matches("[a-c]x", "dx"));
        assert!(wildcard_matches("[^a]x", "bx") && !wildcard_matches("[!a]x", "ax"));
        assert!(wildcard_matches("[]]", "]") && wildcard_matches("*[0-9]", "v10"));
        assert!(wildcard_matches("[x", "[x"), "an unclosed class is literal");
    }

    #[test]
    fn braces_expand_as_in_ruby() {
        // As Ruby 3.1's Dir.glob: `{a}` globs `a`, and a `{` left open matches nothing.
        let expand = |pattern: &str| expand_braces(pattern).unwrap();
        assert_eq!(expand("a{b,c{d,e}}f"), ["abf", "acdf", "acef"]);
        assert_eq!(expand("{a}"), ["a"]);
        assert!(expand("x{a,b").is_empty());
        assert!(expand("{x{a,b}").is_empty());
        assert_eq!(expand("{a}{b,c}"), ["ab", "ac"]);
        assert_eq!(expand("x}{,a}"), ["x}", "x}a"]);
    }

    #[test]
    fn many_keys_are_merged_in_linear_time() {
        // Each key was looked for among all the others: in `values`, among the merged ones, among the post's.
        let keys: Vec<String> = (0..40_000).map(|i| format!("k{i}: v{i}")).collect();
        let started = std::time::Instant::now();
        let sets = defaults(&format!("defaults:\n- values: {{{}, k0: last}}\n", keys.join(", "))).unwrap();
        let merged = sets.for_post(Some("_posts/a.md"));
        assert_eq!(merged.len(), 40_000);
        assert_eq!(merged.last().map(|(key, node)| (key.as_str(), node.as_text())), Some(("k0", Some("last"))));
        let front_matter = format!("---\n{}\ntitle: own\n", keys[1..].join("\n"));
        let front = crate::frontmatter::parse_with_defaults(&front_matter, &merged).unwrap();
        assert_eq!(front.title.unwrap().value, "own");
        assert!(started.elapsed() < std::time::Duration::from_secs(5), "{:?}", started.elapsed());
    }

    #[test]
    fn a_scope_path_of_too_many_alternatives_is_refused() {
        // 2^18 globs took three minutes; 2^8 is as many as a path may expand to.
        let config =
            |groups: usize| format!("defaults:\n- scope:\n    path: \"{}*\"\n  values: {{}}\n", "{a,b}".repeat(groups));
        let error = defaults(&config(18)).unwrap_err();
        assert_eq!(error.line, 3);
        assert!(error.message.contains("more than 256 patterns"), "{error:?}");
        // Exactly 256 (found by review: the patterns made on the way counted too, so 8 groups were refused).
        assert!(defaults(&config(8)).is_ok());
        assert_eq!(expand_braces(&"{a,b}".repeat(8)).map(|all| all.len()), Some(256));
        assert!(defaults(&config(9)).is_err());
    }

    #[test]
    fn a_run_of_open_braces_in_a_scope_path_is_globbed_in_one_pass() {
        // Each `{` without a comma was one level of recursion: 100,000 of them overflowed the stack.
        let site = tempfile::tempdir().unwrap();
        let path = format!("{}*", "{".repeat(100_000));
        assert!(expand_braces(&path).unwrap().is_empty());
        let text = format!("defaults:\n- scope: {{path: \"{path}\"}}\n  values: {{a: b}}\n");
        let sets = defaults(&text).unwrap().glob_in(site.path());
        assert!(values_for(&sets, Some("_posts/2024-01-01-a.md")).is_empty());
    }

    #[test]
    fn bad_structures_are_refused_with_their_line() {
        let refused = |text: &str| defaults(text).unwrap_err();
        assert_eq!(refused("defaults: posts\n").line, 1);
        assert_eq!(refused("defaults:\n  scope: {}\n  values: {}\n").line, 2);
        assert_eq!(refused("defaults:\n- posts\n").line, 2);
        assert!(refused("defaults:\n- scope: {}\n").message.contains("no `values`"));
        assert_eq!(refused("defaults:\n- scope: news\n  values: {}\n").line, 2);
        assert_eq!(refused("defaults:\n- scope:\n  values: {}\n").line, 2);
        assert_eq!(refused("defaults:\n- values: [a]\n").line, 2);
        assert_eq!(refused("defaults:\n- scope:\n    path: [a]\n  values: {}\n").line, 3);
        assert_eq!(refused("defaults:\n- scope:\n    type:\n  values: {}\n").line, 3);
        // Values no post could use, even in a set for pages: Jekyll reads them all.
        let message = refused("defaults:\n- scope: {type: pages}\n  values:\n    permalink: /:titel/\n").message;
        assert!(message.contains("`values.permalink`") && message.contains(":titel"), "{message}");
        assert!(refused("defaults:\n- values: {date: yesterday}\n").message.contains("`values.date`"));
        assert!(refused("defaults:\n- values: {tags: [a, {b: c}]}\n").message.contains("`values.tags`"));
        assert!(refused("defaults:\n- values: {title: [a]}\n").message.contains("`values.title`"));
        for fine in ["defaults:\n", "defaults: []\n", "defaults:\n- values: {}\n", "x: 1\n"] {
            assert!(defaults(fine).is_ok(), "{fine}");
        }
    }

    #[test]
    fn odd_but_usable_sets_are_warned_about() {
        let root =
            yaml::parse("defaults:\n- scope:\n    path: /news\n    paht: tech\n  value: {a: b}\n  values: {c: d}\n", 1)
                .unwrap();
        let mut warnings = Vec::new();
        let sets = parse(root.get("defaults"), &mut warnings).unwrap();
        warnings.sort_by_key(|w| w.line);
        let lines: Vec<u32> = warnings.iter().map(|w| w.line).collect();
        assert_eq!(lines, [3, 4, 5], "{warnings:?}");
        assert!(warnings[0].message.contains("applies to nothing"), "{warnings:?}");
        assert!(warnings[1].message.contains("unknown key `paht`"), "{warnings:?}");
        assert!(values_for(&sets, Some("news/_posts/a.md")).is_empty());
    }
}
