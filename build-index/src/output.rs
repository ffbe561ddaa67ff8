//! Replacing the output folder in one step, so a site never serves half a bundle.
//!
//! The new bundle is written into a hidden sibling folder (same file system, so renames are
//! atomic) and then swapped with the old one: on Linux with `renameat2(RENAME_EXCHANGE)`, a single
//! atomic step; elsewhere, or on file systems without it, with two renames and a roll-back. Until
//! the swap the previous bundle keeps serving; if writing fails it is left untouched.
//!
//! A folder that is neither empty nor a previous bundle (no `manifest.bin`) is never replaced:
//! `--out ~` by mistake must not delete a home folder. Nor is a bundle that holds anything else (a page Jekyll
//! wrote at the bundle's URL, `_site/search/index.html`, a stylesheet): replacing it would delete that too. Desktop
//! litter (`.DS_Store`, `Thumbs.db`, `desktop.ini`) is not counted: a folder with only that in it is empty.

use std::io;
use std::path::{Path, PathBuf};

/// The file every bundle has; its presence marks a folder as a bundle that may be replaced.
pub const MANIFEST: &str = "manifest.bin";

/// The folders of index files at a bundle's top level, one per kind.
const INDEX_FOLDERS: &[&str] = &["t", "p", "m", "d", "f", "s"];

/// The web assets earlier versions of build-index wrote at a bundle's top level, beside this one's
/// ([`crate::assets::EXPECTED`]).
const EARLIER_ASSET_NAMES: &[&str] = &["host.js", "jiansuo_engine.js", "jiansuo_engine_bg.wasm", "worker.js"];

/// Files a desktop leaves in any folder it shows, which nobody misses.
const DESKTOP_LITTER: &[&str] = &[".DS_Store", "Thumbs.db", "desktop.ini"];

/// Whether a bundle's top-level entry is one build-index writes (the manifest, an index folder, a web asset of this
/// version or an earlier one, or `own`: the top-level names of the assets this run writes, `--assets` included) or
/// desktop litter.
fn belongs_to_bundle(name: &str, is_dir: bool, own: &[String]) -> bool {
    let named = |list: &[&str]| list.contains(&name);
    own.iter().any(|own| own == name)
        || if is_dir {
            named(INDEX_FOLDERS)
        } else {
            name == MANIFEST || named(crate::assets::EXPECTED) || named(EARLIER_ASSET_NAMES) || named(DESKTOP_LITTER)
        }
}

/// Foreign names shown in an error; the rest are counted.
const NAMES_SHOWN: usize = 5;

fn list_names(names: &[String]) -> String {
    match names.len().checked_sub(NAMES_SHOWN) {
        Some(more) if more > 0 => format!("{} and {more} more", names[..NAMES_SHOWN].join(", ")),
        _ => names.join(", "),
    }
}

#[derive(Debug, thiserror::Error)]
pub enum OutputError {
    #[error("{0}: --out must name a folder (like `search` or `_site/search`)")]
    NoFolderName(PathBuf),
    #[error("{0}: exists and is not a folder")]
    NotAFolder(PathBuf),
    #[error("{0}: not empty and not a jiansuo bundle (no {MANIFEST}); refusing to replace it")]
    NotABundle(PathBuf),
    #[error(
        "{path}: a jiansuo bundle, but it also holds {} that replacing it would delete; refusing to replace it \
         (move them, or give --out a folder of its own: a page Jekyll wrote at this URL needs another one)",
        list_names(.names)
    )]
    NotOnlyABundle { path: PathBuf, names: Vec<String> },
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: io::Error },
}

fn io_error(path: &Path) -> impl FnOnce(io::Error) -> OutputError + '_ {
    move |source| OutputError::Io { path: path.to_path_buf(), source }
}

/// The folder `target` names (through a symbolic link), if it may be replaced: checked before any post is read,
/// so that a mistaken `--out` fails at once. `own`: the top-level names of the assets the run writes.
pub fn check_target(target: &Path, own: &[String]) -> Result<(), OutputError> {
    checked_target(target, own).map(|_| ())
}

/// The folder to replace (`target`, or the folder it points to when it is a symbolic link), and whether it exists;
/// an error when it may not be replaced.
fn checked_target(target: &Path, own: &[String]) -> Result<(PathBuf, bool), OutputError> {
    let folder = match std::fs::symlink_metadata(target) {
        Ok(meta) if meta.file_type().is_symlink() => std::fs::canonicalize(target).map_err(io_error(target))?,
        _ => target.to_path_buf(),
    };
    if folder.file_name().is_none() {
        return Err(OutputError::NoFolderName(folder));
    }
    let existing = check_replaceable(&folder, own)?;
    Ok((folder, existing))
}

