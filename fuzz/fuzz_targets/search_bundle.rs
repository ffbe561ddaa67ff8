//! A real bundle with one file mutated (see `jiansuo_fuzz::mutated_bundle`), searched as a host would.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    jiansuo_fuzz::run_queries(&jiansuo_fuzz::mutated_bundle(data));
});
