# jiansuo — the two commands a newcomer needs:
#   make demo   install what is missing, build everything, index sample/_posts, serve the demo on
#               http://127.0.0.1:8080/
#   make test   install what is missing, build everything, run every test suite; fails if any fails
# The other targets are the steps of those two.

SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c
.DEFAULT_GOAL := help
.DELETE_ON_ERROR:

export PATH := $(HOME)/.cargo/bin:$(PATH)
# Browser tests drive Debian's /usr/bin/chromium; nothing may download a browser of its own.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1

HOST  ?= 127.0.0.1
PORT  ?= 8080
POSTS ?= sample/_posts
SITE  ?= demo-site
BUILD_INDEX := target/release/build-index

.PHONY: help demo test setup www build-index build demo-site serve \
        test-all fmt-check clippy test-rust test-js test-browser test-bench clean

help:
	@echo 'make demo   build everything, index $(POSTS) and serve the demo on http://$(HOST):$(PORT)/'
	@echo 'make test   build everything and run every test suite'
	@echo 'steps: setup www build-index demo-site serve fmt-check clippy test-rust test-js test-browser test-bench clean'

# ---- the two quick-start targets ---------------------------------------------------------------------

demo: setup demo-site
	@echo "demo: serving $(SITE)/ on http://$(HOST):$(PORT)/ (Ctrl-C stops)"
	node scripts/serve.mjs $(SITE) --host $(HOST) --port $(PORT)

# Every suite runs even when an earlier one fails (-k); make exits non-zero if any failed.
test: setup build
	@$(MAKE) --no-print-directory -k test-all

# ---- steps -------------------------------------------------------------------------------------------

setup:
	bash scripts/setup.sh

# The web assets (engine wasm, glue, JS) in www/dist/; build-index embeds them, so they come first.
www:
	bash scripts/build-www.sh

build-index: www
	cargo build --release -p build-index

build: build-index

# The demo site: the sample posts' search bundle in $(SITE)/search/, the demo page beside it.
demo-site: build-index
	rm -rf $(SITE)
	mkdir -p $(SITE)
	$(BUILD_INDEX) $(POSTS) --out $(SITE)/search
	cp -R www/demo/. $(SITE)/

serve:
	node scripts/serve.mjs $(SITE) --host $(HOST) --port $(PORT)

test-all: fmt-check clippy test-rust test-js test-browser test-bench

fmt-check:
	cargo fmt --all -- --check

clippy:
	cargo clippy --workspace --all-targets -- -D warnings

test-rust:
	cargo test --workspace

test-js:
	@if [[ -d tests/js ]]; then set -x; node --test tests/js/; else echo "test-js: no tests/js/, skipped"; fi

# One browser at a time: the machine has two cores.
test-browser:
	@if [[ -d tests/browser ]]; then set -x; node --test --test-concurrency=1 tests/browser/; \
	else echo "test-browser: no tests/browser/, skipped"; fi

# The evaluation oracle's own checks (bench/eval/test); the evaluation itself (bench/README.md) is not a test.
test-bench:
	@if [[ -f bench/package.json ]]; then set -x; npm --prefix bench test; \
	else echo "test-bench: no bench/package.json, skipped"; fi

clean:
	rm -rf $(SITE) www/dist
	cargo clean
