//! The web assets that make a bundle usable on its own: the ESM API with the engine's host and glue
//! (`jiansuo.js`, also the search worker's script), the wasm engine and the `<jiansuo-search>` widget.
//!
//! They are embedded at compile time from `www/dist` (see `build.rs`), so one binary is all a
//! site needs. A binary built before `scripts/build-www.sh` ran has none; it then needs
//! `--assets <DIR>` (copy from a folder) or `--no-assets` (index files only).

use std::borrow::Cow;
use std::path::{Path, PathBuf};

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/embedded_assets.rs"));
}

/// The files the JavaScript side expects next to the index.
pub const EXPECTED: &[&str] = &["jiansuo.js", "jiansuo_engine_bg.wasm.deflate", "widget.js"];

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Source {
    /// The files embedded when this binary was compiled.
    Embedded,
    /// Every file below a folder.
    Folder(PathBuf),
    /// No assets: the bundle holds index files only.
    None,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Asset {
    /// Path inside the bundle, `/`-separated.
    pub name: String,
    pub bytes: Cow<'static, [u8]>,
}

#[derive(Debug, thiserror::Error)]
pub enum AssetError {
    #[error("this build-index was compiled without web assets (www/dist was missing); run scripts/build-www.sh and rebuild, or pass --assets <DIR> or --no-assets")]
    NotEmbedded,
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error("{0}: no files in it")]
    Empty(PathBuf),
    #[error("--assets {0}: no such folder")]
    NotAFolder(PathBuf),
}

/// Whether this binary carries embedded assets.
pub fn embedded_available() -> bool {
    embedded::EMBEDDED.is_some()
}

pub fn load(source: &Source) -> Result<Vec<Asset>, AssetError> {
    match source {
        Source::None => Ok(Vec::new()),
        Source::Embedded => {
            let files = embedded::EMBEDDED.ok_or(AssetError::NotEmbedded)?;
            Ok(files
                .iter()
                .map(|(name, bytes)| Asset { name: (*name).to_string(), bytes: Cow::Borrowed(*bytes) })
                .collect())
        }
        Source::Folder(folder) => {
            if !folder.is_dir() {
                return Err(AssetError::NotAFolder(folder.clone()));
            }
            let mut assets = Vec::new();
            read_folder(folder, folder, &mut assets)?;
            if assets.is_empty() {
                return Err(AssetError::Empty(folder.clone()));
            }
            assets.sort_by(|a, b| a.name.cmp(&b.name));
            Ok(assets)
        }
    }
}

fn read_folder(root: &Path, dir: &Path, assets: &mut Vec<Asset>) -> Result<(), AssetError> {
    fn io(path: &Path) -> impl FnOnce(std::io::Error) -> AssetError + '_ {
        move |source| AssetError::Io { path: path.to_path_buf(), source }
    }
    for entry in std::fs::read_dir(dir).map_err(io(dir))? {
        let path = entry.map_err(io(dir))?.path();
        // Symlinked folders are not entered: a loop must not recurse forever.
        if std::fs::symlink_metadata(&path).map_err(io(&path))?.is_dir() {
            read_folder(root, &path, assets)?;
        } else if std::fs::metadata(&path).map_err(io(&path))?.is_file() {
            let relative = path.strip_prefix(root).unwrap_or(&path);
            let name = relative.components().map(|c| c.as_os_str().to_string_lossy()).collect::<Vec<_>>().join("/");
            let bytes = std::fs::read(&path).map_err(io(&path))?;
            assets.push(Asset { name, bytes: Cow::Owned(bytes) });
        }
    }
    Ok(())
}

/// The names the assets take at the bundle's top level (a file's, or the folder it is in).
pub fn top_level_names(assets: &[Asset]) -> Vec<String> {
    let mut names: Vec<String> =
        assets.iter().filter_map(|asset| asset.name.split('/').next()).map(String::from).collect();
    names.sort();
    names.dedup();
    names
}

/// The expected files that `assets` lacks.
pub fn missing(assets: &[Asset]) -> Vec<&'static str> {
    EXPECTED.iter().copied().filter(|name| !assets.iter().any(|a| a.name == *name)).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folder_assets_are_read_recursively_and_sorted() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir(dir.path().join("snippets")).unwrap();
        std::fs::write(dir.path().join("extra.js"), "e").unwrap();
        std::fs::write(dir.path().join("snippets/a.js"), "a").unwrap();
        let assets = load(&Source::Folder(dir.path().to_path_buf())).unwrap();
        let names: Vec<&str> = assets.iter().map(|a| a.name.as_str()).collect();
        assert_eq!(names, ["extra.js", "snippets/a.js"]);
        assert_eq!(missing(&assets), ["jiansuo.js", "jiansuo_engine_bg.wasm.deflate", "widget.js"]);
    }

    #[test]
    fn empty_or_missing_folders_are_errors() {
        let dir = tempfile::tempdir().unwrap();
        assert!(matches!(load(&Source::Folder(dir.path().to_path_buf())), Err(AssetError::Empty(_))));
        assert!(matches!(load(&Source::Folder(dir.path().join("nope"))), Err(AssetError::NotAFolder(_))));
        assert_eq!(load(&Source::None).unwrap(), Vec::new());
    }

    #[test]
    fn embedded_assets_match_what_the_build_saw() {
        match load(&Source::Embedded) {
            Ok(assets) => assert!(!assets.is_empty()),
            Err(error) => assert!(matches!(error, AssetError::NotEmbedded)),
        }
    }
}
