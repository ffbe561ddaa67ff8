//! jiansuo (检索): exact Chinese full-text search for static sites, running natively and in WebAssembly.
//!
//! The engine is pure computation: it never does I/O. A host (the JS API in the browser or Node, or
//! [`local::LocalIndex`] natively) hands it the bundle's files as the engine asks for them.

pub mod day;
#[cfg(feature = "build")]
pub mod dedup;
pub mod error;
pub mod excerpt;
pub mod facet;
pub mod format;
mod fstcheck;
mod fstread;
#[cfg(not(target_arch = "wasm32"))]
pub mod local;
pub mod manifest;
pub mod normalize;
pub mod pinyin;
pub mod postings;
pub mod query;
pub mod rank;
pub mod search;
pub mod segment;
pub mod sort;
pub mod store;
pub mod termdict;
pub mod textcode;
pub mod token;
pub mod typo;

#[cfg(feature = "build")]
pub mod build;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::Error;
pub use facet::{FacetCount, Facets};
pub use search::{
    Alternative, Completion, Index, Rewrite, RewriteKind, SearchOptions, SearchPage, SearchResult, SortOrder, Step,
};
