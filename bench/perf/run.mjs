#!/usr/bin/env node
// Side by side: jiansuo and Pagefind 1.6 on the shared corpus (issue #4). Builds both bundles (time,
// peak memory, cores), sizes them by kind of file, serves them on 127.0.0.1 and drives headless
// Chromium over each engine's own JS API (cold start, new queries, warm queries), then prints one table
// with the goals; with the scale points of jiansuo alone. Usage: bench/README.md.
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { readPosts } from '../eval/corpus.mjs';
import { buildPagefind, pagefindBinary, pagefindVersion } from '../eval/pagefind.mjs';
import { CHROMIUM } from '../../tests/browser/helpers.mjs';
import { MOUNT, PAGE, coldStart, harnessPage, queryPass } from './browser.mjs';
import { corpusOfSize, countPosts, postDirsOf } from './corpus.mjs';
import { coldOnly } from './cold.mjs';
import { checkTime, timed } from './measure.mjs';
import { COLD, TIMED, WARMUP, WORST, checkQueries } from './queries.mjs';
import { goalTable, markdownReport, scaleTable } from './report.mjs';
import { selfSignedTls, serveBench } from './server.mjs';
import { bundleSizes, codeSizes } from './sizes.mjs';
import { goals, median, perQuery, summarize } from './stats.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const BENCH = dirname(HERE);
const REPO = dirname(BENCH);
const PERMALINK = '/:year/:month/:day/:title.html';

