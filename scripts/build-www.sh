#!/usr/bin/env bash
# Builds the web assets of jiansuo into www/dist/:
#   jiansuo_engine_bg.wasm.deflate  the engine (crate `jiansuo`, release, wasm32-unknown-unknown), deflate-raw
#   jiansuo.js   the API with the engine's host (www/src/jiansuo.js + worker.js + host.js + the wasm-bindgen glue,
#                --target web, less the branches host.js never takes: scripts/trim-glue.mjs) in one file, bundled
#                by esbuild: the page imports it, and the search worker is started on the same file, which the
#                browser has then already
#   widget.js    www/src/widget.js (imports ./jiansuo.js)
# all minified. Without esbuild (npm ci) the files of www/src and the glue are copied as they are.
#
# build-index embeds www/dist at compile time, so run this before building build-index.
#
# Usage: scripts/build-www.sh [--js-only] [--no-minify]
#   --js-only    keep the engine already in www/dist, rebuild only the JS from www/src
#   --no-minify  bundle without minifying
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

js_only=0
minify=1
for arg in "$@"; do
  case "$arg" in
    --js-only) js_only=1 ;;
    --no-minify) minify=0 ;;
    -h|--help) sed -n '2,14p' "$0"; exit 0 ;;
    *) echo "build-www: unknown argument: $arg" >&2; exit 2 ;;
  esac
done

dist="www/dist"
# Everything is built in a staging folder, then only files whose bytes changed are copied into www/dist:
# build-index embeds www/dist and recompiles whenever a file there is touched.
out="target/www-staging"
pkg="target/www-pkg"
mkdir -p "$dist"

