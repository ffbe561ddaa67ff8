//! build-index: turns a Jekyll site's posts into a jiansuo search bundle.
//!
//! The binary (`main.rs`) only parses the command line; everything else is here, one concept per
//! module, so that tests can reach each part:
//!
//! - [`posts`] finds post files and reads them; [`document`] turns one into a search document,
//!   using [`frontmatter`] (on [`yaml`]), [`date`], [`permalink`], [`liquid`], [`kramdown`], [`extract`] and
//!   [`segment`], which counts [`phrases`] too ([`liquid`] and [`kramdown`] read markup with [`scan`]);
//! - [`config`] reads `_config.yml`, with the front matter [`defaults`] it sets; [`assets`] supplies the web assets; [`output`] swaps the
//!   bundle folder in; [`report`] accounts for every post; [`pipeline`] runs it all.

pub mod assets;
pub mod config;
pub mod date;
pub mod defaults;
pub mod document;
pub mod extract;
pub mod frontmatter;
pub mod kramdown;
pub mod liquid;
pub mod markdown;
pub mod output;
pub mod permalink;
pub mod phrases;
pub mod pipeline;
pub mod posts;
pub mod report;
pub mod scan;
pub mod segment;
pub mod yaml;
