//! Finding post files below `_posts` folders and reading them safely.
//!
//! The walk follows Jekyll's reader: it descends into subfolders, ignores names Jekyll ignores
//! (starting with `.`, `_` or `#`, or ending with `~`), reads symlinked files but does not enter
//! symlinked folders (which is also what keeps a symlink loop from being walked forever). Posts are
//! the files with a Markdown extension (`markdown_ext`) or `.html`/`.htm`. Anything that looks like
//! a post but cannot be read becomes a [`Skip`]; nothing here panics or blocks on odd files
//! (only regular files are ever opened, so a FIFO named `x.md` cannot hang the run).

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::extract::Format;
use crate::report::{Location, Skip, SkipReason};

/// Jekyll's default `markdown_ext`.
pub const DEFAULT_MARKDOWN_EXTENSIONS: &[&str] = &["markdown", "mkdown", "mkdn", "mkd", "md"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PostFile {
    pub path: PathBuf,
    /// The path as shown in messages.
    pub display: String,
    /// The path below the posts folder, `/`-separated: what Jekyll matches its file name rule against.
    pub in_collection: String,
    /// Categories Jekyll takes from the folders between the site and `_posts` (`news/_posts` → `news`).
    pub folder_categories: Vec<String>,
    /// The path below the site folder, `/`-separated (`news/_posts/2024-06-01-a.md`): what the `path` of a front
    /// matter default's scope is matched against. `None` without a site folder or outside it.
    pub in_site: Option<String>,
    pub format: Format,
}

#[derive(Debug, Default)]
pub struct Discovered {
    /// Sorted by path, each file once.
    pub posts: Vec<PostFile>,
    pub skipped: Vec<Skip>,
    /// Files that are not posts: other extensions, and names Jekyll ignores.
    pub not_posts: usize,
}

#[derive(Debug, thiserror::Error)]
pub enum DiscoverError {
    #[error("{0}: no such folder")]
    NotFound(PathBuf),
    #[error("{0}: not a folder")]
    NotAFolder(PathBuf),
    #[error(
        "{folder}: a site folder, not a folder of posts: Jekyll's posts are in {}; give those instead (`build-index {} --out …`)",
        .posts_folders.join(", "),
        .posts_folders.join(" ")
    )]
    SiteFolder { folder: PathBuf, posts_folders: Vec<String> },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
}

/// Whether Jekyll's `EntryFilter` leaves this name out.
fn jekyll_ignores(name: &str) -> bool {
    name.starts_with(['.', '_', '#', '~']) || name.ends_with('~')
}

/// Folders this deep below a site are not looked into for `_posts` (a site's own are one or two levels down).
const MAX_POSTS_FOLDER_DEPTH: usize = 6;

/// What Jekyll 4 excludes whatever the site's `exclude` says (its `DEFAULT_EXCLUDES`): installed gems ship `_posts`
/// of their own. The names starting with `.` count too, as `include` can bring back what they hold.
const EXCLUDED_BY_DEFAULT: [&str; 10] = [
    ".sass-cache",
    ".jekyll-cache",
    "gemfiles",
    "Gemfile",
    "Gemfile.lock",
    "node_modules",
    "vendor/bundle/",
    "vendor/cache/",
    "vendor/gems/",
    "vendor/ruby/",
];

/// Jekyll's `include` when the site does not set one.
const INCLUDED_BY_DEFAULT: [&str; 1] = [".htaccess"];

/// An `exclude` or `include` entry as Jekyll's `File.join` with the site folder takes it: one leading `/` makes no
/// difference, a second one stays (and the entry matches nothing).
fn below_site(pattern: &str) -> &str {
    pattern.strip_prefix('/').unwrap_or(pattern)
}

/// Jekyll's `EntryFilter#glob_include?` for one `exclude` or `include` entry and an entry below the site
/// (`/`-separated): a plain string prefix (`news` matches `newsletter` too), the pattern naming the folder with a
/// trailing `/`, or `File.fnmatch` without flags. Jekyll joins both to the site folder first, which leaves no name at
/// the start of the string for fnmatch's leading-`.` rule.
fn jekyll_glob_matches(pattern: &str, entry: &str, entry_is_folder: bool) -> bool {
    let pattern = below_site(pattern);
    entry.starts_with(pattern)
        || (entry_is_folder && pattern.strip_suffix('/') == Some(entry))
        || crate::defaults::wildcard_matches(&format!("/{pattern}"), &format!("/{entry}"))
}

