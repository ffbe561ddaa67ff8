#!/usr/bin/env bash
# Installs everything that building, demoing and testing jiansuo needs, on a Debian machine that already has
# rustup/cargo and node/npm:
#   - the Rust target wasm32-unknown-unknown (and the clippy and rustfmt components)
#   - wasm-bindgen-cli at exactly the version of the wasm-bindgen crate in Cargo.lock
#   - Debian's chromium and fonts-wqy-microhei (headless browser tests; CJK glyphs in screenshots)
#   - the npm dependencies of the root package.json and of bench/package.json (`npm ci`)
# Idempotent: each step checks first and does nothing when its part is already there, so a second run takes
# about a second. Never downloads a browser of its own (Playwright uses /usr/bin/chromium).
#
# Usage: scripts/setup.sh        (as root, or with sudo available for apt-get)
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

export PATH="${HOME:-/root}/.cargo/bin:$PATH"
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1
export DEBIAN_FRONTEND=noninteractive

say() { echo "setup: $*"; }
die() { echo "setup: error: $*" >&2; exit 1; }
timed() { # timed LABEL CMD...: runs CMD and says how long it took
  local label="$1" start=$SECONDS
  shift
  say "$label"
  "$@"
  say "$label: done in $((SECONDS - start)) s"
}

for tool in rustup cargo node npm; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is not on PATH; this script expects rustup/cargo and node/npm"
done

# --- Rust: wasm target and lint components -------------------------------------------------------------
if ! rustup target list --installed | grep -qx 'wasm32-unknown-unknown'; then
  timed "rustup target add wasm32-unknown-unknown" rustup target add wasm32-unknown-unknown
fi
missing_components=()
installed_components="$(rustup component list --installed)"
for component in clippy rustfmt; do
  grep -q "^$component" <<<"$installed_components" || missing_components+=("$component")
done
if ((${#missing_components[@]})); then
  timed "rustup component add ${missing_components[*]}" rustup component add "${missing_components[@]}"
fi

# --- wasm-bindgen-cli, pinned to the crate's version ------------------------------------------------------
# The CLI must match the wasm-bindgen crate exactly, or the generated glue does not fit the module.
want="$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)"
[[ "$want" =~ ^[0-9]+\.[0-9]+\.[0-9]+$ ]] || die "cannot read the wasm-bindgen version from Cargo.lock (got '$want')"
have=""
if command -v wasm-bindgen >/dev/null 2>&1; then
  have="$(wasm-bindgen --version | awk '{ print $2 }')"
fi
if [[ "$have" != "$want" ]]; then
  # About 4 minutes on 2 cores. --force: also replace a wasm-bindgen that cargo did not install.
  timed "cargo install wasm-bindgen-cli --version $want (found '${have:-none}')" \
    cargo install --force wasm-bindgen-cli --version "$want"
  have="$(wasm-bindgen --version | awk '{ print $2 }')"
  [[ "$have" == "$want" ]] || die "wasm-bindgen --version says $have after installing $want"
fi

# --- Debian packages: headless Chromium and a CJK font -----------------------------------------------------
apt_missing=()
dpkg -s chromium >/dev/null 2>&1 && command -v chromium >/dev/null 2>&1 || apt_missing+=(chromium)
dpkg -s fonts-wqy-microhei >/dev/null 2>&1 || apt_missing+=(fonts-wqy-microhei)
# A C compiler: build-index compresses with libdeflate, which the libdeflate-sys crate compiles from C.
command -v cc >/dev/null 2>&1 || apt_missing+=(gcc libc6-dev)
if ((${#apt_missing[@]})); then
  sudo=()
  if [[ $(id -u) != 0 ]]; then
    command -v sudo >/dev/null 2>&1 || die "need root (or sudo) to apt-get install ${apt_missing[*]}"
    sudo=(sudo -E)
  fi
  timed "apt-get update" "${sudo[@]}" apt-get update -q
  timed "apt-get install ${apt_missing[*]}" "${sudo[@]}" apt-get install -y -q "${apt_missing[@]}"
fi

# --- npm dependencies: the root package.json (tests, esbuild) and bench/'s (the evaluation's own tests) ---------
# <dir>/node_modules/.jiansuo-setup records the package.json and package-lock.json it was installed from;
# a missing or different record means node_modules is missing or stale.
npm_dirs=()
for dir in . bench; do
  [[ -f "$dir/package.json" ]] || continue
  npm_dirs+=("$dir")
  stamp_file="$dir/node_modules/.jiansuo-setup"
  stamp="$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  [[ -f "$stamp_file" && "$(cat "$stamp_file")" == "$stamp" ]] && continue
  if [[ -f "$dir/package-lock.json" ]]; then
    timed "npm ci in $dir" npm ci --prefix "$dir" --no-audit --no-fund
  else
    timed "npm install in $dir (no package-lock.json)" npm install --prefix "$dir" --no-audit --no-fund
    stamp="$(cat "$dir/package.json" "$dir/package-lock.json" 2>/dev/null | sha256sum | cut -d' ' -f1)"
  fi
  echo "$stamp" >"$stamp_file"
done

say "ok: wasm32-unknown-unknown, wasm-bindgen $want, chromium, fonts-wqy-microhei, npm packages in: ${npm_dirs[*]:-none}"
