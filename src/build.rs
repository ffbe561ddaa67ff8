//! The index writer (feature `build`): turns documents into a bundle of index files.
//!
//! PLACEHOLDER SIGNATURES — being implemented; the API below is the contract build-index codes against.

use std::path::Path;

/// One post, as build-index hands it over.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub url: String,
    pub title: String,
    /// RFC 3339 with the post's UTC offset, e.g. `2022-01-26T09:29:35+08:00`.
    pub date: String,
    /// Seconds since the Unix epoch; documents are numbered newest first by it.
    pub timestamp: i64,
    pub categories: Vec<String>,
    pub tags: Vec<String>,
    /// Plain text of the body; block elements separated by `\n`.
    pub text: String,
    /// jieba's words for title and text: the vocabulary for query segmentation and completions.
    pub words: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct BuildOptions {
    /// Half-life in days of the recency prior in ranking; 0 disables it.
    pub recency_half_life_days: f32,
}

impl Default for BuildOptions {
    fn default() -> Self {
        BuildOptions { recency_half_life_days: 365.0 }
    }
}

/// A file of the bundle, bytes as they are to be written.
#[derive(Debug, Clone)]
pub struct BundleFile {
    /// Path relative to the bundle root, `/`-separated.
    pub path: String,
    pub bytes: Vec<u8>,
}

#[derive(Debug, Default)]
pub struct Bundle {
    pub files: Vec<BundleFile>,
}

impl Bundle {
    /// Writes every file below `dir` (which must exist), creating subfolders.
    pub fn write_to(&self, dir: &Path) -> std::io::Result<()> {
        for file in &self.files {
            let path = dir.join(&file.path);
            if let Some(parent) = path.parent() {
                std::fs::create_dir_all(parent)?;
            }
            std::fs::write(path, &file.bytes)?;
        }
        Ok(())
    }
}

#[derive(Debug, thiserror::Error)]
pub enum BuildError {
    #[error("no documents to index")]
    Empty,
}

pub struct IndexBuilder {
    options: BuildOptions,
    documents: Vec<Document>,
}

impl IndexBuilder {
    pub fn new(options: BuildOptions) -> Self {
        IndexBuilder { options, documents: Vec::new() }
    }

    pub fn add(&mut self, document: Document) {
        self.documents.push(document);
    }

    pub fn finish(self) -> Result<Bundle, BuildError> {
        let _ = &self.options;
        if self.documents.is_empty() {
            return Err(BuildError::Empty);
        }
        todo!("index writer")
    }
}
