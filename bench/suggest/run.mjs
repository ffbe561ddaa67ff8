// Pinyin, typo tolerance and completions on the real corpus (issue #7): how often the engine searches what the
// reader meant, what it costs in time and in bundle bytes. See bench/README.md.
//
//   node bench/suggest/run.mjs [--bundle DIR] [--reuse-bundle] [--class NAME]… [--repeats N] [--quiet]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { createRequire, syncBuiltinESMExports } from 'node:module';
import { loadavg } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { median, p95 } from '../perf/stats.mjs';
import { postDirsOf } from '../perf/corpus.mjs';
import { distance, readInputs, tolerated } from './inputs.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');

const { values: opts } = parseArgs({
  options: {
    corpus: { type: 'string', default: resolve(REPO, '../shared/corpus') },
    inputs: { type: 'string', default: join(HERE, 'inputs.tsv') },
    out: { type: 'string', default: join(REPO, 'bench/out') },
    bundle: { type: 'string' },
    'build-index': { type: 'string', default: join(REPO, 'target/release/build-index') },
    'term-stats': { type: 'string', default: join(REPO, 'target/release/examples/term_stats') },
    'reuse-bundle': { type: 'boolean', default: false },
    class: { type: 'string', multiple: true, default: [] },
    repeats: { type: 'string', default: '5' },
    rare: { type: 'string', default: '200' },
    quiet: { type: 'boolean', default: false },
  },
});
const bundle = resolve(opts.bundle ?? join(opts.out, 'suggest/bundle'));
const repeats = Math.max(1, Number(opts.repeats) || 5);
const sample = Math.max(0, Number(opts.rare) || 0);
const log = (...a) => opts.quiet || console.error(...a);

// ---- the bundle ---------------------------------------------------------------------------------------

if (!(opts['reuse-bundle'] && existsSync(join(bundle, 'manifest.bin')))) {
  const bin = opts['build-index'];
  if (!existsSync(bin)) throw new Error(`${bin} does not exist: make build-index`);
  // The web assets too: the bundle's own jiansuo.js is the API under test.
  const args = [...postDirsOf(opts.corpus).map((d) => d.dir), '--out', bundle, '--permalink', '/:year/:month/:day/:title.html'];
  log(`build-index (built ${statSync(bin).mtime.toISOString()}) … --out ${bundle}`);
  const started = Date.now();
  execFileSync(bin, args, { cwd: REPO, stdio: ['ignore', 'ignore', 'inherit'] });
  log(`bundle built in ${((Date.now() - started) / 1000).toFixed(0)} s`);
}
const api = join(bundle, 'jiansuo.js');
if (!existsSync(api)) throw new Error(`${api} is missing: the bundle was built with --no-assets`);

// Counts the index files the API reads per query (host.js reads them with node:fs/promises' readFile).
const fsp = createRequire(import.meta.url)('node:fs/promises');
const readFile = fsp.readFile;
const reads = { files: 0, bytes: 0 };
fsp.readFile = async (...args) => {
  const data = await readFile(...args);
  reads.files++;
  reads.bytes += data.length;
  return data;
};
syncBuiltinESMExports();

const { openIndex } = await import(pathToFileURL(api).href);

async function timed(fn) {
  const before = { ...reads };
  const start = performance.now();
  const value = await fn();
  return { value, ms: performance.now() - start, files: reads.files - before.files, bytes: reads.bytes - before.bytes };
}

async function warm(fn) {
  const times = [];
  for (let i = 0; i < repeats; i++) times.push((await timed(fn)).ms);
  return median(times);
}

/** Posts that contain `word` as typed, duplicate stories included: `w OR w` is never rewritten (a rewrite needs a keyword alone). */
async function literally(index, word) {
  return (await index.search(`${word} OR ${word}`, { limit: 1, showDuplicates: true })).total;
}

// ---- the inputs ---------------------------------------------------------------------------------------

const rows = readInputs(opts.inputs).filter((r) => opts.class.length === 0 || opts.class.includes(r.cls));
const load = { start: loadavg()[0] };

