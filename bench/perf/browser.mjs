// Drives Debian's Chromium (playwright-core, fresh profile per run) over a test page per engine that
// uses the engine's own JS API, as its UI does: jiansuo's openIndex(…, { worker: true }) and search
// with limit 10; Pagefind's pagefind.js (which runs in its own worker), search(q) and data() of the
// first 10 results. Times are taken in the page (performance.now()); bytes are the response bodies the
// server sent while a step ran (workers' requests included).
import { launch } from '../../tests/browser/helpers.mjs';
import { kindOf } from './sizes.mjs';

export const MOUNT = { jiansuo: '/jiansuo/', pagefind: '/pagefind/' };
export const PAGE = { jiansuo: '/h/jiansuo.html', pagefind: '/h/pagefind.html' };

// A second bundle of the same engine (run.mjs --cold-only with several --bundle) is named 'jiansuo:2', …,
// with its own mount and test page.
const engineOf = (name) => name.split(':')[0];
export const mountOf = (name) => MOUNT[name] ?? `/${name.replace(/:/g, '-')}/`;
export const pageOf = (name) => PAGE[name] ?? `/h/${name.replace(/:/g, '-')}.html`;

const HARNESS = {
  jiansuo: (base) => `
const BASE = '${base}';
let index;
async function open(options) {
  const { openIndex } = await import(BASE + 'jiansuo.js');
  index = await openIndex(BASE, options);
}
async function query(q) {
  const page = await index.search(q, { limit: 10 });
  return { total: page.total, shown: page.results.length, first: page.results[0]?.url ?? null };
}`,
  pagefind: (base) => `
const BASE = '${base}';
let pagefind;
async function open() {
  pagefind = await import(BASE + 'pagefind.js');
}
async function query(q) {
  const response = await pagefind.search(q);
  const data = await Promise.all(response.results.slice(0, 10).map((r) => r.data()));
  return { total: response.results.length, shown: data.length, first: data[0]?.url ?? null };
}`,
};

/** The test page of one engine (lang zh-CN: Pagefind picks its index by the page's language). */
export function harnessPage(engine) {
  return `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>${engine} perf</title></head><body>
<script type="module">
${HARNESS[engineOf(engine)](mountOf(engine))}
const timed = async (f) => { const t0 = performance.now(); const value = await f(); return { ms: performance.now() - t0, ...value }; };
window.bench = {
  // import → open → first results of q: the cold start.
  cold: async (q, options) => {
    const t0 = performance.now();
    await open(options);
    const t1 = performance.now();
    const result = await query(q);
    return { ms: performance.now() - t0, openMs: t1 - t0, ...result };
  },
  open: (options) => timed(async () => { await open(options); return {}; }),
  query: (q) => timed(() => query(q)),
};
window.benchReady = true;
</script></body></html>
`;
}

const withTimeout = (promise, ms, what) => {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => { timer = setTimeout(() => reject(new Error(`${what}: no answer after ${ms / 1000} s`)), ms); }),
  ]).finally(() => clearTimeout(timer));
};

/** What the server sent from log index `from` on, per file kind and per file. */
function fetched(server, engine, from) {
  const entries = server.log.slice(from);
  const kinds = {};
  let bytes = 0;
  const files = [];
  const t0 = entries[0]?.at ?? 0;
  for (const e of entries) {
    const path = decodeURIComponent(new URL(e.path, 'http://x').pathname);
    if (!path.startsWith(mountOf(engine))) continue;
    const name = path.slice(mountOf(engine).length);
    const kind = kindOf(engineOf(engine), name);
    const k = (kinds[kind] ??= { files: 0, bytes: 0 });
    k.files++;
    k.bytes += e.bytes;
    bytes += e.bytes;
    files.push([name, e.bytes, e.status, Math.round(e.at - t0)]); // ms after the step's first request
  }
  return { bytes, requests: files.length, kinds, files };
}

/** A fresh Chromium profile and a page on the engine's test page. */
async function openPage(server, engine, timeoutMs) {
  // The benchmark's HTTPS server (--h2) has a certificate of its own making.
  const browser = await launch(server.url.startsWith('https:') ? { ignoreHTTPSErrors: true } : {});
  const page = await browser.context.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  await page.goto(new URL(pageOf(engine), server.url).href);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: timeoutMs });
  const call = async (fn, arg, what) => {
    try {
      return await withTimeout(page.evaluate(fn, arg), timeoutMs, `${engine} ${what}`);
    } catch (e) {
      throw new Error(`${e.message.split('\n')[0]}${errors.length ? ` (page: ${errors.slice(-3).join(' | ')})` : ''}`);
    }
  };
  return { page, browser, call };
}

const OPTIONS = { jiansuo: { worker: true }, pagefind: {} };

/** Cold start: fresh profile (empty HTTP cache), import → open → first results of `query`. */
export async function coldStart(server, engine, query, { timeoutMs = 120_000 } = {}) {
  const { browser, call } = await openPage(server, engine, timeoutMs);
  try {
    await server.idle();
    const from = server.log.length;
    const r = await call(([q, o]) => window.bench.cold(q, o), [query, OPTIONS[engineOf(engine)]], `cold start with ${query}`);
    await server.idle();
    return { query, ms: r.ms, openMs: r.openMs, total: r.total, shown: r.shown, ...fetched(server, engine, from) };
  } finally {
    await browser.close();
  }
}

/**
 * One pass over `queries` in a fresh profile: open, one warm-up query (not in the list), then each
 * query once (first time in this page: latency and bytes) and `repeats` times again (warm latency).
 */
export async function queryPass(server, engine, queries, { warmup, repeats = 5, timeoutMs = 120_000 } = {}) {
  const { browser, call } = await openPage(server, engine, timeoutMs);
  try {
    await call((o) => window.bench.open(o), OPTIONS[engineOf(engine)], 'open');
    if (warmup) await call((q) => window.bench.query(q), warmup, `warm-up ${warmup}`);
    const rows = [];
    for (const query of queries) {
      await server.idle();
      const from = server.log.length;
      const first = await call((q) => window.bench.query(q), query, `query ${query}`);
      await server.idle();
      const bytes = fetched(server, engine, from);
      const warm = [];
      for (let i = 0; i < repeats; i++) warm.push((await call((q) => window.bench.query(q), query, `query ${query}`)).ms);
      rows.push({ query, firstMs: first.ms, total: first.total, shown: first.shown, warmMs: warm, ...bytes });
    }
    return rows;
  } finally {
    await browser.close();
  }
}
