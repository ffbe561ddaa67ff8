#!/usr/bin/env node
// Exact keyword search: does a keyword find every post that contains it, and only those?
// Compares jiansuo (the JS API over a bundle from build-index) and Pagefind 1.6 with an oracle computed
// from the posts themselves. Usage and the semantics: bench/README.md.
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readPosts } from './corpus.mjs';
import { loadT2S, makeNormalizer } from './normalize.mjs';
import { Oracle, probes } from './oracle.mjs';
import { buildPagefind, openPagefind, pagefindVersion } from './pagefind.mjs';
import { NotBuilt, buildBundle, openJiansuo } from './jiansuo.mjs';
import { markdownReport, textReport } from './report.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BENCH = dirname(HERE);
const REPO = dirname(BENCH);

const { values: opts } = parseArgs({
  options: {
    corpus: { type: 'string', default: join(REPO, '..', 'shared', 'corpus') },
    queries: { type: 'string', default: join(HERE, 'queries.txt') },
    out: { type: 'string', default: join(BENCH, 'out') },
    bundle: { type: 'string' },
    'build-index': { type: 'string', default: join(REPO, 'target', 'release', 'build-index') },
    api: { type: 'string', default: join(REPO, 'www', 'dist', 'jiansuo.js') },
    'reuse-bundle': { type: 'boolean', default: false },
    'skip-jiansuo': { type: 'boolean', default: false },
    'skip-pagefind': { type: 'boolean', default: false },
    'rebuild-pagefind': { type: 'boolean', default: false },
    class: { type: 'string', multiple: true },
    examples: { type: 'string', default: '3' },
    probes: { type: 'string', default: '0' },
    seed: { type: 'string', default: '1' },
    'page-size': { type: 'string' },
    worst: { type: 'string', default: '15' },
    quiet: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  process.stdout.write(readFileSync(join(BENCH, 'README.md'), 'utf8'));
  process.exit(0);
}
const log = (...args) => console.error(...args);
const out = resolve(opts.out);
const bundleDir = resolve(opts.bundle ?? join(out, 'jiansuo-bundle'));
const examples = Number(opts.examples);
mkdirSync(out, { recursive: true });

// The corpus: every <corpus>/*/_posts folder, as build-index is given them.
const corpus = resolve(opts.corpus);
const postDirs = readdirSync(corpus, { withFileTypes: true })
  .filter((e) => e.isDirectory() && existsSync(join(corpus, e.name, '_posts')))
  .map((e) => join(corpus, e.name, '_posts'))
  .sort();
if (postDirs.length === 0) throw new Error(`no */_posts folders in ${corpus}`);

// Queries: one a line, `class query`; # comments.
const queries = readFileSync(opts.queries, 'utf8').split('\n')
  .map((line) => line.trim())
  .filter((line) => line !== '' && !line.startsWith('#'))
  .map((line) => {
    const m = /^(\S+)\s+(.+)$/.exec(line);
    if (!m) throw new Error(`${opts.queries}: no query after the class in "${line}"`);
    return { class: m[1], query: m[2] };
  })
  .filter((q) => !opts.class || opts.class.includes(q.class));

// The oracle.
let started = Date.now();
const { posts, skipped } = readPosts(corpus, postDirs);
for (const s of skipped) log(`oracle: not a post for Jekyll, left out: ${s.path}: ${s.reason}`);
const normalize = makeNormalizer(loadT2S(join(REPO, 'src', 'normalize', 't2s.bin')));
const oracle = new Oracle(posts, normalize);
if (Number(opts.probes) > 0) queries.push(...probes(oracle, Number(opts.probes), Number(opts.seed)));
log(`oracle: ${posts.length} posts from ${postDirs.length} folders read and normalized in ${((Date.now() - started) / 1000).toFixed(1)} s`);

// Result URLs → posts: the Jekyll permalink, else the post's slug (the URL's last segment), if unique.
const byUrl = new Map(posts.map((p, d) => [p.url, d]));
const bySlug = new Map();
posts.forEach((p, d) => bySlug.set(p.slug, bySlug.has(p.slug) ? -1 : d));
function postOf(url) {
  let path = url;
  try {
    path = new URL(url, 'http://site.invalid/').pathname;
  } catch {}
  for (const candidate of [url, path, safeDecode(path)]) {
    if (byUrl.has(candidate)) return byUrl.get(candidate);
  }
  const slug = safeDecode(path).replace(/\/$/, '').replace(/\.html?$/, '').split('/').pop();
  const d = bySlug.get(slug);
  return d === undefined || d === -1 ? -1 : d;
}
function safeDecode(s) {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

// The engines.
const engines = [];
async function setUp(name, open) {
  const engine = { name, status: 'ok', search: null };
  engines.push(engine);
  try {
    engine.search = await open();
  } catch (e) {
    if (!(e instanceof NotBuilt)) throw e;
    engine.status = `not built: ${e.message}`;
    log(`${name}: ${engine.status}`);
  }
}
if (!opts['skip-jiansuo']) {
  await setUp('jiansuo', async () => {
    buildBundle({ repo: REPO, bin: resolve(opts['build-index']), postDirs, out: bundleDir, reuse: opts['reuse-bundle'], log });
    const index = await openJiansuo({ api: resolve(opts.api), bundle: bundleDir });
    return (query) => index.search(query, Number(opts['page-size'] ?? posts.length));
  });
}
if (!opts['skip-pagefind']) {
  await setUp('pagefind', async () => {
    const bundle = buildPagefind(posts, join(out, 'pagefind'), { rebuild: opts['rebuild-pagefind'], log });
    const index = await openPagefind(bundle);
    return async (query) => {
      const { total, urls } = await index.search(query);
      return { total, results: urls.map((url) => ({ url })) };
    };
  });
}

// Scores one engine's answer against the oracle's posts.
function score(parsed, expected, answer) {
  const wanted = new Set(expected);
  const got = new Map(); // post → excerpt
  const unmapped = [];
  let duplicates = 0;
  for (const r of answer.results) {
    const d = postOf(r.url);
    if (d === -1) {
      unmapped.push(r.url);
      continue;
    }
    if (got.has(d)) duplicates++;
    else got.set(d, r.excerpt);
  }
  const missed = expected.filter((d) => !got.has(d));
  const extra = [...got.keys()].filter((d) => !wanted.has(d)).sort((a, b) => a - b);
  const found = got.size - extra.length;
  const returned = got.size + unmapped.length;
  return {
    total: answer.total,
    count: returned,
    recall: expected.length === 0 ? 1 : found / expected.length,
    precision: returned === 0 ? 1 : found / returned,
    missedCount: missed.length,
    extraCount: extra.length + unmapped.length,
    missed: missed.slice(0, examples).map((d) => ({ path: posts[d].path, ...missedContext(parsed, d) })),
    extra: [
      ...unmapped.slice(0, examples).map((url) => ({ url, reason: 'URL of no post' })),
      ...extra.slice(0, examples).map((d) => ({ path: posts[d].path, ...extraContext(parsed, d), ...excerptOf(got.get(d)) })),
    ].slice(0, examples),
    duplicates,
    totalMismatch: answer.total !== answer.results.length,
    ...(answer.note ? { note: answer.note } : {}),
  };
}

// Where a missed post has the query's keywords: the context of each group's first keyword it contains.
function missedContext(parsed, d) {
  const contexts = [];
  for (const group of parsed.groups) {
    for (const keyword of group) {
      const c = oracle.context(d, keyword);
      if (c) {
        contexts.push(`${c.field}: ${c.context}`);
        break;
      }
    }
  }
  return { context: contexts.join(' · ') };
}

// Why a wrong post does not match: a keyword group it lacks (and where that keyword nearly occurs),
// or an excluded keyword it contains.
function extraContext(parsed, d) {
  for (const group of parsed.groups) {
    if (group.some((k) => oracle.docsWith(k)[d])) continue;
    const why = oracle.whyNot(d, group[0]);
    return { reason: `lacks "${group[0]}" (${why.reason})`, context: why.context ? `${why.field}: ${why.context}` : '' };
  }
  for (const keyword of parsed.excluded) {
    if (!oracle.docsWith(keyword)[d]) continue;
    const c = oracle.context(d, keyword);
    return { reason: `contains excluded "${keyword}"`, context: `${c.field}: ${c.context}` };
  }
  return { reason: 'matches (oracle bug?)', context: '' };
}

const excerptOf = (html) => html ? {
  excerpt: html.replace(/<mark>/g, '[').replace(/<\/mark>/g, ']').replace(/<[^>]*>/g, '')
    .replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&quot;/g, '"').replace(/&#39;/g, "'").replace(/&amp;/g, '&')
    .slice(0, 80),
} : {};

// Run every query.
const rows = [];
for (const q of queries) {
  const { parsed, docs } = oracle.search(q.query);
  const row = { class: q.class, query: q.query, keywords: parsed, oracle: docs.length, engines: {} };
  if (q.probe) row.probe = q.probe;
  for (const engine of engines) {
    if (!engine.search || (q.class === 'probe' && engine.name !== 'jiansuo')) continue;
    const t0 = performance.now();
    try {
      const answer = await engine.search(q.query);
      row.engines[engine.name] = { ms: performance.now() - t0, ...score(parsed, docs, answer) };
    } catch (e) {
      row.engines[engine.name] = { ms: performance.now() - t0, error: String(e?.message ?? e), recall: 0, precision: 0 };
    }
  }
  rows.push(row);
  if (!opts.quiet) log(`${q.class} ${q.query}: oracle ${docs.length}` +
    engines.filter((e) => row.engines[e.name]).map((e) => {
      const r = row.engines[e.name];
      return r.error ? `, ${e.name} error` : `, ${e.name} ${r.count} (R ${r.recall.toFixed(3)} P ${r.precision.toFixed(3)})`;
    }).join(''));
}

const result = {
  date: new Date().toISOString(),
  corpus: { root: corpus, folders: postDirs.map((d) => d.slice(corpus.length + 1)), posts: posts.length, skipped },
  queries: rows.length,
  definitions: DEFINITIONS(),
  engines: engines.map((e) => ({ name: e.name, status: e.status, version: e.name === 'pagefind' && e.search ? pagefindVersion() : undefined })),
  rows,
};
writeFileSync(join(out, 'eval.json'), JSON.stringify(result, null, 1));
writeFileSync(join(out, 'eval.md'), markdownReport(result, Number(opts.worst)));
process.stdout.write(textReport(result, Number(opts.worst)));
log(`\nfull table: ${join(out, 'eval.md')} and ${join(out, 'eval.json')}`);

function DEFINITIONS() {
  return 'recall = |oracle ∩ engine| / |oracle|, precision = |oracle ∩ engine| / |engine|, per query over distinct posts; ' +
    'an empty oracle result gives recall 1.0 and an empty engine result precision 1.0 (both empty: both 1.0); ' +
    'a result whose URL is no post counts as wrong; macro = the mean over queries.';
}