/** The verdict on what the engine did with a pinyin or Latin input. */
function judge(row, page) {
  const want = row.want[0];
  const rewrite = page.rewrite ?? null;
  const offered = page.alternatives?.[0] ?? null;
  if (row.family === 'control') return rewrite ? 'wrong' : 'right';
  const kind = row.family; // 'pinyin' | 'typo'
  if (rewrite?.kind === kind && rewrite.query === want) return 'right';
  if (!rewrite && offered?.kind === kind && offered.query === want) return 'offered';
  if (rewrite || offered) return 'wrong';
  return 'none';
}

/** Why a wrong answer may have happened, from what the engine and the input list know. */
async function why(index, row, page, wantTotal) {
  const want = row.want[0];
  const reasons = [];
  const got = page.rewrite?.query ?? page.alternatives?.[0]?.query;
  const other = got ? `${got} is in ${await literally(index, got)} posts, ${want} in ${wantTotal}` : null;
  if (row.family === 'pinyin') {
    const completions = await index.complete(want, { limit: 8 });
    if (!completions.some((c) => c.text === want)) reasons.push(`${want} is not a word of the vocabulary`);
    if (other) reasons.push(other);
    if (!page.rewrite && page.total >= 3) reasons.push(`the letters are in ${page.total} posts as typed`);
  } else if (row.family === 'typo') {
    const d = distance(row.input, want);
    if (d > tolerated(row.input.length)) reasons.push(`distance ${d} > ${tolerated(row.input.length)} tolerated at ${row.input.length} letters`);
    if (row.input[0] !== want[0]) reasons.push('the first letter differs');
    if (other) reasons.push(`${other} (distance ${distance(row.input, got)})`);
    if (!page.rewrite && page.total >= 3) reasons.push(`the input is in ${page.total} posts as typed`);
  } else if (row.family === 'control' && page.rewrite) {
    reasons.push(`rewritten to ${page.rewrite.kind} ${got} (in ${await literally(index, got)} posts) although ${want} is in ${wantTotal}`);
  }
  return reasons.join('; ');
}

// Each input in an index of its own, opened for it, and the word meant typed directly in another: the first search
// reads every file it needs (as a new query would after opening), and neither warms the other.
const results = [];
for (const row of rows) {
  const typed = await openIndex(bundle);
  let result;
  if (row.family === 'complete') {
    const first = await timed(() => typed.complete(row.input, { limit: 8 }));
    const texts = first.value.map((c) => c.text);
    const rank = texts.findIndex((t) => row.want.includes(t));
    result = {
      ...row,
      verdict: rank >= 0 ? 'right' : 'wrong',
      searched: texts.join(' '),
      rank: rank >= 0 ? rank + 1 : null,
      total: first.value.length,
      ms: first.ms,
      warm: await warm(() => typed.complete(row.input, { limit: 8 })),
      files: first.files,
      bytes: first.bytes,
      why: rank >= 0 ? '' : `top 8: ${texts.join(' ') || '(none)'}`,
    };
  } else {
    const first = await timed(() => typed.search(row.input, { limit: 10 }));
    const page = first.value;
    const verdict = judge(row, page);
    const direct = await openIndex(bundle);
    const meant = await timed(() => direct.search(row.want[0], { limit: 10 }));
    const meantWarm = await warm(() => direct.search(row.want[0], { limit: 10 }));
    const wantTotal = await literally(direct, row.want[0]);
    result = {
      ...row,
      verdict,
      searched: page.rewrite ? `${page.rewrite.kind}: ${page.rewrite.query}` : '',
      alternatives: (page.alternatives ?? []).map((a) => `${a.kind}: ${a.query} (${a.count})`).join(', '),
      total: page.total,
      ms: first.ms,
      warm: await warm(() => typed.search(row.input, { limit: 10 })),
      files: first.files,
      bytes: first.bytes,
      wantTotal,
      wantMs: meant.ms,
      wantWarm: meantWarm,
      wantBytes: meant.bytes,
      why: verdict === 'right' || verdict === 'offered' ? '' : await why(direct, row, page, wantTotal),
    };
    direct.close();
  }
  typed.close();
  results.push(result);
  log(`${result.verdict.padEnd(7)} ${row.cls.padEnd(15)} ${row.input} → ${result.searched || result.alternatives || '—'} (${result.ms.toFixed(1)} ms)`);
}