/// Whether Jekyll publishes a post of the `_posts` folder `folder` (at `relative` below the site) that [`discover`]
/// would read if the folder were given. The folder is not itself an entry Jekyll filters, its posts are, each by its
/// path below the site: a file named as a post (at any depth) is published unless an `exclude` entry matches that
/// path (by prefix, or `File.fnmatch` where `*` crosses `/`: `x/*` and `*.md` leave posts out, `**/_posts` none) or
/// its name is one Jekyll ignores, and `include` does not bring it back by its path in the folder or its name. The
/// folder is walked as [`discover`] walks it: subfolders whose names Jekyll ignores (`_old`, `.hidden`, `#x`, `~x`,
/// `x~`) are not entered at any depth, whatever `include` says, nor are linked folders (Ruby's `**/*` does not enter
/// them either); linked files count. Only a post's formats count: a `markdown_extensions` extension or
/// `.html`/`.htm` (`2024-01-01-photo.jpg` is no post), and only regular files.
fn publishes_a_post(
    folder: &Path,
    relative: &str,
    exclude: &[&str],
    include: &[&str],
    markdown_extensions: &[String],
) -> bool {
    let walk = walkdir::WalkDir::new(folder).follow_links(false).into_iter();
    let entries = walk
        .filter_entry(|entry| {
            entry.depth() == 0 || !entry.file_type().is_dir() || !jekyll_ignores(&entry.file_name().to_string_lossy())
        })
        .filter_map(Result::ok);
    entries.filter(|file| is_a_regular_file(file) && format_of(file.path(), markdown_extensions).is_some()).any(
        |file| {
            let name = file.file_name().to_string_lossy();
            let in_folder = slash_separated(file.path().strip_prefix(folder).unwrap_or(file.path()));
            let included = include.iter().any(|pattern| {
                jekyll_glob_matches(pattern, &in_folder, false) || jekyll_glob_matches(pattern, &name, false)
            });
            let path = format!("{relative}/{in_folder}");
            let excluded =
                jekyll_ignores(&name) || exclude.iter().any(|pattern| jekyll_glob_matches(pattern, &path, false));
            crate::document::parse_file_name(&name).is_some() && (included || !excluded)
        },
    )
}

/// A regular file, or a link to one: what [`walk`] reads as a post when its name says so.
fn is_a_regular_file(entry: &walkdir::DirEntry) -> bool {
    let file_type = entry.file_type();
    file_type.is_file()
        || file_type.is_symlink() && std::fs::metadata(entry.path()).is_ok_and(|target| target.is_file())
}

