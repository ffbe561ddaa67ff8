//! `wasm-prune IN OUT`: the last step of the engine's wasm build (scripts/build-www.sh), on wasm-bindgen's output.
//!
//! wasm-bindgen's CLI reads the describe functions that `#[wasm_bindgen]` exports, then removes them, but it keeps
//! the whole function table (since wasm-bindgen#4564, 2025). js-sys describes every import it declares,
//! and each import that takes a closure takes the address of a closure invoke shim: 43 shims, about 4.5 kB of code
//! that nothing calls, land in the engine's table. Their slots are dead: the describe functions were their only
//! references, and the function table is neither exported nor imported, so JavaScript cannot reach a slot either.
//! This tool points those slots at one `unreachable` function, lets walrus collect what is no longer referenced,
//! and drops every custom section (names, producers, target features), which a browser does not read.
//! `wasm_prune::prune` says what is refused.

use std::process::ExitCode;

use wasm_prune::prune_file;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [input, output] = args.as_slice() else {
        eprintln!("usage: wasm-prune IN OUT   (IN: a module bound by wasm-bindgen, with its name section)");
        return ExitCode::from(2);
    };
    match prune_file(input.as_ref(), output.as_ref()) {
        Ok(report) => {
            eprintln!(
                "wasm-prune: {input}: {} dead table slots, {} → {} bytes",
                report.dead_slots, report.bytes_in, report.bytes_out
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("wasm-prune: {e}");
            ExitCode::FAILURE
        }
    }
}