// Latin words spelt as they occur in the corpus, in 1 or 2 posts (so the engine tries a correction): how many does it
// replace by another word? An even sample of the dictionary's runs of 4+ letters (from examples/term_stats).
const rare = { sampled: 0, rewritten: [] };
if (sample > 0 && existsSync(opts['term-stats'])) {
  const runs = execFileSync(opts['term-stats'], [bundle, '--list', 'r'], { encoding: 'utf8', maxBuffer: 1 << 28 })
    .split('\n')
    .map((line) => /^r([a-z]{4,})\tdf (\d+)$/.exec(line))
    .filter((m) => m && Number(m[2]) <= 2)
    .map((m) => m[1]);
  const step = Math.max(1, runs.length / sample);
  const index = await openIndex(bundle);
  for (let i = 0; i < runs.length && rare.sampled < sample; i += step) {
    const word = runs[Math.floor(i)];
    rare.sampled++;
    const page = await index.search(word, { limit: 1 });
    if (page.rewrite) rare.rewritten.push({ word, posts: await literally(index, word), ...page.rewrite, total: page.total });
  }
  rare.runs = runs.length;
  index.close();
}
load.end = loadavg()[0];

// ---- the report ---------------------------------------------------------------------------------------

const pct = (n, d) => (d ? `${((100 * n) / d).toFixed(1)} %` : '—');
const ms = (v) => (v == null ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(1));
const kib = (v) => (v == null ? '—' : (v / 1024).toFixed(1));

function classRow(name, list) {
  const n = list.length;
  const right = list.filter((r) => r.verdict === 'right').length;
  const offered = list.filter((r) => r.verdict === 'offered').length;
  const wrong = list.filter((r) => r.verdict === 'wrong').length;
  const none = list.filter((r) => r.verdict === 'none').length;
  const direct = list.filter((r) => r.wantMs != null);
  return {
    name, n, right, offered, wrong, none,
    accuracy: pct(right + offered, n),
    first: median(list.map((r) => r.ms)),
    firstP95: p95(list.map((r) => r.ms)),
    warm: median(list.map((r) => r.warm)),
    warmP95: p95(list.map((r) => r.warm)),
    bytes: median(list.map((r) => r.bytes)),
    directFirst: direct.length ? median(direct.map((r) => r.wantMs)) : null,
    directWarm: direct.length ? median(direct.map((r) => r.wantWarm)) : null,
    directBytes: direct.length ? median(direct.map((r) => r.wantBytes)) : null,
    extraBytes: direct.length ? median(direct.map((r) => r.bytes - r.wantBytes)) : null,
  };
}

const classes = [...new Set(results.map((r) => r.cls))];
const table = [];
for (const family of ['pinyin', 'typo', 'control', 'complete']) {
  const inFamily = classes.filter((c) => results.find((r) => r.cls === c).family === family && results.find((r) => r.cls === c).scored);
  for (const cls of inFamily) table.push(classRow(cls, results.filter((r) => r.cls === cls)));
  if (inFamily.length > 1) table.push(classRow(`**${family} (all)**`, results.filter((r) => r.family === family && r.scored)));
}
const limits = classes.filter((c) => c.startsWith('limit-'));
for (const cls of limits) table.push(classRow(`${cls} (not scored)`, results.filter((r) => r.cls === cls)));

const lines = [];
lines.push('# Pinyin, typos and completions (issue #7)', '');
lines.push(`Bundle: \`${bundle}\`; inputs: \`${opts.inputs}\` (${rows.length}).`);
lines.push(`Node ${process.version}, engine in the main thread (no worker), files read from disk; warm = median of ${repeats} repeats.`);
lines.push(`Load average ${load.start.toFixed(2)} at the start, ${load.end.toFixed(2)} at the end (2 cores, shared: times are indicative).`, '');
lines.push('Right = the engine searched the word meant (`page.rewrite`); offered = it searched the letters as typed, which found');
lines.push('something, and offered the word meant first (`page.alternatives`); wrong = it searched or offered another word;');
lines.push('none = nothing rewritten or offered. For completions, right = a wanted word among the first 8.');
lines.push('Each input is searched in an index opened for it: first = its first search (which reads every index file it needs,');
lines.push('as a new query right after opening), warm = the same again; KiB = index files read by the first search (deflated, as');
lines.push('served). Direct = the word meant, typed as it is, in another fresh index: what the rewrite costs on top of it (the last');
lines.push('column: the median over the inputs of the KiB each read beyond its direct search).', '');
lines.push('| class | inputs | right | offered | wrong | none | accuracy | first ms (median / p95) | warm ms (median / p95) | KiB read (median) | direct: first / warm ms, KiB | KiB more than direct (median) |');
lines.push('|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|');
for (const t of table) {
  lines.push(`| ${t.name} | ${t.n} | ${t.right} | ${t.offered} | ${t.wrong} | ${t.none} | ${t.accuracy} | ${ms(t.first)} / ${ms(t.firstP95)} | ${ms(t.warm)} / ${ms(t.warmP95)} | ${kib(t.bytes)} | ${ms(t.directFirst)} / ${ms(t.directWarm)}, ${kib(t.directBytes)} | ${kib(t.extraBytes)} |`);
}

