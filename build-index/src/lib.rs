//! build-index: turns a Jekyll site's posts into a jiansuo search bundle.

pub mod yaml;
pub mod frontmatter;
pub mod date;
pub mod permalink;
pub mod extract;
pub mod liquid;
pub mod segment;
pub mod config;
pub mod report;
pub mod posts;
pub mod document;
pub mod assets;
pub mod output;
