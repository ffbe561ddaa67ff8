#!/usr/bin/env node
// Where a jiansuo query's time goes, in headless Chromium: the engine in the page (openIndex without a
// worker, the same engine and host code), its calls timed by wrapping Engine.prototype.search and
// addFile, the network time from PerformanceResourceTiming, and (--cpu) a CDP CPU profile of each
// query's first run, summed by function. Usage: bench/README.md (perf/profile.mjs).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { launch } from '../../tests/browser/helpers.mjs';
import { MOUNT } from './browser.mjs';
import { TIMED, WARMUP } from './queries.mjs';
import { fmt } from './report.mjs';
import { serveBench } from './server.mjs';
import { median } from './stats.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const OUT = join(dirname(HERE), 'out');

const { values: opts, positionals } = parseArgs({
  allowPositionals: true,
  options: {
    bundle: { type: 'string', default: join(OUT, 'perf', 'jiansuo') },
    out: { type: 'string', default: OUT },
    cpu: { type: 'boolean', default: false },
    top: { type: 'string', default: '20' },
    repeats: { type: 'string', default: '5' },
    timeout: { type: 'string', default: '120' },
    latency: { type: 'string', default: '0' },
  },
});
const queries = positionals.length ? positionals : TIMED;

const PAGE = `<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>jiansuo profile</title></head><body>
<script type="module">
import { Engine, openIndex } from '${MOUNT.jiansuo}jiansuo.js';
performance.setResourceTimingBufferSize(1e6);
const spent = { search: 0, addFile: 0, rounds: 0, added: 0 };
for (const name of ['search', 'addFile']) {
  const original = Engine.prototype[name];
  Engine.prototype[name] = function (...args) {
    const t0 = performance.now();
    try {
      return original.apply(this, args);
    } finally {
      spent[name] += performance.now() - t0;
      if (name === 'search') spent.rounds++;
      else spent.added++;
    }
  };
}
// The time at least one request was open (the union of the requests' intervals).
function networkMs(since) {
  const spans = performance.getEntriesByType('resource').filter((e) => e.startTime >= since)
    .map((e) => [e.startTime, e.responseEnd]).sort((a, b) => a[0] - b[0]);
  let total = 0, end = -Infinity;
  for (const [s, e] of spans) {
    if (e <= end) continue;
    total += e - Math.max(s, end);
    end = e;
  }
  return total;
}
let index;
window.bench = {
  open: async () => { index = await openIndex('${MOUNT.jiansuo}'); },
  query: async (q) => {
    for (const k in spent) spent[k] = 0;
    const t0 = performance.now();
    const page = await index.search(q, { limit: 10 });
    const ms = performance.now() - t0;
    return { ms, total: page.total, networkMs: networkMs(t0), ...spent };
  },
};
window.benchReady = true;
</script></body></html>
`;

const server = await serveBench({ mounts: { [MOUNT.jiansuo]: resolve(opts.bundle) }, pages: { '/h/profile.html': PAGE }, latency: Number(opts.latency) });
const browser = await launch();
const rows = [];
const functions = new Map(); // "name url" → self ms
try {
  const page = await browser.context.newPage();
  page.on('pageerror', (e) => console.error(`page error: ${e.message}`));
  await page.goto(new URL('/h/profile.html', server.url).href);
  await page.waitForFunction(() => window.benchReady === true, null, { timeout: Number(opts.timeout) * 1000 });
  await page.evaluate(() => window.bench.open());
  await page.evaluate((q) => window.bench.query(q), WARMUP);
  const cdp = opts.cpu ? await browser.context.newCDPSession(page) : null;
  if (cdp) {
    await cdp.send('Profiler.enable');
    await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
  }
  for (const query of queries) {
    if (cdp) await cdp.send('Profiler.start');
    const first = await page.evaluate((q) => window.bench.query(q), query);
    if (cdp) addProfile((await cdp.send('Profiler.stop')).profile);
    const warm = [];
    for (let i = 0; i < Number(opts.repeats); i++) warm.push(await page.evaluate((q) => window.bench.query(q), query));
    const row = {
      query,
      total: first.total,
      firstMs: first.ms,
      networkMs: first.networkMs,
      searchMs: first.search,
      addFileMs: first.addFile,
      restMs: Math.max(0, first.ms - first.networkMs - first.search - first.addFile),
      rounds: first.rounds,
      files: first.added,
      warmMs: median(warm.map((w) => w.ms)),
      warmSearchMs: median(warm.map((w) => w.search)),
    };
    rows.push(row);
    console.error(`${query}: ${row.firstMs.toFixed(1)} ms (network ${row.networkMs.toFixed(1)}, search ${row.searchMs.toFixed(1)}, ` +
      `addFile ${row.addFileMs.toFixed(1)}, ${row.rounds - 1} fetch rounds, ${row.files} files), warm ${row.warmMs.toFixed(1)} ms`);
  }
} finally {
  await browser.close();
  await server.close();
}

function addProfile(profile) {
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  profile.samples.forEach((id, i) => {
    const frame = byId.get(id).callFrame;
    const key = `${frame.functionName || '(anonymous)'} ${frame.url ? frame.url.replace(/^.*\//, '') : ''}`.trim();
    functions.set(key, (functions.get(key) ?? 0) + (profile.timeDeltas[i] ?? 0) / 1000);
  });
}

const table = (header, body) => [header, header.map(() => '---'), ...body].map((r) => `| ${r.join(' | ')} |`).join('\n') + '\n';
const sorted = [...rows].sort((a, b) => b.firstMs - a.firstMs);
let md = `# Where jiansuo's query time goes (${opts.bundle})\n\n` +
  `Engine in the page (no worker); first run of each query after a warm-up (${WARMUP}); network = time with a request open; ` +
  `rest = inflating, JS and waiting for the event loop. Slowest first.\n\n` +
  table(['query', 'results', 'first', 'network', 'engine search', 'engine addFile', 'rest', 'fetch rounds', 'files', 'warm', 'warm search'],
    sorted.map((r) => [r.query, r.total, fmt(r.firstMs, 'ms'), fmt(r.networkMs, 'ms'), fmt(r.searchMs, 'ms'), fmt(r.addFileMs, 'ms'),
      fmt(r.restMs, 'ms'), r.rounds - 1, r.files, fmt(r.warmMs, 'ms'), fmt(r.warmSearchMs, 'ms')]));
if (functions.size) {
  const all = [...functions.values()].reduce((a, b) => a + b, 0);
  md += `\n## CPU profile of the first runs: self time by function (top ${opts.top} of ${all.toFixed(0)} ms sampled)\n\n` +
    table(['function', 'self', 'share'], [...functions].sort((a, b) => b[1] - a[1]).slice(0, Number(opts.top))
      .map(([name, ms]) => [name.replace(/\|/g, '\\|'), fmt(ms, 'ms'), `${((100 * ms) / all).toFixed(1)} %`]));
}
mkdirSync(opts.out, { recursive: true });
writeFileSync(join(opts.out, 'profile.md'), md);
writeFileSync(join(opts.out, 'profile.json'), JSON.stringify({ bundle: opts.bundle, rows, functions: Object.fromEntries(functions) }, null, 1));
process.stdout.write(md);