const failures = results.filter((r) => r.verdict !== 'right' && r.verdict !== 'offered');
lines.push('', `## Not right (${failures.length})`, '');
lines.push('| class | input | searched | offered | posts found | wanted | posts with it | why (as far as the bench can tell) | note |');
lines.push('|---|---|---|---|--:|---|--:|---|---|');
for (const r of failures) {
  lines.push(`| ${r.cls} | \`${r.input}\` | ${r.searched || '—'} | ${r.alternatives || '—'} | ${r.total} | ${r.want.join(' / ')} | ${r.wantTotal ?? '—'} | ${r.why || '—'} | ${r.note || ''} |`);
}

lines.push('', '## Every input', '');
lines.push('| class | input | verdict | searched | offered / top 8 | posts found | wanted | first ms | warm ms | files | KiB |');
lines.push('|---|---|---|---|---|--:|---|--:|--:|--:|--:|');
for (const r of results) {
  const offered = r.family === 'complete' ? r.searched : r.alternatives;
  const searched = r.family === 'complete' ? (r.rank ? `#${r.rank}` : '—') : r.searched || '—';
  lines.push(`| ${r.cls} | \`${r.input}\` | ${r.verdict} | ${searched} | ${offered || '—'} | ${r.total} | ${r.want.join(' / ')} | ${ms(r.ms)} | ${ms(r.warm)} | ${r.files} | ${kib(r.bytes)} |`);
}

lines.push('', '## Rare words spelt right', '');
if (rare.sampled) {
  lines.push(`Of the dictionary's ${rare.runs} Latin words of 4+ letters found in 1 or 2 posts (few enough for the engine to try a`);
  lines.push(`correction), an even sample of ${rare.sampled} was searched as spelt in the corpus; ${rare.rewritten.length} (${pct(rare.rewritten.length, rare.sampled)}) were replaced by another word:`, '');
  lines.push('| typed (posts with it) | searched instead | posts found |', '|---|---|--:|');
  for (const r of rare.rewritten) lines.push(`| \`${r.word}\` (${r.posts}) | ${r.kind}: ${r.query} | ${r.total} |`);
} else {
  lines.push(`Not measured (--rare 0, or ${opts['term-stats']} not built: \`cargo build --release --example term_stats\`).`);
}

// The pinyin keys' share of the dictionary, from examples/term_stats.rs.
lines.push('', '## Bytes of the term dictionary per kind of key', '');
if (existsSync(opts['term-stats'])) {
  lines.push('`' + `${opts['term-stats']} ${bundle}` + '`:', '');
  lines.push(execFileSync(opts['term-stats'], [bundle], { encoding: 'utf8' }).trim());
  const total = Number(execFileSync('du', ['-sb', bundle], { encoding: 'utf8' }).split('\t')[0]);
  lines.push('', `Whole bundle: ${(total / 1024 / 1024).toFixed(1)} MiB (du -sb).`);
} else {
  lines.push(`${opts['term-stats']} is not built: \`cargo build --release --example term_stats\`.`);
}

const report = lines.join('\n') + '\n';
mkdirSync(opts.out, { recursive: true });
writeFileSync(join(opts.out, 'suggest.md'), report);
writeFileSync(join(opts.out, 'suggest.json'), JSON.stringify({ bundle, load, repeats, table, results, rare }, null, 1));
console.log(report.replace(/\n## Every input[\s\S]*?\n## /, '\n## '));
console.error(`full report: ${join(opts.out, 'suggest.md')}, ${join(opts.out, 'suggest.json')}`);
