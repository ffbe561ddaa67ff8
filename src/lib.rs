//! jiansuo (检索): exact Chinese full-text search for static sites, running natively and in WebAssembly.
//!
//! The engine is pure computation: it never does I/O. A host (the JS API in the browser or Node, or
//! [`local::LocalIndex`] natively) hands it the bundle's files as the engine asks for them.

// The public interface: the types re-exported below (from `search` and `facet`), the query syntax's limits
// (`query`), the native host (`local`) and the indexer's side (`build`). The modules marked hidden are public only
// for the fuzz targets, tests and tools of this repository (they read and write the binary format directly); they
// are no stable API.
mod day;
#[cfg(feature = "build")]
#[doc(hidden)]
pub mod dedup;
mod error;
#[doc(hidden)]
pub mod excerpt;
#[doc(hidden)]
pub mod facet;
#[doc(hidden)]
pub mod format;
mod fstcheck;
mod fstread;
#[cfg(not(target_arch = "wasm32"))]
pub mod local;
#[doc(hidden)]
pub mod manifest;
#[doc(hidden)]
pub mod normalize;
#[doc(hidden)]
pub mod pinyin;
#[doc(hidden)]
pub mod postings;
pub mod query;
mod rank;
pub mod search;
mod segment;
mod sort;
#[doc(hidden)]
pub mod store;
#[doc(hidden)]
pub mod termdict;
#[doc(hidden)]
pub mod textcode;
#[doc(hidden)]
pub mod token;
mod typo;

#[cfg(feature = "build")]
pub mod build;
#[cfg(target_arch = "wasm32")]
mod wasm;

pub use error::Error;
pub use facet::{FacetCount, Facets};
pub use search::{
    Alternative, Completion, Index, Rewrite, RewriteKind, SearchOptions, SearchPage, SearchResult, SortOrder, Step,
};