/// Fills a fresh folder with `write` and puts it in place of `target`. A `target` that is a symbolic link stays
/// one: the folder it points to is replaced. `own`: as for [`check_target`].
pub fn replace_folder(
    target: &Path,
    own: &[String],
    write: impl FnOnce(&Path) -> io::Result<()>,
) -> Result<(), OutputError> {
    let (folder, existing) = checked_target(target, own)?;
    let target = folder.as_path();
    let name = target.file_name().ok_or_else(|| OutputError::NoFolderName(target.to_path_buf()))?;
    let parent = match target.parent() {
        Some(parent) if !parent.as_os_str().is_empty() => parent.to_path_buf(),
        _ => PathBuf::from("."),
    };
    std::fs::create_dir_all(&parent).map_err(io_error(&parent))?;
    remove_abandoned_staging(&parent, &name.to_string_lossy());

    let staging = parent.join(format!(".{}.new-{}", name.to_string_lossy(), std::process::id()));
    if staging.exists() {
        std::fs::remove_dir_all(&staging).map_err(io_error(&staging))?;
    }
    std::fs::create_dir(&staging).map_err(io_error(&staging))?;
    if let Err(source) = write(&staging) {
        let _ = std::fs::remove_dir_all(&staging);
        return Err(OutputError::Io { path: staging, source });
    }

    if !existing {
        return std::fs::rename(&staging, target).map_err(|source| {
            let _ = std::fs::remove_dir_all(&staging);
            OutputError::Io { path: target.to_path_buf(), source }
        });
    }
    // `staging` holds the old bundle after the swap.
    let swapped = exchange(&staging, target).or_else(|_| swap_by_renaming(&staging, target, &parent, name));
    match swapped {
        Ok(old) => {
            // The new bundle is in place; a stale old one left behind is untidy, not an error.
            remove_folder(&old);
            Ok(())
        }
        Err(source) => {
            let _ = std::fs::remove_dir_all(&staging);
            Err(OutputError::Io { path: target.to_path_buf(), source })
        }
    }
}

/// Whether `target` exists (and may be replaced).
fn check_replaceable(target: &Path, own: &[String]) -> Result<bool, OutputError> {
    let meta = match std::fs::metadata(target) {
        Ok(meta) => meta,
        Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(false),
        Err(source) => return Err(OutputError::Io { path: target.to_path_buf(), source }),
    };
    if !meta.is_dir() {
        return Err(OutputError::NotAFolder(target.to_path_buf()));
    }
    let mut foreign = Vec::new();
    let mut empty = true;
    for entry in std::fs::read_dir(target).map_err(io_error(target))? {
        let entry = entry.map_err(io_error(target))?;
        let name = entry.file_name().to_string_lossy().into_owned();
        // A folder with only desktop litter in it is as good as empty.
        empty &= DESKTOP_LITTER.contains(&name.as_str());
        if !belongs_to_bundle(&name, entry.file_type().is_ok_and(|kind| kind.is_dir()), own) {
            foreign.push(name);
        }
    }
    if empty {
        return Ok(true);
    }
    if !target.join(MANIFEST).is_file() {
        return Err(OutputError::NotABundle(target.to_path_buf()));
    }
    if !foreign.is_empty() {
        foreign.sort();
        return Err(OutputError::NotOnlyABundle { path: target.to_path_buf(), names: foreign });
    }
    Ok(true)
}

#[cfg(target_os = "linux")]
fn exchange(staging: &Path, target: &Path) -> io::Result<PathBuf> {
    use rustix::fs::{renameat_with, RenameFlags, CWD};
    renameat_with(CWD, staging, CWD, target, RenameFlags::EXCHANGE)?;
    Ok(staging.to_path_buf())
}

#[cfg(not(target_os = "linux"))]
fn exchange(_staging: &Path, _target: &Path) -> io::Result<PathBuf> {
    Err(io::Error::new(io::ErrorKind::Unsupported, "no atomic exchange here"))
}

