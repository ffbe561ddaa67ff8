//! One post file through `document::convert`, as build-index converts each file of `_posts`. Input: a byte that picks
//! the site's settings, the path below `_posts` up to a newline, then the file (see `jiansuo_fuzz::jekyll`).
#![no_main]

use jiansuo_fuzz::jekyll::{check_post, convert, post_input};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Some(input) = post_input(data) else { return };
    let result = convert(&input);
    check_post(&input, &result);
});