/// The `_posts` folders Jekyll reads in the folder `below` of `site` (its `collections_dir`, or ""): its own and
/// those of its subfolders (`news/_posts`), linked folders included, as Jekyll's `EntryFilter` passes over folders:
/// one the site's `include` names (`None`: Jekyll's default) is entered; any other is not when its name starts with
/// `.`, `_`, `#` or `~` or ends with `~` (`.git`, `_site`), or when `exclude` (entries as written, relative to
/// `site`; less those `include` holds too) or Jekyll's default excludes (`node_modules`, `vendor/bundle/`…) leave it
/// out. Jekyll matches `include` against the folder's name alone, so `_archive` brings back every folder of that
/// name, `blog/_archive` none. A `_posts` folder counts when it publishes a post that [`discover`] would read, with
/// the site's `markdown_ext` as `markdown_extensions` (see [`publishes_a_post`]). Folders that cannot be read, and
/// loops of links, are passed over; a folder reached twice through links counts once. Sorted.
pub fn posts_folders_in(
    site: &Path,
    below: &str,
    exclude: &[String],
    include: Option<&[String]>,
    markdown_extensions: &[String],
) -> Vec<PathBuf> {
    let include: Vec<&str> = match include {
        Some(include) => include.iter().map(String::as_str).collect(),
        None => INCLUDED_BY_DEFAULT.to_vec(),
    };
    // Jekyll's `site.exclude - site.include`: whole entries, letter for letter.
    let exclude: Vec<&str> = exclude
        .iter()
        .map(String::as_str)
        .chain(EXCLUDED_BY_DEFAULT)
        .filter(|pattern| !include.contains(pattern))
        .collect();
    let mut found = Vec::new();
    let mut seen = std::collections::HashSet::new();
    let walk = walkdir::WalkDir::new(site.join(below)).follow_links(true).max_depth(MAX_POSTS_FOLDER_DEPTH);
    let mut entries = walk.sort_by_file_name().into_iter();
    while let Some(entry) = entries.next() {
        let Ok(entry) = entry else { continue };
        if entry.depth() == 0 || !entry.file_type().is_dir() {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let relative = slash_separated(entry.path().strip_prefix(site).unwrap_or(entry.path()));
        let is_posts = name == "_posts";
        let left_out = if is_posts {
            !publishes_a_post(entry.path(), &relative, &exclude, &include, markdown_extensions)
        } else {
            // For the trailing-`/` rule Jekyll asks whether the name alone, joined to the site folder, is a folder:
            // `_archive/` brings back `blog/_archive` only beside a top-level `_archive`.
            let name_is_a_top_folder = site.join(&*name).is_dir();
            let included = include.iter().any(|pattern| jekyll_glob_matches(pattern, &name, name_is_a_top_folder));
            // Jekyll never enters a folder whose name ends in `.`, whatever `include` says.
            name.ends_with('.')
                || !included
                    && (jekyll_ignores(&name)
                        || exclude.iter().any(|pattern| jekyll_glob_matches(pattern, &relative, true)))
        };
        if left_out {
            entries.skip_current_dir();
        } else if is_posts {
            if seen.insert(std::fs::canonicalize(entry.path()).unwrap_or_else(|_| entry.path().to_path_buf())) {
                found.push(entry.into_path());
            }
            entries.skip_current_dir();
        }
    }
    found
}

/// A folder given as a posts folder that is a site's folder instead (`.` or `news` rather than `_posts` and
/// `news/_posts`): an error naming the posts folders in it, as indexing it would find none of its posts. It runs before
/// the site's config is read, so its posts are those of Jekyll's default `markdown_ext` and HTML.
pub fn check_not_a_site(folders: &[PathBuf]) -> Result<(), DiscoverError> {
    for folder in folders {
        let name =
            std::path::absolute(folder).ok().and_then(|f| f.file_name().map(|n| n.to_string_lossy().into_owned()));
        if name.as_deref() == Some("_posts") || !folder.is_dir() {
            continue;
        }
        let markdown: Vec<String> = DEFAULT_MARKDOWN_EXTENSIONS.iter().map(|e| e.to_string()).collect();
        let inner = posts_folders_in(folder, "", &[], None, &markdown);
        if !inner.is_empty() {
            let shown = inner.iter().map(|f| f.display().to_string().trim_start_matches("./").to_string()).collect();
            return Err(DiscoverError::SiteFolder { folder: folder.clone(), posts_folders: shown });
        }
    }
    Ok(())
}

fn format_of(path: &Path, markdown_extensions: &[String]) -> Option<Format> {
    let extension = path.extension()?.to_str()?.to_lowercase();
    if markdown_extensions.contains(&extension) {
        Some(Format::Markdown)
    } else if extension == "html" || extension == "htm" {
        Some(Format::Html)
    } else {
        None
    }
}

/// Finds every post below `folders`. `site_root` (the folder of `_config.yml`) lets folders above
/// `_posts` become categories as in Jekyll.
pub fn discover(
    folders: &[PathBuf],
    markdown_extensions: &[String],
    site_root: Option<&Path>,
) -> Result<Discovered, DiscoverError> {
    let mut found = Discovered::default();
    for folder in folders {
        match std::fs::metadata(folder) {
            Ok(meta) if meta.is_dir() => {}
            Ok(_) => return Err(DiscoverError::NotAFolder(folder.clone())),
            Err(error) if error.kind() == std::io::ErrorKind::NotFound => {
                return Err(DiscoverError::NotFound(folder.clone()))
            }
            Err(source) => return Err(DiscoverError::Io { path: folder.clone(), source }),
        }
        let in_site = folder_in_site(folder, site_root);
        let categories = in_site.as_deref().map(folder_categories).unwrap_or_default();
        walk(folder, markdown_extensions, &categories, in_site.as_deref(), &mut found);
    }
    found.posts.sort_by(|a, b| a.path.cmp(&b.path));
    // A file reached through two of the folders given (`_posts` and `_posts/.`, or a folder and its subfolder) is
    // one post. A symlinked file is a post of its own, at its own URL, as in Jekyll: only its folder is resolved.
    let mut seen = std::collections::HashSet::new();
    found.posts.retain(|post| seen.insert(resolved_folder(&post.path)));
    found.skipped.sort_by(|a, b| a.at.cmp(&b.at));
    found.skipped.dedup();
    Ok(found)
}

/// The path with its folder resolved (links, `.`, `..`) but not its file name.
fn resolved_folder(path: &Path) -> PathBuf {
    match (path.parent().and_then(|folder| std::fs::canonicalize(folder).ok()), path.file_name()) {
        (Some(folder), Some(name)) => folder.join(name),
        _ => path.to_path_buf(),
    }
}

fn walk(
    root: &Path,
    markdown_extensions: &[String],
    categories: &[String],
    root_in_site: Option<&[String]>,
    found: &mut Discovered,
) {
    let mut entries = walkdir::WalkDir::new(root).follow_links(false).sort_by_file_name().into_iter();
    while let Some(entry) = entries.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(error) => {
                let path = error.path().unwrap_or(root).display().to_string();
                let message = error.io_error().map_or_else(|| error.to_string(), ToString::to_string);
                found.skipped.push(Skip { at: Location::new(path, 1), reason: SkipReason::Unlistable(message) });
                continue;
            }
        };
        if entry.depth() == 0 {
            continue;
        }
        let name = entry.file_name().to_string_lossy();
        let file_type = entry.file_type();
        if jekyll_ignores(&name) {
            if file_type.is_dir() {
                entries.skip_current_dir();
            } else {
                found.not_posts += 1;
            }
            continue;
        }
        if file_type.is_dir() {
            continue;
        }
        let path = entry.path();
        let at = || Location::new(path.display().to_string(), 1);
        let format = format_of(path, markdown_extensions);
        if file_type.is_symlink() {
            match std::fs::metadata(path) {
                Ok(target) if target.is_dir() => {
                    // A loop: the link points at a folder that contains the link itself.
                    let home = path.parent().and_then(|parent| std::fs::canonicalize(parent).ok());
                    let reason = match (std::fs::canonicalize(path), home) {
                        (Ok(target), Some(home)) if home.starts_with(&target) => {
                            SkipReason::SymlinkLoop(target.display().to_string())
                        }
                        _ => SkipReason::SymlinkedFolder,
                    };
                    found.skipped.push(Skip { at: at(), reason });
                    continue;
                }
                Ok(target) if target.is_file() => {}
                Ok(_) => {
                    not_a_regular_file(format, at(), found);
                    continue;
                }
                Err(error) => {
                    match format {
                        Some(_) => {
                            found.skipped.push(Skip { at: at(), reason: SkipReason::Unreadable(error.to_string()) })
                        }
                        None => found.not_posts += 1,
                    }
                    continue;
                }
            }
        } else if !file_type.is_file() {
            not_a_regular_file(format, at(), found);
            continue;
        }
        let Some(format) = format else {
            found.not_posts += 1;
            continue;
        };
        let in_collection = slash_separated(path.strip_prefix(root).unwrap_or(path));
        found.posts.push(PostFile {
            path: path.to_path_buf(),
            display: path.display().to_string(),
            folder_categories: categories.to_vec(),
            in_site: root_in_site.map(|folders| {
                folders.iter().map(String::as_str).chain([in_collection.as_str()]).collect::<Vec<_>>().join("/")
            }),
            in_collection,
            format,
        });
    }
}