/// Removes the staging and set-aside folders (`.search.new-<pid>`, `.search.old-<pid>`) of runs that were killed
/// before they could: those whose process is gone. Where that cannot be told (no `/proc`), they are left.
fn remove_abandoned_staging(parent: &Path, name: &str) {
    if !Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(parent) else { return };
    for entry in entries.flatten() {
        let file_name = entry.file_name();
        let Some(rest) = file_name.to_str().and_then(|n| n.strip_prefix('.')).and_then(|n| n.strip_prefix(name)) else {
            continue;
        };
        let Some(pid) = rest.strip_prefix(".new-").or_else(|| rest.strip_prefix(".old-")) else { continue };
        let Ok(pid) = pid.parse::<u32>() else { continue };
        let is_dir = entry.file_type().is_ok_and(|kind| kind.is_dir());
        if is_dir && pid != std::process::id() && !Path::new(&format!("/proc/{pid}")).exists() {
            remove_folder(&entry.path());
        }
    }
}

/// Threads removing an old bundle's files at once.
const REMOVERS: usize = 8;

/// Removes a folder and everything below it, as far as it can. A removed file costs little CPU but waits on the
/// file system (more so on disks that discard freed blocks), so several threads remove files at once: the 60,000
/// files of a 45,000-post bundle took 19 s one by one on a loaded machine and 3 s with 8 threads.
fn remove_folder(folder: &Path) {
    // A link is removed, never followed: what it points to is not ours.
    if std::fs::symlink_metadata(folder).is_ok_and(|meta| !meta.is_dir()) {
        let _ = std::fs::remove_file(folder);
        return;
    }
    let mut files = Vec::new();
    let mut folders = vec![folder.to_path_buf()];
    while let Some(next) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&next) else { continue };
        for entry in entries.flatten() {
            // The entry's own type: a symlinked folder is removed as a link, never followed.
            match entry.file_type() {
                Ok(kind) if kind.is_dir() => folders.push(entry.path()),
                _ => files.push(entry.path()),
            }
        }
    }
    let next = std::sync::atomic::AtomicUsize::new(0);
    std::thread::scope(|scope| {
        for _ in 0..REMOVERS.min(files.len().div_ceil(256)) {
            scope.spawn(|| {
                while let Some(file) = files.get(next.fetch_add(1, std::sync::atomic::Ordering::Relaxed)) {
                    let _ = std::fs::remove_file(file);
                }
            });
        }
    });
    // What is left: the folders, and any file that could not be removed above.
    let _ = std::fs::remove_dir_all(folder);
}

