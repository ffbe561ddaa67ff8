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

pub struct LocalIndex {
    root: PathBuf,
    index: Index,
    /// Bytes read from disk (as stored, compressed) since opening.
    pub bytes_read: u64,
}

impl LocalIndex {
    pub fn open(root: impl AsRef<Path>) -> Result<LocalIndex, LocalError> {
        let root = root.as_ref().to_path_buf();
        let (manifest, size) = read_inflated(&root.join(MANIFEST_FILE))?;
        Ok(LocalIndex { index: Index::open(&manifest)?, root, bytes_read: size })
    }

    pub fn index(&self) -> &Index {
        &self.index
    }

    pub fn search(&mut self, query: &str, options: &SearchOptions) -> Result<SearchPage, LocalError> {
        self.drive(|index| index.search(query, options))
    }

    pub fn complete(&mut self, input: &str, limit: usize) -> Result<Vec<Completion>, LocalError> {
        self.drive(|index| index.complete(input, limit))
    }

    /// Asks, fetches what is needed, and asks again until the answer is there.
    fn drive<T>(&mut self, mut ask: impl FnMut(&mut Index) -> Result<Step<T>, crate::Error>) -> Result<T, LocalError> {
        const MAX_ROUNDS: usize = 8;
        for _ in 0..MAX_ROUNDS {
            match ask(&mut self.index)? {
                Step::Done(answer) => return Ok(answer),
                Step::Need(files) => {
                    for name in files {
                        let (bytes, size) = read_inflated(&self.root.join(&name))?;
                        self.bytes_read += size;
                        self.index.add_file(&name, &bytes)?;
                    }
                }
            }
        }
        Err(LocalError::TooManyRounds(MAX_ROUNDS))
    }
}

fn read_inflated(path: &Path) -> Result<(Vec<u8>, u64), LocalError> {
    let io = |source| LocalError::Io { path: path.to_path_buf(), source };
    let compressed = std::fs::read(path).map_err(io)?;
    let mut bytes = Vec::with_capacity(compressed.len() * 3);
    flate2::read::DeflateDecoder::new(compressed.as_slice()).read_to_end(&mut bytes).map_err(io)?;
    Ok((bytes, compressed.len() as u64))
}