fn not_a_regular_file(format: Option<Format>, at: Location, found: &mut Discovered) {
    match format {
        Some(_) => found.skipped.push(Skip { at, reason: SkipReason::Unreadable("not a regular file".into()) }),
        None => found.not_posts += 1,
    }
}

/// A relative path as Jekyll writes it, `/`-separated whatever the system's separator.
fn slash_separated(relative: &Path) -> String {
    relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/")
}

/// The folders from the site folder down to `folder` (links resolved), or `None` when it is not below it.
fn folder_in_site(folder: &Path, site_root: Option<&Path>) -> Option<Vec<String>> {
    let absolute = |p: &Path| std::fs::canonicalize(p).unwrap_or_else(|_| p.to_path_buf());
    let folder = absolute(folder);
    let relative = folder.strip_prefix(absolute(site_root?)).ok()?;
    Some(relative.components().map(|c| c.as_os_str().to_string_lossy().into_owned()).collect())
}

/// Jekyll's `categories_from_path`: the folders between the site and the first `_posts`.
fn folder_categories(folders_in_site: &[String]) -> Vec<String> {
    match folders_in_site.iter().position(|part| part == "_posts") {
        Some(end) => folders_in_site[..end].to_vec(),
        None => Vec::new(),
    }
}

/// Reads a post, refusing more than `limit` bytes.
pub fn read(post: &PostFile, limit: u64) -> Result<Vec<u8>, SkipReason> {
    let unreadable = |error: std::io::Error| SkipReason::Unreadable(error.to_string());
    let file = std::fs::File::open(&post.path).map_err(unreadable)?;
    let size = file.metadata().map_err(unreadable)?.len();
    if size > limit {
        return Err(SkipReason::TooLarge { size, limit });
    }
    let mut bytes = Vec::with_capacity(usize::try_from(size).unwrap_or(0));
    // `take` guards against a file that grows while it is read.
    file.take(limit.saturating_add(1)).read_to_end(&mut bytes).map_err(unreadable)?;
    if bytes.len() as u64 > limit {
        return Err(SkipReason::TooLarge { size: bytes.len() as u64, limit });
    }
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn markdown() -> Vec<String> {
        DEFAULT_MARKDOWN_EXTENSIONS.iter().map(|e| e.to_string()).collect()
    }

    #[test]
    fn finds_posts_like_jekyll() {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("news/_posts");
        std::fs::create_dir_all(posts.join("sub")).unwrap();
        std::fs::create_dir_all(posts.join("_drafts")).unwrap();
        for name in [
            "2021-01-02-b.md",
            "2021-01-01-a.HTML",
            "sub/2021-01-03-c.markdown",
            "image.png",
            ".hidden.md",
            "x.md~",
            "_drafts/2021-01-01-d.md",
        ] {
            std::fs::write(posts.join(name), "x").unwrap();
        }
        let found = discover(std::slice::from_ref(&posts), &markdown(), Some(dir.path())).unwrap();
        let names: Vec<&str> = found.posts.iter().map(|p| p.in_collection.as_str()).collect();
        assert_eq!(names, ["2021-01-01-a.HTML", "2021-01-02-b.md", "sub/2021-01-03-c.markdown"]);
        assert_eq!(found.posts[0].format, Format::Html);
        assert_eq!(found.posts[0].folder_categories, ["news"]);
        assert_eq!(found.posts[2].in_site.as_deref(), Some("news/_posts/sub/2021-01-03-c.markdown"));
        let elsewhere = discover(std::slice::from_ref(&posts), &markdown(), Some(&posts.join("sub"))).unwrap();
        assert_eq!(elsewhere.posts[0].in_site, None);
        assert_eq!(found.not_posts, 3);
        assert!(found.skipped.is_empty());
    }

    #[test]
    fn the_same_folder_twice_is_read_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("2021-01-01-a.md"), "x").unwrap();
        let found = discover(&[dir.path().to_path_buf(), dir.path().join(".")], &markdown(), None).unwrap();
        assert_eq!(found.posts.len(), 1);
    }

    #[test]
    fn a_folder_and_its_subfolder_give_each_post_once() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("sub")).unwrap();
        std::fs::write(dir.path().join("sub/2021-01-01-a.md"), "x").unwrap();
        let found = discover(&[dir.path().to_path_buf(), dir.path().join("sub")], &markdown(), None).unwrap();
        assert_eq!(found.posts.len(), 1);
    }

    #[cfg(unix)]
    #[test]
    fn a_symlinked_post_is_a_post_of_its_own() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("a")).unwrap();
        std::fs::write(dir.path().join("a/2024-06-09-original.md"), "x").unwrap();
        std::os::unix::fs::symlink("a/2024-06-09-original.md", dir.path().join("2024-06-01-alias.md")).unwrap();
        let found = discover(&[dir.path().to_path_buf()], &markdown(), None).unwrap();
        let names: Vec<&str> = found.posts.iter().map(|p| p.in_collection.as_str()).collect();
        assert_eq!(names, ["2024-06-01-alias.md", "a/2024-06-09-original.md"]);
    }

    /// A `_posts` folder at `folder` with a post in it.
    fn posts_folder(folder: &Path) {
        std::fs::create_dir_all(folder).unwrap();
        std::fs::write(folder.join("2024-01-01-a.md"), "---\n---\n").unwrap();
    }

    #[test]
    fn finds_the_posts_folders_of_a_site() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        let ignored =
            ["_site/_posts", ".git/_posts", "~old/_posts", "node_modules/x/_posts", "vendor/bundle/gems/x/_posts"];
        for folder in ["_posts", "tech/_posts", "a/b/_posts"].into_iter().chain(ignored) {
            posts_folder(&site.join(folder));
        }
        posts_folder(&site.join("_posts/sub/_posts"));
        // A `_posts` folder without posts publishes nothing.
        std::fs::create_dir_all(site.join("empty/_posts")).unwrap();
        let relative = |folders: Vec<PathBuf>| -> Vec<String> {
            folders.iter().map(|f| f.strip_prefix(site).unwrap().display().to_string()).collect()
        };
        assert_eq!(
            relative(posts_folders_in(site, "", &[], None, &markdown())),
            ["_posts", "a/b/_posts", "tech/_posts"]
        );
        // The site's `exclude` as Jekyll reads it: string prefixes (`t` leaves out `tech`), fnmatch patterns for
        // folders on the way, a trailing `/` for the folder alone; `**/_posts` matches no post.
        let found = |exclude: &[&str]| {
            relative(posts_folders_in(
                site,
                "",
                &exclude.iter().map(|e| e.to_string()).collect::<Vec<_>>(),
                None,
                &markdown(),
            ))
        };
        assert_eq!(found(&["a", "t"]), ["_posts"]);
        assert_eq!(found(&["/a", "/t"]), ["_posts"], "one leading / makes no difference");
        assert_eq!(found(&["//t"]), ["_posts", "a/b/_posts", "tech/_posts"], "two make a path that is nowhere");
        assert_eq!(found(&["a/*", "tech/"]), ["_posts"]);
        assert_eq!(found(&["te/"]), ["_posts", "a/b/_posts", "tech/_posts"]);
        assert_eq!(found(&["**/_posts"]), ["_posts", "a/b/_posts", "tech/_posts"]);
        // Jekyll matches each post's path, where fnmatch's `*` crosses `/`: `a/*` or `*.md` leave posts out.
        assert_eq!(found(&["a/b/_posts/*"]), ["_posts", "tech/_posts"]);
        assert_eq!(found(&["*.md"]), Vec::<String>::new());
        assert_eq!(found(&["*/2024-01-01-a.md"]), Vec::<String>::new());
        #[cfg(unix)]
        {
            // Linked folders are read, a `_posts` that is a link among them, and the folders after it too; a loop of
            // links is passed over, and a folder reached twice counts once.
            posts_folder(&site.join("elsewhere/news/_posts"));
            std::os::unix::fs::symlink(site.join("elsewhere/news"), site.join("linked")).unwrap();
            std::os::unix::fs::symlink(site, site.join("a/loop")).unwrap();
            let other = tempfile::tempdir().unwrap();
            posts_folder(&other.path().join("real"));
            std::os::unix::fs::symlink(other.path().join("real"), other.path().join("_posts")).unwrap();
            posts_folder(&other.path().join("news/_posts"));
            let in_other: Vec<String> = posts_folders_in(other.path(), "", &[], None, &markdown())
                .iter()
                .map(|f| f.strip_prefix(other.path()).unwrap().display().to_string())
                .collect();
            assert_eq!(in_other, ["_posts", "news/_posts"]);
            assert_eq!(found(&[]), ["_posts", "a/b/_posts", "elsewhere/news/_posts", "tech/_posts"]);
        }
        // The site folder given where its posts folders belong: an error naming them.
        let error = check_not_a_site(&[site.join("_posts"), site.to_path_buf()]).unwrap_err();
        let message = error.to_string();
        assert!(matches!(error, DiscoverError::SiteFolder { .. }));
        assert!(message.contains("a site folder, not a folder of posts"), "{message}");
        assert!(message.contains(&format!("build-index {} ", site.join("_posts").display())), "{message}");
        assert!(check_not_a_site(&[site.join("tech")]).is_err(), "tech/ instead of tech/_posts");
        assert!(check_not_a_site(&[site.join("_posts"), site.join("tech/_posts")]).is_ok());
        // A plain folder of posts, not Jekyll's layout, is read as before.
        std::fs::create_dir_all(site.join("plain")).unwrap();
        assert!(check_not_a_site(&[site.join("plain")]).is_ok());
    }

    /// A site whose only `_posts` holds the files `files` (paths below it): whether its `_posts` counts, and how many
    /// posts [`discover`] reads in it.
    fn counted_and_read(files: &[&str], markdown_extensions: &[String]) -> (bool, usize) {
        let dir = tempfile::tempdir().unwrap();
        let posts = dir.path().join("_posts");
        std::fs::create_dir(&posts).unwrap();
        for file in files {
            let path = posts.join(file);
            std::fs::create_dir_all(path.parent().unwrap()).unwrap();
            std::fs::write(path, "---\n---\n").unwrap();
        }
        let counted = !posts_folders_in(dir.path(), "", &[], None, markdown_extensions).is_empty();
        (counted, discover(&[posts], markdown_extensions, Some(dir.path())).unwrap().posts.len())
    }

    #[test]
    fn a_posts_folder_counts_only_posts_that_discover_reads() {
        // Folders Jekyll ignores are not entered, at any depth, as `discover` does not enter them.
        for file in [
            "_old/2024-01-01-a.md",
            ".hidden/2024-01-01-a.md",
            "#x/2024-01-01-a.md",
            "~x/2024-01-01-a.md",
            "x~/2024-01-01-a.md",
            "sub/_old/2024-01-01-a.md",
            "sub/.hidden/2024-01-01-a.md",
        ] {
            assert_eq!(counted_and_read(&[file], &markdown()), (false, 0), "{file}");
        }
        // Only a post's formats count: a file named as a post that is not Markdown or HTML is no post.
        for file in ["2024-01-01-photo.jpg", "2024-01-01-notes.txt", "sub/2024-01-01-a.mdx"] {
            assert_eq!(counted_and_read(&[file], &markdown()), (false, 0), "{file}");
        }
        // The site's `markdown_ext` says which extensions are Markdown.
        let mdx = vec!["mdx".to_string()];
        assert_eq!(counted_and_read(&["2024-01-01-a.mdx"], &mdx), (true, 1));
        assert_eq!(counted_and_read(&["2024-01-01-a.md"], &mdx), (false, 0));
        // Posts in plain subfolders, and HTML posts, count.
        for file in ["sub/deeper/2024-01-01-a.md", "2024-01-01-a.HTML", "2024-01-01-a.htm", "2024-01-01-a.markdown"] {
            assert_eq!(counted_and_read(&[file], &markdown()), (true, 1), "{file}");
        }
        assert_eq!(counted_and_read(&["_old/2024-01-01-a.md", "2024-01-01-b.md"], &markdown()), (true, 1));
    }

    #[cfg(unix)]
    #[test]
    fn a_linked_folder_in_posts_is_not_entered_and_a_linked_post_counts() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        posts_folder(&site.join("elsewhere"));
        std::fs::create_dir(site.join("_posts")).unwrap();
        std::os::unix::fs::symlink("../elsewhere", site.join("_posts/linked")).unwrap();
        let read = || discover(&[site.join("_posts")], &markdown(), Some(site)).unwrap().posts.len();
        assert!(posts_folders_in(site, "", &[], None, &markdown()).is_empty());
        assert_eq!(read(), 0);
        // A linked file is a post of its own, as `discover` reads it.
        std::os::unix::fs::symlink("../elsewhere/2024-01-01-a.md", site.join("_posts/2024-02-01-b.md")).unwrap();
        assert_eq!(posts_folders_in(site, "", &[], None, &markdown()), [site.join("_posts")]);
        assert_eq!(read(), 1);
        // A link to a folder named as a post is no post.
        std::fs::create_dir(site.join("2024-03-01-c.md")).unwrap();
        std::fs::remove_file(site.join("_posts/2024-02-01-b.md")).unwrap();
        std::os::unix::fs::symlink("../2024-03-01-c.md", site.join("_posts/2024-03-01-c.md")).unwrap();
        assert!(posts_folders_in(site, "", &[], None, &markdown()).is_empty());
    }

    #[test]
    fn the_sites_include_brings_folders_back_as_in_jekyll() {
        let dir = tempfile::tempdir().unwrap();
        let site = dir.path();
        let folders = [
            "_posts",
            "_archive/_posts",
            "_archive_old/_posts",
            "blog/_archive/_posts",
            "x/news/_posts",
            ".blog/_posts",
            ".blog/drafts/_posts",
            ".jekyll-cache/_posts",
            "v1./_posts",
        ];
        for folder in folders {
            posts_folder(&site.join(folder));
        }
        let strings = |list: &[&str]| list.iter().map(|e| e.to_string()).collect::<Vec<_>>();
        let found = |exclude: &[&str], include: &[&str]| -> Vec<String> {
            posts_folders_in(site, "", &strings(exclude), Some(&strings(include)), &markdown())
                .iter()
                .map(|f| f.strip_prefix(site).unwrap().display().to_string())
                .collect()
        };
        assert_eq!(found(&[], &[]), ["_posts", "x/news/_posts"]);
        assert!(!found(&[], &["v1."]).contains(&"v1./_posts".to_string()), "a name ending in . is never entered");
        assert_eq!(
            posts_folders_in(site, "", &[], None, &markdown()),
            posts_folders_in(site, "", &[], Some(&strings(&[".htaccess"])), &markdown())
        );
        // The folder's name alone is matched, by prefix or fnmatch, wherever the folder is; a path matches no name.
        let every_archive =
            ["_archive/_posts", "_archive_old/_posts", "_posts", "blog/_archive/_posts", "x/news/_posts"];
        assert_eq!(found(&[], &["_archive"]), every_archive);
        assert_eq!(found(&[], &["_arch*"]), every_archive);
        assert_eq!(found(&[], &["blog/_archive"]), ["_posts", "x/news/_posts"]);
        // A trailing `/` names the folder alone, if the site has a folder of that name at its top.
        assert_eq!(found(&[], &["_archive/"]), ["_archive/_posts", "_posts", "blog/_archive/_posts", "x/news/_posts"]);
        // An included folder is entered although excluded; what is below it is not included with it.
        assert_eq!(found(&["_archive"], &["_archive"]), every_archive);
        assert_eq!(
            found(&["blog"], &["_archive"]),
            ["_archive/_posts", "_archive_old/_posts", "_posts", "x/news/_posts"]
        );
        assert_eq!(
            found(&["_archive/"], &["_archive"]),
            ["_archive_old/_posts", "_posts", "blog/_archive/_posts", "x/news/_posts"],
            "the posts below _archive/ are still excluded"
        );
        // Jekyll takes out of `exclude` the entries `include` holds letter for letter, which brings back a path.
        assert_eq!(found(&["x/news"], &[]), ["_posts"]);
        assert_eq!(found(&["x/news"], &["x/news"]), ["_posts", "x/news/_posts"]);
        assert_eq!(found(&["/x/news"], &["x/news"]), ["_posts"]);
        // Below an included folder whose name starts with `.`, exclude patterns match as they do elsewhere, and
        // Jekyll's default excludes count.
        assert_eq!(found(&["*/drafts"], &[".blog"]), [".blog/_posts", "_posts", "x/news/_posts"]);
        assert_eq!(found(&[], &[".jekyll"]), ["_posts", "x/news/_posts"]);
        assert_eq!(found(&[], &[".jekyll-cache"]), [".jekyll-cache/_posts", "_posts", "x/news/_posts"]);
    }

    #[test]
    fn missing_folders_are_errors() {
        assert!(matches!(
            discover(&[PathBuf::from("/no/such/_posts")], &markdown(), None),
            Err(DiscoverError::NotFound(_))
        ));
    }

    #[test]
    fn size_limit() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("2021-01-01-a.md");
        std::fs::write(&path, "0123456789").unwrap();
        let post = PostFile {
            path,
            display: String::new(),
            in_collection: String::new(),
            folder_categories: vec![],
            in_site: None,
            format: Format::Markdown,
        };
        assert_eq!(read(&post, 10).unwrap().len(), 10);
        assert_eq!(read(&post, 9), Err(SkipReason::TooLarge { size: 10, limit: 9 }));
    }
}