/// Old bundle aside, new one in; puts the old one back if the second rename fails.
fn swap_by_renaming(staging: &Path, target: &Path, parent: &Path, name: &std::ffi::OsStr) -> io::Result<PathBuf> {
    let old = parent.join(format!(".{}.old-{}", name.to_string_lossy(), std::process::id()));
    std::fs::rename(target, &old)?;
    if let Err(error) = std::fs::rename(staging, target) {
        let _ = std::fs::rename(&old, target);
        return Err(error);
    }
    Ok(old)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The names in `dir`, sorted.
    fn names(dir: &Path) -> Vec<std::ffi::OsString> {
        let mut names: Vec<_> = std::fs::read_dir(dir).unwrap().map(|e| e.unwrap().file_name()).collect();
        names.sort();
        names
    }

    fn write_bundle(content: &'static str) -> impl FnOnce(&Path) -> io::Result<()> {
        move |dir| {
            std::fs::write(dir.join(MANIFEST), content)?;
            std::fs::create_dir(dir.join("t"))?;
            std::fs::write(dir.join("t/x.bin"), content)
        }
    }

    #[test]
    fn creates_then_replaces_a_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("site/search");
        replace_folder(&out, &[], write_bundle("one")).unwrap();
        assert_eq!(std::fs::read_to_string(out.join("t/x.bin")).unwrap(), "one");
        replace_folder(&out, &[], write_bundle("two")).unwrap();
        assert_eq!(std::fs::read_to_string(out.join(MANIFEST)).unwrap(), "two");
        assert_eq!(names(&dir.path().join("site")), ["search"]);
    }

    #[test]
    fn a_failed_write_leaves_the_old_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("search");
        replace_folder(&out, &[], write_bundle("old")).unwrap();
        let error = replace_folder(&out, &[], |_| Err(io::Error::other("disk full"))).unwrap_err();
        assert!(error.to_string().contains("disk full"));
        assert_eq!(std::fs::read_to_string(out.join(MANIFEST)).unwrap(), "old");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn refuses_folders_that_are_not_bundles() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::write(dir.path().join("precious.txt"), "keep").unwrap();
        assert!(matches!(replace_folder(dir.path(), &[], write_bundle("x")), Err(OutputError::NotABundle(_))));
        assert!(matches!(
            replace_folder(&dir.path().join("precious.txt"), &[], write_bundle("x")),
            Err(OutputError::NotAFolder(_))
        ));
        assert!(matches!(replace_folder(Path::new("/"), &[], write_bundle("x")), Err(OutputError::NoFolderName(_))));
        let empty = dir.path().join("empty");
        std::fs::create_dir(&empty).unwrap();
        std::fs::write(empty.join(".DS_Store"), "litter").unwrap();
        replace_folder(&empty, &[], write_bundle("x")).unwrap();
        assert!(empty.join(MANIFEST).is_file());
    }

    #[test]
    fn refuses_bundles_that_hold_other_files() {
        let dir = tempfile::tempdir().unwrap();
        let out = dir.path().join("search");
        replace_folder(&out, &[], write_bundle("old")).unwrap();
        // What Jekyll writes for a page at /search/ beside the bundle it copied there, a script of the site's own, an
        // earlier bundle's assets, desktop litter, and what this run's --assets folder writes.
        std::fs::write(out.join("index.html"), "page").unwrap();
        std::fs::create_dir(out.join("img")).unwrap();
        std::fs::write(out.join("search.js"), "the site's").unwrap();
        for asset in ["jiansuo.js", "worker.js", "jiansuo_engine_bg.wasm.deflate", ".DS_Store", "theme.css"] {
            std::fs::write(out.join(asset), "asset").unwrap();
        }
        std::fs::create_dir(out.join("fonts")).unwrap();
        let own = ["theme.css".to_string(), "fonts".to_string()];
        let error = replace_folder(&out, &own, write_bundle("new")).unwrap_err();
        let foreign = ["img", "index.html", "search.js"];
        assert!(matches!(&error, OutputError::NotOnlyABundle { names, .. } if names == &foreign));
        let message = error.to_string();
        assert!(message.contains("also holds img, index.html, search.js that replacing it would delete"), "{message}");
        assert_eq!(std::fs::read_to_string(out.join("index.html")).unwrap(), "page");
        assert_eq!(std::fs::read_to_string(out.join(MANIFEST)).unwrap(), "old");
        for name in foreign {
            std::fs::remove_dir_all(out.join(name)).or_else(|_| std::fs::remove_file(out.join(name))).unwrap();
        }
        replace_folder(&out, &own, write_bundle("new")).unwrap();
        assert_eq!(std::fs::read_to_string(out.join(MANIFEST)).unwrap(), "new");
        assert_eq!(list_names(&(1..=7).map(|i| i.to_string()).collect::<Vec<_>>()), "1, 2, 3, 4, 5 and 2 more");
    }

    #[cfg(unix)]
    #[test]
    fn a_link_to_a_bundle_stays_a_link_to_the_new_bundle() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        replace_folder(&real, &[], write_bundle("old")).unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        replace_folder(&link, &[], write_bundle("new")).unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read_to_string(real.join("t/x.bin")).unwrap(), "new");
        assert_eq!(names(dir.path()), ["link", "real"]);
    }

    #[cfg(target_os = "linux")]
    #[test]
    fn folders_of_killed_runs_are_removed() {
        let dir = tempfile::tempdir().unwrap();
        // No process has pid 4,000,000,000 (Linux's limit is 2^22); pid 1 is running.
        for stale in [".search.new-4000000000", ".search.old-4000000000", ".search.new-1", ".other.new-4000000000"] {
            std::fs::create_dir(dir.path().join(stale)).unwrap();
        }
        replace_folder(&dir.path().join("search"), &[], write_bundle("x")).unwrap();
        assert_eq!(names(dir.path()), [".other.new-4000000000", ".search.new-1", "search"]);
    }

    #[cfg(unix)]
    #[test]
    fn removing_a_link_leaves_its_target() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real");
        std::fs::create_dir(&real).unwrap();
        std::fs::write(real.join("keep"), "").unwrap();
        let link = dir.path().join("link");
        std::os::unix::fs::symlink(&real, &link).unwrap();
        remove_folder(&link);
        assert!(std::fs::symlink_metadata(&link).is_err());
        assert!(real.join("keep").is_file());
    }

    #[test]
    fn fallback_swap_works() {
        let dir = tempfile::tempdir().unwrap();
        let target = dir.path().join("search");
        let staging = dir.path().join("staging");
        std::fs::create_dir(&target).unwrap();
        std::fs::create_dir(&staging).unwrap();
        std::fs::write(staging.join("new"), "").unwrap();
        let old = swap_by_renaming(&staging, &target, dir.path(), std::ffi::OsStr::new("search")).unwrap();
        assert!(target.join("new").is_file());
        assert!(old.is_dir());
    }
}
