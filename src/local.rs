//! A native host: reads a bundle from a folder and drives [`Index`] through its fetch rounds.
//!
//! Tests, benchmarks and command-line tools use it; browsers and Node use the JS API, which plays the same role.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::manifest::MANIFEST_FILE;
use crate::search::{Completion, Index, SearchOptions, SearchPage, Step};

#[derive(Debug, thiserror::Error)]
pub enum LocalError {
    #[error("{path}: {source}")]
    Io { path: PathBuf, source: std::io::Error },
    #[error(transparent)]
    Index(#[from] crate::Error),
    #[error("search did not settle after {0} rounds of fetching")]
    TooManyRounds(usize),
}

/// After this many fetch rounds for one query the engine is assumed to be looping. A query takes 3 or 4 rounds, a
/// rewritten one (pinyin, then a typo, then its words split) up to about a dozen; the JS host (`www/src/host.js`)
/// allows as many.
const MAX_ROUNDS: usize = 32;

pub struct LocalIndex {
    root: PathBuf,
    index: Index,
}

impl LocalIndex {
    pub fn open(root: impl AsRef<Path>) -> Result<LocalIndex, LocalError> {
        let root = root.as_ref().to_path_buf();
        let manifest = read_inflated(&root.join(MANIFEST_FILE))?;
        Ok(LocalIndex { index: Index::open(&manifest)?, root })
    }

    pub fn search(&mut self, query: &str, options: &SearchOptions) -> Result<SearchPage, LocalError> {
        self.drive(|index| index.search(query, options))
    }

    pub fn complete(&mut self, input: &str, limit: usize) -> Result<Vec<Completion>, LocalError> {
        self.drive(|index| index.complete(input, limit))
    }

    /// Asks, fetches what is needed, and asks again until the answer is there.
    fn drive<T>(&mut self, mut ask: impl FnMut(&mut Index) -> Result<Step<T>, crate::Error>) -> Result<T, LocalError> {
        for _ in 0..MAX_ROUNDS {
            match ask(&mut self.index)? {
                Step::Done(answer) => return Ok(answer),
                Step::Need(files) => {
                    for name in files {
                        let bytes = read_inflated(&self.root.join(&name))?;
                        self.index.add_file(&name, &bytes)?;
                    }
                }
            }
        }
        Err(LocalError::TooManyRounds(MAX_ROUNDS))
    }
}

fn read_inflated(path: &Path) -> Result<Vec<u8>, LocalError> {
    let io = |source| LocalError::Io { path: path.to_path_buf(), source };
    let compressed = std::fs::read(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(compressed.len() * 3);
    flate2::read::DeflateDecoder::new(compressed.as_slice()).read_to_end(&mut bytes).map_err(io)?;
    Ok(bytes)
}

#[cfg(test)]
mod tests {
    #[test]
    fn both_hosts_allow_as_many_rounds() {
        let host_js = include_str!("../www/src/host.js");
        assert!(host_js.contains(&format!("const MAX_ROUNDS = {};", super::MAX_ROUNDS)), "www/src/host.js differs");
    }
}
