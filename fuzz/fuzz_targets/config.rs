//! A `_config.yml` (lossy UTF-8) through config.rs, the front matter defaults and the settings the command line
//! takes from it, then a post converted with them (see `jiansuo_fuzz::jekyll::run_config`).
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jiansuo_fuzz::jekyll::run_config(&String::from_utf8_lossy(data));
});
