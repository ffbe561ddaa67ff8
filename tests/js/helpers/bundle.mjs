// Test bundles. realBundle() runs target/release/build-index (the product); mockBundle() writes the
// JSON stand-in understood by mock-engine.js, for tests of the host code alone.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deflateRawSync } from 'node:zlib';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const SAMPLE_POSTS = join(ROOT, 'sample/_posts');
export const HOSTILE_POSTS = join(ROOT, 'tests/fixtures/hostile/_posts');
// JIANSUO_BUILD_INDEX: another build-index binary to test with.
const BUILD_INDEX = process.env.JIANSUO_BUILD_INDEX || join(ROOT, 'target/release/build-index');
const DIST = join(ROOT, 'www/dist');
const SRC = join(ROOT, 'www/src');
const ASSETS = ['jiansuo.js', 'host.js', 'worker.js', 'widget.js'];

/** The engine tests run against: 'real' (default) or 'mock' (JIANSUO_TEST_ENGINE=mock, for work on the JS alone). */
export const ENGINE = process.env.JIANSUO_TEST_ENGINE === 'mock' ? 'mock' : 'real';

export function tempDir(prefix = 'jiansuo-test-') {
  return mkdtempSync(join(tmpdir(), prefix));
}

/**
 * A bundle of `posts` in `out` as the product makes it: build-index's output, which includes the web
 * assets it embedded from www/dist. JIANSUO_TEST_ASSETS=src puts www/src's JS over them (for quick
 * iteration on the JS without rebuilding build-index).
 */
export function realBundle(posts, out) {
  if (!existsSync(BUILD_INDEX)) {
    throw new Error(`${BUILD_INDEX} is missing: run \`make build-index\` (scripts/build-www.sh, then cargo build --release -p build-index)`);
  }
  execFileSync(BUILD_INDEX, [posts, '--out', out], { stdio: ['ignore', 'ignore', 'pipe'] });
  if (!existsSync(join(out, 'manifest.bin'))) throw new Error(`build-index wrote no manifest.bin in ${out}`);
  for (const name of ['jiansuo.js', 'jiansuo_engine_bg.wasm.deflate', 'widget.js']) {
    if (!existsSync(join(out, name))) throw new Error(`build-index did not copy ${name} into the bundle`);
  }
  if (process.env.JIANSUO_TEST_ASSETS === 'src') {
    // www/src's modules as they are, with the glue of the engine in www/dist (kept by scripts/build-www.sh).
    for (const name of ASSETS) cpSync(join(SRC, name), join(out, name));
    cpSync(join(ROOT, 'target/www-pkg/jiansuo_engine.js'), join(out, 'jiansuo_engine.js'));
  }
  return out;
}

/** A bundle for whichever engine the tests run against. */
export function bundle(posts, out = tempDir()) {
  return ENGINE === 'mock' ? mockBundle(readPosts(posts), out) : realBundle(posts, out);
}

// ---- the mock ----------------------------------------------------------------------------------------

/** A very small reader of Jekyll posts, good enough for the mock (the real one is build-index). */
export function readPosts(dir) {
  const docs = [];
  for (const file of readdirSync(dir).sort()) {
    const m = /^(\d{4})-(\d{2})-(\d{2})-(.+)\.(md|markdown|html)$/.exec(file);
    if (!m) continue;
    const source = readFileSync(join(dir, file), 'utf8');
    const fm = /^---\n([\s\S]*?)\n---\n?/.exec(source);
    const meta = {};
    let key = null;
    for (const line of (fm?.[1] ?? '').split('\n')) {
      const kv = /^([A-Za-z_]+):\s*(.*)$/.exec(line);
      if (kv) {
        key = kv[1];
        meta[key] = kv[2].trim().replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1');
      } else if (key && /^\s*-\s+/.test(line)) {
        meta[key] = [].concat(meta[key] || [], line.replace(/^\s*-\s+/, '').trim());
      }
    }
    const list = (v) =>
      Array.isArray(v) ? v : String(v ?? '').replace(/^\[|\]$/g, '').split(/[,\s]+/).map((s) => s.trim()).filter(Boolean);
    const text = source
      .slice(fm ? fm[0].length : 0)
      .replace(/<[^>]*>/g, ' ')
      .replace(/[#*>`|[\]()-]+/g, ' ')
      .replace(/[ \t]+/g, ' ')
      .trim();
    const date = String(meta.date || `${m[1]}-${m[2]}-${m[3]}`);
    const d = /^(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}:\d{2})(?::(\d{2}))?)?\s*([+-]\d{2}):?(\d{2})?/.exec(date + ' +0800');
    docs.push({
      url: meta.permalink || `/${m[1]}/${m[2]}/${m[3]}/${m[4]}.html`,
      title: meta.title || m[4],
      date: `${d[1]}T${d[2] ?? '00:00'}:${d[3] ?? '00'}${d[4]}:${d[5] ?? '00'}`,
      categories: list(meta.categories ?? meta.category),
      tags: list(meta.tags),
      text,
    });
  }
  return docs.sort((a, b) => b.date.localeCompare(a.date));
}

const pack = (value) => deflateRawSync(Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)));

/** Writes a mock bundle (index files + www/src's JS + the mock glue + a placeholder wasm) into `out`. */
export function mockBundle(docs, out = tempDir()) {
  mkdirSync(join(out, 't'), { recursive: true });
  mkdirSync(join(out, 'd'), { recursive: true });
  const terms = {};
  docs.forEach((doc, id) => {
    for (const ch of new Set((doc.title + doc.text).toLowerCase().replace(/\s+/g, ''))) (terms[ch] ??= []).push(id);
  });
  const names = docs.map((_, id) => `d/${id}.bin`);
  writeFileSync(join(out, 'manifest.bin'), pack({ mock: 1, terms: 't/terms.bin', docs: names }));
  writeFileSync(join(out, 't/terms.bin'), pack(terms));
  docs.forEach((doc, id) => writeFileSync(join(out, names[id]), pack(doc)));
  mockAssets(out);
  return out;
}

/** www/src's JS with the mock glue as jiansuo_engine.js and a placeholder wasm file. */
export function mockAssets(out) {
  for (const name of ASSETS) cpSync(join(SRC, name), join(out, name));
  cpSync(join(ROOT, 'tests/js/helpers/mock-engine.js'), join(out, 'jiansuo_engine.js'));
  writeFileSync(join(out, 'jiansuo_engine_bg.wasm.deflate'), deflateRawSync(Buffer.from([0, 0x61, 0x73, 0x6d, 1, 0, 0, 0])));
  return out;
}

export function remove(dir) {
  rmSync(dir, { recursive: true, force: true });
}

export { DIST };