if [[ $js_only == 0 ]]; then
  # The wasm-bindgen CLI must be exactly the version the crate links, or the glue does not match the module.
  want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
  if [[ -z "$want" ]]; then
    want="$(sed -n 's/^wasm-bindgen = "=\{0,1\}\([0-9.]*\)".*/\1/p' Cargo.toml | head -n1)"
  fi
  if [[ -z "$want" ]]; then
    echo "build-www: cannot tell which wasm-bindgen version the crate uses (Cargo.lock, Cargo.toml)" >&2
    exit 1
  fi
  bindgen="$(command -v wasm-bindgen || true)"
  [[ -z "$bindgen" && -x "$HOME/.cargo/bin/wasm-bindgen" ]] && bindgen="$HOME/.cargo/bin/wasm-bindgen"
  if [[ -z "$bindgen" ]]; then
    echo "build-www: wasm-bindgen CLI not found; install it with: cargo install wasm-bindgen-cli --version $want --locked" >&2
    exit 1
  fi
  have="$("$bindgen" --version | awk '{ print $2 }')"
  if [[ "$have" != "$want" ]]; then
    echo "build-www: wasm-bindgen CLI is $have but the crate uses wasm-bindgen $want;" >&2
    echo "           install the matching CLI: cargo install wasm-bindgen-cli --version $want --locked --force" >&2
    exit 1
  fi

  # Panic locations name the dependencies' source files by where cargo unpacked them
  # (~/.cargo/registry/src/index.crates.io-<hash>/js-sys-…/src/…): remapped to the crate's own folder, the module
  # is the same on every machine and 70 bytes shorter per such path. The flags go in as configuration (TOML
  # literal strings: any path without a ' is fine), which adds to the wasm target's rustflags of the user's own
  # configuration; RUSTFLAGS or CARGO_ENCODED_RUSTFLAGS, when set, take their place (checked below).
  remaps=()
  for registry in "${CARGO_HOME:-$HOME/.cargo}"/registry/src/*/; do
    [[ -d "$registry" ]] || continue
    registry="$(cd "$registry" && pwd)/" # as cargo names it: absolute, no doubled or trailing slashes
    [[ "$registry" == *"'"* ]] || remaps+=("'--remap-path-prefix=$registry='")
  done
  config=()
  if ((${#remaps[@]})); then
    config=(--config "target.wasm32-unknown-unknown.rustflags = [$(IFS=,; echo "${remaps[*]}")]")
  fi
  echo "build-www: cargo build --profile wasm-release --target wasm32-unknown-unknown -p jiansuo"
  cargo build --profile wasm-release --target wasm32-unknown-unknown -p jiansuo "${config[@]}"
  wasm="target/wasm32-unknown-unknown/wasm-release/jiansuo.wasm"
  [[ -f "$wasm" ]] || { echo "build-www: $wasm was not produced" >&2; exit 1; }
  if grep -q -a 'registry/src/' "$wasm"; then
    echo "build-www: warning: the engine names cargo's registry folder in its panic locations (RUSTFLAGS or" >&2
    echo "           CARGO_ENCODED_RUSTFLAGS set?): about 60 bytes more, and it differs from machine to machine" >&2
  fi

  rm -rf "$pkg"
  # The name section stays for wasm-prune, which tells wasm-bindgen's dead closure shims by their names and then
  # drops every custom section. The engine is always handed its bytes (host.js), and every browser it runs in
  # has TextEncoder.encodeInto: the glue needs neither fallback.
  "$bindgen" --target web --encode-into always --omit-default-module-path \
    --out-name jiansuo_engine --out-dir "$pkg" "$wasm"
  # An untrimmed glue must not stay behind for a later --js-only.
  node scripts/trim-glue.mjs "$pkg/jiansuo_engine.js" || { rm -rf "$pkg"; exit 1; }
  echo "build-www: cargo run --release -p wasm-prune"
  cargo run --quiet --release -p wasm-prune -- "$pkg/jiansuo_engine_bg.wasm" "$pkg/jiansuo_engine_bg.wasm"

  rm -rf "$out"
  mkdir -p "$out"
  # Stored deflate-compressed like the index files (host.js inflates it): compact on any static host.
  node scripts/deflate-raw.mjs "$pkg/jiansuo_engine_bg.wasm" "$out/jiansuo_engine_bg.wasm.deflate"
elif [[ ! -f "$dist/jiansuo_engine_bg.wasm.deflate" || ! -f "$pkg/jiansuo_engine.js" ]]; then
  echo "build-www: --js-only needs an engine already built ($dist, $pkg: run without --js-only first)" >&2
  exit 1
else
  rm -rf "$out"
  mkdir -p "$out"
  cp "$dist/jiansuo_engine_bg.wasm.deflate" "$out/"
fi

esbuild="node_modules/.bin/esbuild"
if [[ ! -x "$esbuild" ]]; then
  echo "build-www: esbuild is not installed (npm ci); copying the JS unbundled and unminified" >&2
fi

# The sources beside the glue (of the wasm in www/dist), as worker.js imports it.
src="target/www-src"
rm -rf "$src"
mkdir -p "$src"
cp www/src/jiansuo.js www/src/host.js www/src/worker.js www/src/widget.js "$src/"
# The generated TypeScript file describes the raw glue; the package ships its own jiansuo.d.ts.
cp "$pkg/jiansuo_engine.js" "$src/"
if [[ -x "$esbuild" ]]; then
  flags=(--bundle --format=esm --target=es2022 --legal-comments=none --log-level=warning)
  [[ $minify == 1 ]] && flags+=(--minify)
  # The API and everything the worker runs, in one file: the worker's script is the page's, already loaded.
  "$esbuild" "$src/jiansuo.js" --outfile="$out/jiansuo.js" "${flags[@]}"
  "$esbuild" "$src/widget.js" --outfile="$out/widget.js" --external:./jiansuo.js "${flags[@]}"
else
  cp "$src"/*.js "$out/"
fi

# Into www/dist: changed files only, and nothing left over from an earlier build.
for f in "$out"/*; do
  cmp -s "$f" "$dist/$(basename "$f")" || cp "$f" "$dist/"
done
for f in "$dist"/*; do
  [[ -e "$out/$(basename "$f")" ]] || rm -f "$f"
done

# Sizes as a visitor downloads them (gzip -9 as most static hosts do).
total=0
printf 'build-www: %-26s %9s %9s\n' file bytes gzip
for f in "$dist"/*; do
  raw=$(wc -c <"$f")
  gz=$(gzip -9c "$f" | wc -c)
  total=$((total + gz))
  printf 'build-www: %-26s %9d %9d\n' "$(basename "$f")" "$raw" "$gz"
done
printf 'build-www: %-26s %9s %9d\n' "total (gzip)" "" "$total"