const { values: opts } = parseArgs({
  options: {
    corpus: { type: 'string', default: join(REPO, '..', 'shared', 'corpus') },
    out: { type: 'string', default: join(BENCH, 'out') },
    scratch: { type: 'string', default: '/tmp/jiansuo-perf' },
    'build-index': { type: 'string', default: join(REPO, 'target', 'release', 'build-index') },
    reuse: { type: 'boolean', default: false },
    scale: { type: 'boolean', default: false },
    'no-scale': { type: 'boolean', default: false },
    'cold-runs': { type: 'string', default: String(2 * COLD.length) },
    passes: { type: 'string', default: '3' },
    repeats: { type: 'string', default: '5' },
    'scale-cold-runs': { type: 'string', default: '3' },
    latency: { type: 'string', default: '0' },
    rtt: { type: 'string', default: '50' },
    timeout: { type: 'string', default: '120' },
    'build-timeout': { type: 'string', default: '3600' },
    quick: { type: 'boolean', default: false },
    'cold-only': { type: 'boolean', default: false },
    h2: { type: 'boolean', default: false },
    bundle: { type: 'string', multiple: true },
    'pagefind-bundle': { type: 'string' },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (opts.help) {
  const readme = readFileSync(join(BENCH, 'README.md'), 'utf8');
  process.stdout.write(/## perf\/[\s\S]*?(?=\n## |$)/.exec(readme)?.[0] ?? readme);
  process.exit(0);
}
const int = (name) => {
  const n = Number(opts[name]);
  if (!Number.isInteger(n) || n < 1) throw new Error(`--${name} wants a whole number ≥ 1, not ${opts[name]}`);
  return n;
};
const settings = opts.quick
  ? { coldRuns: 2, passes: 1, repeats: 3, scaleColdRuns: 1 }
  : { coldRuns: int('cold-runs'), passes: int('passes'), repeats: int('repeats'), scaleColdRuns: int('scale-cold-runs') };
settings.timeoutMs = int('timeout') * 1000;
settings.latencyMs = Number(opts.latency);
if (!(settings.latencyMs >= 0)) throw new Error(`--latency wants milliseconds ≥ 0, not ${opts.latency}`);
settings.rttMs = Number(opts.rtt);
if (!(settings.rttMs >= 0)) throw new Error(`--rtt wants milliseconds ≥ 0, not ${opts.rtt}`);
settings.buildTimeout = int('build-timeout');

const log = (...args) => console.error(...args);
const out = resolve(opts.out);
const perfDir = join(out, 'perf');
const scratch = resolve(opts.scratch);
const corpus = resolve(opts.corpus);
const buildIndex = resolve(opts['build-index']);
const errors = [];
const fail = (what, e) => {
  const message = `${what}: ${e?.message ?? e}`;
  errors.push(message);
  log(`error: ${message}`);
};
mkdirSync(perfDir, { recursive: true });
mkdirSync(scratch, { recursive: true });
// --h2: HTTPS with HTTP/2 like a static host, instead of HTTP/1.1 and its 6 connections per host.
const tls = opts.h2 ? selfSignedTls(scratch) : null;

// --cold-only: cold starts on bundles that exist, nothing else.
if (opts['cold-only']) {
  const ours = opts.bundle?.length ? opts.bundle : [join(perfDir, 'jiansuo')];
  const bundles = Object.fromEntries(ours.map((dir, i) => [i ? `jiansuo:${i + 1}` : 'jiansuo', resolve(dir)]));
  bundles.pagefind = resolve(opts['pagefind-bundle'] ?? join(perfDir, 'pagefind'));
  for (const [engine, dir] of Object.entries(bundles)) {
    const entry = engine === 'pagefind' ? 'pagefind.js' : 'manifest.bin';
    if (!existsSync(join(dir, entry))) {
      if (engine === 'pagefind' && !opts['pagefind-bundle']) {
        log(`pagefind: no bundle in ${dir} (a full run builds it); jiansuo alone`);
        delete bundles.pagefind;
      } else {
        throw new Error(`${dir} has no ${entry}`);
      }
    }
  }
  const runs = opts.quick ? 2 : settings.coldRuns;
  process.stdout.write(await coldOnly({ bundles, runs, latencyMs: settings.latencyMs, timeoutMs: settings.timeoutMs, out, tls, log }));
  process.exit(0);
}

// Prerequisites, each with what to do about it.
checkTime();
if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} is missing (Debian's chromium; scripts/setup.sh installs it)`);
checkQueries(join(BENCH, 'eval', 'queries.txt'));
const postDirs = postDirsOf(corpus).map((f) => f.dir);
const loadStart = loadavg()[0];

// A bundle about to be built again is renamed, and deleted once every build of the run is done. Deleting tens
// of thousands of files just before a timed build made the build's own system time triple (3 → 11 s for
// build-index on the full corpus): for minutes after a mass delete, ext4 passes over the recently freed inodes
// (find_inode_bit, recently_deleted) each time it allocates one. The same for both engines.
const discarded = [];
function setAside(dir) {
  if (!existsSync(dir)) return;
  const aside = `${dir}.discarded-${process.pid}-${discarded.length}`;
  try {
    renameSync(dir, aside);
    discarded.push(aside);
  } catch {
    rmSync(dir, { recursive: true, force: true });
  }
}
const deleteDiscarded = () => {
  for (const dir of discarded.splice(0)) rmSync(dir, { recursive: true, force: true });
};
process.on('exit', deleteDiscarded);

/** Our bundle of `dirs` in `bundle`, timed; with --reuse an existing bundle and its recorded build. */
async function buildOurs(dirs, bundle, posts) {
  const stamp = `${bundle}.build.json`;
  if (opts.reuse && existsSync(join(bundle, 'manifest.bin')) && existsSync(stamp)) {
    log(`jiansuo: reusing ${bundle}`);
    return JSON.parse(readFileSync(stamp, 'utf8'));
  }
  if (!existsSync(buildIndex)) {
    throw new Error(`${buildIndex} does not exist: make build-index (scripts/build-www.sh, then cargo build --release -p build-index), or --build-index PATH`);
  }
  setAside(bundle);
  rmSync(stamp, { force: true });
  log(`jiansuo: build-index over ${posts.toLocaleString('en')} posts → ${bundle}`);
  const build = await timed(buildIndex, [...dirs, '--out', bundle, '--permalink', PERMALINK],
    { cwd: REPO, timeoutSeconds: settings.buildTimeout, label: 'build-index' });
  if (!existsSync(join(bundle, 'manifest.bin'))) throw new Error(`build-index wrote no ${join(bundle, 'manifest.bin')}`);
  codeSizes('jiansuo', bundle); // throws, naming the file, when an asset is missing
  log(`jiansuo: built in ${build.wallSeconds.toFixed(1)} s, peak ${(build.peakRssBytes / 2 ** 20).toFixed(0)} MiB, ${build.coresUsed.toFixed(2)} cores`);
  writeFileSync(stamp, JSON.stringify(build));
  return build;
}

/** Pagefind's bundle: eval's pages (written again only when they changed), indexed by pagefind_extended, timed. */
async function buildTheirs(bundle) {
  const stamp = `${bundle}.build.json`;
  if (opts.reuse && existsSync(join(bundle, 'pagefind.js')) && existsSync(stamp)) {
    log(`pagefind: reusing ${bundle}`);
    return JSON.parse(readFileSync(stamp, 'utf8'));
  }
  const bin = pagefindBinary(); // throws when bench/'s npm packages are not installed
  const started = Date.now();
  const { posts } = readPosts(corpus, postDirs); // the posts Jekyll publishes
  log(`pagefind: ${posts.length} posts read in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  const site = dirname(buildPagefind(posts, join(out, 'pagefind'), { log }));
  setAside(bundle);
  rmSync(stamp, { force: true });
  log(`pagefind: ${pagefindVersion()} --site ${site} --output-path ${bundle}`);
  const build = await timed(bin, ['--site', site, '--output-path', bundle],
    { cwd: REPO, timeoutSeconds: settings.buildTimeout, label: 'pagefind_extended' });
  log(`pagefind: built in ${build.wallSeconds.toFixed(1)} s, peak ${(build.peakRssBytes / 2 ** 20).toFixed(0)} MiB, ${build.coresUsed.toFixed(2)} cores`);
  writeFileSync(stamp, JSON.stringify(build));
  return build;
}

/** Cold starts (alternating engines, a fresh profile each) and query passes, against one server. */
async function browse(server, engines, { coldRuns, passes, repeats }) {
  const cold = Object.fromEntries(engines.map((e) => [e, []]));
  const pass = Object.fromEntries(engines.map((e) => [e, []]));
  for (let i = 0; i < coldRuns; i++) {
    for (const engine of engines) {
      const query = COLD[i % COLD.length];
      const run = await coldStart(server, engine, query, { timeoutMs: settings.timeoutMs });
      log(`${engine}: cold start with ${query}: ${run.ms.toFixed(0)} ms, ${(run.bytes / 1024).toFixed(1)} KiB in ${run.requests} requests`);
      cold[engine].push(run);
    }
  }
  for (let p = 0; p < passes; p++) {
    const order = p === 0 ? TIMED : shuffled(TIMED, p);
    for (const engine of engines) {
      const started = Date.now();
      const rows = await queryPass(server, engine, order, { warmup: WARMUP, repeats, timeoutMs: settings.timeoutMs });
      log(`${engine}: pass ${p + 1} of ${passes}, ${rows.length} queries in ${((Date.now() - started) / 1000).toFixed(0)} s`);
      pass[engine].push(rows);
    }
  }
  return Object.fromEntries(engines.map((e) => {
    const runs = cold[e];
    const byBytes = [...runs].sort((a, b) => a.bytes - b.bytes);
    const rows = perQuery(pass[e]);
    return [e, {
      cold: { runs, ms: median(runs.map((r) => r.ms)), bytes: median(runs.map((r) => r.bytes)), medianRun: byBytes[(byBytes.length - 1) >> 1] },
      rows,
      summary: summarize(rows),
    }];
  }));
}

/** A seeded shuffle (the same orders on every run). */
function shuffled(list, seed) {
  const a = [...list];
  let s = seed * 2654435761 >>> 0;
  for (let i = a.length - 1; i > 0; i--) {
    s = (s * 1664525 + 1013904223) >>> 0;
    const j = s % (i + 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a;
}

const pages = Object.fromEntries(Object.keys(PAGE).map((e) => [PAGE[e], harnessPage(e)]));

// ---- the full corpus, both engines ------------------------------------------------------------------
const fullPosts = countPosts(corpus);
const bundles = { jiansuo: join(perfDir, 'jiansuo'), pagefind: join(perfDir, 'pagefind') };
const builds = {};
const sizes = {};
const code = {};
try {
  builds.jiansuo = await buildOurs(postDirs, bundles.jiansuo, fullPosts);
} catch (e) {
  fail('jiansuo build', e);
}
try {
  builds.pagefind = await buildTheirs(bundles.pagefind);
} catch (e) {
  fail('pagefind build', e);
}
const engines = Object.keys(builds);
for (const engine of engines) {
  try {
    sizes[engine] = bundleSizes(engine, bundles[engine]);
    code[engine] = codeSizes(engine, bundles[engine]);
  } catch (e) {
    fail(`${engine} sizes`, e);
  }
}

let measured = {};
if (engines.length) {
  const server = await serveBench({ mounts: Object.fromEntries(engines.map((e) => [MOUNT[e], bundles[e]])), pages, latency: settings.latencyMs, tls });
  try {
    measured = await browse(server, engines, settings);
  } catch (e) {
    fail('browser', e);
  } finally {
    await server.close();
  }
}

// The same with a round trip's wait before every response: cold starts and one pass of new queries.
let slow = {};
if (settings.rttMs > 0 && Object.keys(measured).length) {
  const server = await serveBench({ mounts: Object.fromEntries(engines.map((e) => [MOUNT[e], bundles[e]])), pages, latency: settings.rttMs, tls });
  try {
    log(`with ${settings.rttMs} ms before every response:`);
    slow = await browse(server, engines, { coldRuns: COLD.length, passes: 1, repeats: 1 });
  } catch (e) {
    fail(`browser, ${settings.rttMs} ms per request`, e);
  } finally {
    await server.close();
  }
}

// ---- scale: jiansuo alone at 1k, 10k, the corpus, and (--scale) 200k posts ---------------------------
const scale = [];
const scaleSizes = opts['no-scale'] ? [] : [1000, 10000, ...(opts.scale ? [200000] : [])];
const point = (posts, build, sized, m) => ({
  posts,
  build,
  bundleBytes: sized?.total.bytes,
  bundleFiles: sized?.total.files,
  manifestBytes: sized?.kinds.manifest?.bytes,
  coldBytes: m?.cold.bytes,
  coldMs: m?.cold.ms,
  warmMedianMs: m?.summary.warmMs.median,
  warmP95Ms: m?.summary.warmMs.p95,
  firstMedianMs: m?.summary.firstMs.median,
  queryBytesMedian: m?.summary.bytes.median,
});
for (const size of scaleSizes) {
  if (size === fullPosts) continue;
  const bundle = join(scratch, `bundle-${size}`);
  try {
    const c = corpusOfSize(corpus, size, scratch, log);
    const build = await buildOurs(c.postDirs, bundle, c.posts);
    const sized = bundleSizes('jiansuo', bundle);
    const server = await serveBench({ mounts: { [MOUNT.jiansuo]: bundle }, pages, latency: settings.latencyMs, tls });
    let m;
    try {
      m = (await browse(server, ['jiansuo'], { coldRuns: settings.scaleColdRuns, passes: 1, repeats: Math.min(3, settings.repeats) })).jiansuo;
    } finally {
      await server.close();
    }
    scale.push(point(c.posts, build, sized, m));
  } catch (e) {
    fail(`scale ${size}`, e);
    scale.push({ posts: size, error: String(e?.message ?? e).split('\n')[0] });
  }
}
if (builds.jiansuo) scale.push(point(fullPosts, builds.jiansuo, sizes.jiansuo, measured.jiansuo));
scale.sort((a, b) => a.posts - b.posts);

// ---- the table --------------------------------------------------------------------------------------
const pair = (f) => ({ ours: f('jiansuo') ?? null, theirs: f('pagefind') ?? null });
const worstRow = (e) => measured[e]?.rows.find((r) => r.query === WORST);
const result = {
  date: new Date().toISOString(),
  command: `node bench/perf/run.mjs ${process.argv.slice(2).join(' ')}`.trim(),
  corpus: { root: corpus, postDirs, posts: fullPosts },
  environment: {
    cores: cpus().length,
    memoryBytes: totalmem(),
    loadStart,
    loadEnd: loadavg()[0],
    node: process.versions.node,
    chromium: chromiumVersion(),
    pagefind: safe(pagefindVersion),
    buildIndex,
  },
  settings,
  method: METHOD(),
  queries: TIMED,
  builds,
  sizes,
  code,
  cold: Object.fromEntries(Object.entries(measured).map(([e, m]) => [e, m.cold])),
  perQuery: Object.fromEntries(Object.entries(measured).map(([e, m]) => [e, m.rows])),
  summary: Object.fromEntries(Object.entries(measured).map(([e, m]) => [e, m.summary])),
  withRtt: settings.rttMs > 0 ? {
    rttMs: settings.rttMs,
    cold: Object.fromEntries(Object.entries(slow).map(([e, m]) => [e, m.cold])),
    summary: Object.fromEntries(Object.entries(slow).map(([e, m]) => [e, m.summary])),
  } : null,
  scale,
  errors,
};
result.goals = goals({
  coldBytes: pair((e) => measured[e]?.cold.bytes),
  coldMs: pair((e) => measured[e]?.cold.ms),
  warmMedian: pair((e) => measured[e]?.summary.warmMs.median),
  warmP95: pair((e) => measured[e]?.summary.warmMs.p95),
  queryBytes: pair((e) => measured[e]?.summary.bytes.median),
  bundle: pair((e) => sizes[e]?.total.bytes),
  codeGzip: pair((e) => code[e]?.gzip),
  buildSeconds: pair((e) => builds[e]?.wallSeconds),
  buildRss: pair((e) => builds[e]?.peakRssBytes),
  buildCores: pair((e) => builds[e]?.coresUsed),
});
result.info = [
  { what: 'new query latency, median', unit: 'ms', ...pair((e) => measured[e]?.summary.firstMs.median) },
  { what: 'new query latency, p95', unit: 'ms', ...pair((e) => measured[e]?.summary.firstMs.p95) },
  { what: 'bytes for a new query, p95', unit: 'bytes', ...pair((e) => measured[e]?.summary.bytes.p95) },
  ...(settings.rttMs > 0 ? [
    { what: `cold start time, ${settings.rttMs} ms per request`, unit: 'ms', ...pair((e) => slow[e]?.cold.ms) },
    { what: `new query latency, median, ${settings.rttMs} ms per request`, unit: 'ms', ...pair((e) => slow[e]?.summary.firstMs.median) },
  ] : []),
  { what: `${WORST}: new query latency`, unit: 'ms', ...pair((e) => worstRow(e)?.firstMs) },
  { what: `${WORST}: warm latency`, unit: 'ms', ...pair((e) => worstRow(e)?.warmMs) },
  { what: `${WORST}: bytes`, unit: 'bytes', ...pair((e) => worstRow(e)?.bytes) },
  { what: 'files in the bundle', unit: 'count', ...pair((e) => sizes[e]?.total.files) },
  { what: 'build CPU (user+sys)', unit: 's', ...pair((e) => builds[e]?.cpuSeconds) },
  { what: 'load average while building', unit: 'load', ...pair((e) => builds[e] && Math.max(builds[e].loadBefore, builds[e].loadAfter)) },
];
writeFileSync(join(out, 'perf.json'), JSON.stringify(result, null, 1));
writeFileSync(join(out, 'perf.md'), markdownReport(result));
process.stdout.write(`\n${goalTable(result)}`);
if (scale.length) process.stdout.write(`\njiansuo at scale:\n${scaleTable(result)}`);
const busiest = Math.max(loadStart, result.environment.loadEnd, ...Object.values(builds).flatMap((b) => [b.loadBefore, b.loadAfter]));
if (busiest > cpus().length) {
  log(`\nwarning: the load average reached ${busiest.toFixed(1)} on ${cpus().length} cores during this run: other work competed for ` +
    `the CPU, so wall times are longer and "cores used" lower than on an idle machine (CPU seconds are less affected).`);
}
log(`\n${result.environment.cores} cores, load average ${loadStart.toFixed(2)} → ${result.environment.loadEnd.toFixed(2)}; ` +
  `full report: ${join(out, 'perf.md')} and ${join(out, 'perf.json')}`);
if (errors.length) {
  log(`${errors.length} error(s):\n${errors.map((e) => `  ${e}`).join('\n')}`);
  process.exitCode = 1;
}

function safe(f) {
  try {
    return f();
  } catch {
    return null;
  }
}

function chromiumVersion() {
  return safe(() => /Chromium [\d.]+/.exec(execFileSync(CHROMIUM, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }))?.[0]) ?? 'Chromium';
}

function METHOD() {
  return `Method: both bundles served from 127.0.0.1 ${tls ? 'over HTTPS with HTTP/2' : 'over HTTP/1.1'} by bench/perf/server.mjs like a static host (JS, wasm, HTML, JSON ` +
    `gzip-compressed on the fly; our .bin files and Pagefind's pf_* and wasm.*.pagefind files, compressed already, as ` +
    `stored; max-age=600; ${settings.latencyMs ? `${settings.latencyMs} ms added before each response` : 'no added latency'}). Bytes = response bodies as sent, counted by the server, workers' requests included. ` +
    `Headless Chromium (playwright-core, a fresh profile for every cold start and every pass). jiansuo: openIndex(…, ` +
    `{ worker: true }) and search(q, { limit: 10 }); Pagefind: its pagefind.js (in its own worker), search(q) and data() ` +
    `of the first 10 results. Cold start: import of the API → first results of one query (${COLD.join(', ')} in turn), ` +
    `median of ${settings.coldRuns}. New query: a query not run before in that page, after one warm-up query (${WARMUP}); ` +
    `median over ${settings.passes} passes (the list's order, then shuffled); warm: the same query ${settings.repeats} ` +
    `times more, median of every repeat. Median and p95 (nearest rank) over the ${TIMED.length} queries, ${WORST} ` +
    `included (also shown alone). Whole bundle: every file written. Build: GNU time; Pagefind indexes the HTML pages ` +
    `bench/eval writes (one per post), jiansuo reads the posts themselves; the previous bundles are renamed before and ` +
    `deleted after the builds (a mass delete just before a build slows its file creation on ext4).` +
    (settings.rttMs > 0 ? ` Rows "${settings.rttMs} ms per request": the server waits that long before every response ` +
      `(a network's round trip, without its bandwidth limit), ${COLD.length} cold starts and one pass of new queries.` : '');
}
