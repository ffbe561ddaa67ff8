// Duplicate stories on the real corpus (issue #7): the posts the build folded into another post's story, beside the
// corpus's own count of stories told by more than one finance feed (caijing-kuaixun/SOURCE.md: about 2,480, matched on
// the first 40 characters after the feed's prefix). See bench/README.md.
//
//   node bench/suggest/duplicates.mjs [--bundle DIR] [--corpus DIR] [--examples N]
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { readPost } from '../eval/corpus.mjs';

const HERE = dirname(fileURLToPath(import.meta.url));
const REPO = resolve(HERE, '../..');
const { values: opts } = parseArgs({
  options: {
    corpus: { type: 'string', default: resolve(REPO, '../shared/corpus') },
    bundle: { type: 'string', default: join(REPO, 'bench/out/suggest/bundle') },
    out: { type: 'string', default: join(REPO, 'bench/out') },
    bin: { type: 'string', default: join(REPO, 'target/release/examples/duplicate_stories') },
    examples: { type: 'string', default: '6' },
  },
});
const EXAMPLES = Number(opts.examples) || 6;
// The build's rule (src/dedup.rs): SIMILARITY, MIN_CHARS, SHINGLE, WINDOW_SECONDS, CONTAINMENT,
// MIN_CHARS_SAME_HEADLINE.
const SIMILARITY = 0.6;
const MIN_CHARS = 20; // shorter bodies are compared only under the same headline
const SHINGLE = 4;
const WINDOW_MS = 6 * 3600 * 1000; // posts further apart are never one story
const CONTAINMENT = 0.8; // under the same headline: the share of the shorter body's shingles inside the longer
const MIN_CHARS_SAME_HEADLINE = 8;

if (!existsSync(opts.bin)) throw new Error(`${opts.bin} is not built: cargo build --release --example duplicate_stories`);
if (!existsSync(join(opts.bundle, 'manifest.bin'))) throw new Error(`no bundle in ${opts.bundle}: run bench/suggest/run.mjs first`);

// ---- what the build folded ----------------------------------------------------------------------------

const tsv = execFileSync(opts.bin, [opts.bundle, '--tsv'], { encoding: 'utf8', maxBuffer: 1 << 28, stdio: ['ignore', 'pipe', 'pipe'] });
const slugOf = (url) => url.slice(url.lastIndexOf('/') + 1).replace(/\.html$/, '');
const dayOf = (url) => {
  const m = /\/(\d{4})\/(\d{2})\/(\d{2})\//.exec(url);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3]) / 86_400_000 : NaN;
};
const folded = tsv
  .trim()
  .split('\n')
  .slice(1)
  .map((line) => {
    const [post, story, postUrl, storyUrl] = line.split('\t');
    return { post: +post, story: +story, slug: slugOf(postUrl), storySlug: slugOf(storyUrl), gap: Math.abs(dayOf(postUrl) - dayOf(storyUrl)) };
  });
const storyOf = new Map(folded.map((f) => [f.slug, f.storySlug])); // slug → the slug of its story's newest post
const story = (slug) => storyOf.get(slug) ?? slug;
const members = new Map(); // story slug → every slug of the story
for (const f of folded) {
  if (!members.has(f.storySlug)) members.set(f.storySlug, [f.storySlug]);
  members.get(f.storySlug).push(f.slug);
}

// ---- the posts, as the corpus has them ------------------------------------------------------------------

const posts = new Map(); // slug → { folder, feed, title, text, day }
for (const folder of readdirSync(opts.corpus).sort()) {
  const dir = join(opts.corpus, folder, '_posts');
  if (!existsSync(dir)) continue;
  for (const file of readdirSync(dir)) {
    if (!/^\d{4}-\d{2}-\d{2}-.*\.(md|markdown|html)$/.test(file)) continue;
    const post = readPost(opts.corpus, join(dir, file));
    posts.set(post.slug, {
      folder,
      feed: post.categories[0] ?? folder,
      title: post.title,
      text: post.text,
      date: post.date.slice(0, 10),
      time: Date.parse(post.date),
    });
  }
}
const feedOf = (slug) => posts.get(slug)?.feed ?? '?';

const letters = (text) => [...text.normalize('NFKC').toLowerCase()].filter((c) => /[\p{L}\p{N}]/u.test(c));
function shinglesOf(chars) {
  const set = new Set();
  for (let i = 0; i + SHINGLE <= chars.length; i++) set.add(chars.slice(i, i + SHINGLE).join(''));
  return set;
}
const shingles = (text) => shinglesOf(letters(text));
const common = (x, y) => [...x].filter((s) => y.has(s)).length;
/** Exact Jaccard similarity of two bodies' shingles (the build estimates it with MinHash). */
function similarity(a, b) {
  const [x, y] = [shingles(a), shingles(b)];
  const both = common(x, y);
  return both / (x.size + y.size - both || 1);
}
/** A headline as the build compares it: folded, letters and digits only. */
const headline = (title) => letters(title).join('');
/**
 * The share of the smaller body's shingles found in the other, as the build computes it for two posts with the same
 * headline: the whole bodies, or what follows the headline a body opens with (`【标题】…`), whichever is more.
 */
function containment(a, b, title = '') {
  const head = headline(title);
  const rest = (chars) =>
    head && chars.length - head.length >= MIN_CHARS_SAME_HEADLINE && chars.slice(0, head.length).join('') === head
      ? chars.slice(head.length)
      : chars;
  const inside = (x, y) => common(x, y) / (Math.min(x.size, y.size) || 1);
  const [x, y] = [letters(a), letters(b)];
  return Math.max(inside(shinglesOf(x), shinglesOf(y)), inside(shinglesOf(rest(x)), shinglesOf(rest(y))));
}

// The corpus's own matching (SOURCE.md): the first 40 characters after `财联社8月1日电，` (cls) or `【title】` (eastmoney).
const PREFIX = /^(财联社\d{1,2}月\d{1,2}日电，|【[^】]*】)/;
const groups = new Map(); // key → slugs
for (const [slug, post] of posts) {
  if (post.folder !== 'caijing-kuaixun') continue;
  const key = post.text.replace(PREFIX, '').slice(0, 40);
  if (!key) continue;
  if (!groups.has(key)) groups.set(key, []);
  groups.get(key).push(slug);
}
const crossFeed = [...groups.values()].filter((slugs) => new Set(slugs.map(feedOf)).size > 1);
const verdicts = { whole: [], part: [], none: [] };
for (const slugs of crossFeed) {
  const stories = new Set(slugs.map(story));
  (stories.size === 1 ? verdicts.whole : stories.size < slugs.length ? verdicts.part : verdicts.none).push(slugs);
}
const unfoldedPairs = [...verdicts.none, ...verdicts.part].map((slugs) => {
  const apart = slugs.filter((s) => story(s) !== story(slugs[0]));
  const pair = [slugs[0], apart[0] ?? slugs[1]];
  const [a, b] = pair.map((slug) => posts.get(slug));
  const sameHeadline = headline(a.title) !== '' && headline(a.title) === headline(b.title);
  const shortest = Math.min(letters(a.text).length, letters(b.text).length);
  return {
    pair,
    sameHeadline,
    short: shortest < (sameHeadline ? MIN_CHARS_SAME_HEADLINE : MIN_CHARS),
    apart: Math.abs(a.time - b.time) > WINDOW_MS,
    sim: similarity(a.text, b.text),
    inside: containment(a.text, b.text, sameHeadline ? a.title : ''),
  };
});

// The audit's measure: posts of more than one feed with the same headline, published within an hour of the first.
const byHeadline = new Map(); // headline → slugs, oldest first
for (const [slug, post] of [...posts].sort((a, b) => a[1].time - b[1].time)) {
  const key = post.folder === 'caijing-kuaixun' ? headline(post.title) : '';
  if (!key) continue;
  if (!byHeadline.has(key)) byHeadline.set(key, []);
  byHeadline.get(key).push(slug);
}
const headlineGroups = [];
for (const slugs of byHeadline.values()) {
  let run = [];
  for (const slug of [...slugs, null]) {
    if (slug && run.length && posts.get(slug).time - posts.get(run[0]).time <= 3600_000) {
      run.push(slug);
      continue;
    }
    if (new Set(run.map(feedOf)).size > 1) headlineGroups.push(run);
    run = slug ? [slug] : [];
  }
}
const headlineGroupsWhole = headlineGroups.filter((slugs) => new Set(slugs.map(story)).size === 1).length;
const untitled = (u) => u.pair.some((s) => headline(posts.get(s).title) === '');

// ---- the report --------------------------------------------------------------------------------------

const pct = (n, d) => `${((100 * n) / (d || 1)).toFixed(1)} %`;
const clip = (s, n = 70) => (s.length > n ? s.slice(0, n) + '…' : s);
const show = (slug) => {
  const p = posts.get(slug);
  return p ? `${p.date} ${p.feed}: ${clip(p.text.replace(/\s+/g, ' '))}` : slug;
};
const lines = ['# Duplicate stories (issue #7)', ''];
const storyCount = members.size;
const sizes = new Map();
for (const list of members.values()) sizes.set(list.length, (sizes.get(list.length) ?? 0) + 1);
lines.push(`Bundle \`${opts.bundle}\` (${posts.size} posts read from \`${opts.corpus}\`): the build folded **${folded.length} posts** into`);
lines.push(`another post's story; **${storyCount} stories** are told by more than one post (posts per story: ${[...sizes].sort((a, b) => a[0] - b[0]).map(([n, c]) => `${n}: ${c}`).join(', ')}).`, '');

const byFolder = new Map();
for (const f of folded) {
  const key = `${posts.get(f.slug)?.folder ?? '?'}`;
  byFolder.set(key, (byFolder.get(key) ?? 0) + 1);
}
lines.push(`Folded posts per corpus: ${[...byFolder].map(([k, v]) => `${k} ${v}`).join(', ')}.`);
const sameFeed = folded.filter((f) => feedOf(f.slug) === feedOf(f.storySlug)).length;
lines.push(`Folded into a post of the same feed: ${sameFeed}; of another feed: ${folded.length - sameFeed}.`);
const gaps = [[0, 0, 'same day'], [1, 1, '1 day'], [2, 7, '2–7 days'], [8, Infinity, 'more than a week']];
lines.push(`Days between a folded post and its story's newest post: ${gaps.map(([lo, hi, label]) => `${label} ${folded.filter((f) => f.gap >= lo && f.gap <= hi).length}`).join(', ')}.`, '');

lines.push('## Beside the corpus\'s own count', '');
lines.push(`caijing-kuaixun, matched as SOURCE.md says (the first 40 characters after \`财联社…电，\` or \`【…】\`): ${crossFeed.length} groups`);
lines.push(`of posts from more than one feed (SOURCE.md: about 2,480). The build folded ${verdicts.whole.length} of them whole (${pct(verdicts.whole.length, crossFeed.length)}),`);
const near = unfoldedPairs.filter((u) => !u.apart);
const underHeadline = near.filter((u) => u.sameHeadline);
const otherHeadlines = near.filter((u) => !u.sameHeadline);
const long = otherHeadlines.filter((u) => !u.short);
lines.push(`${verdicts.part.length} in part, ${verdicts.none.length} not at all. Of the ${unfoldedPairs.length} groups not wholly folded, ${unfoldedPairs.length - near.length} were published over`);
lines.push(`${WINDOW_MS / 3600_000} hours apart; ${underHeadline.length} have the same headline (folded, letters and digits) but a body under`);
lines.push(`${MIN_CHARS_SAME_HEADLINE} letters (${underHeadline.filter((u) => u.short).length}) or under ${CONTAINMENT * 100} % inside the other (${underHeadline.filter((u) => !u.short).length});`);
lines.push(`${otherHeadlines.length} have other headlines (${otherHeadlines.filter(untitled).length} a post without one): ${otherHeadlines.length - long.length} a body under the ${MIN_CHARS} letters the build then requires, and the others'`);
lines.push(`exact shingle similarity (${SHINGLE} characters, as the build's MinHash estimates it; it folds from ${SIMILARITY}):`);
const buckets = [[SIMILARITY, 1.01, `≥ ${SIMILARITY} (MinHash missed)`], [0.4, SIMILARITY, `0.4–${SIMILARITY}`], [0.2, 0.4, '0.2–0.4'], [0, 0.2, '< 0.2']];
lines.push(buckets.map(([lo, hi, label]) => `${label}: ${long.filter((u) => u.sim >= lo && u.sim < hi).length}`).join(', ') + ';');
lines.push(`${long.filter((u) => u.sim < SIMILARITY && u.inside >= CONTAINMENT).length} of those under ${SIMILARITY} have the shorter body ${CONTAINMENT * 100} % or more inside the longer (folded only under the same headline).`, '');
lines.push(`Posts of more than one feed with the same headline (folded), published within an hour of the first: ${headlineGroups.length} groups,`);
lines.push(`${headlineGroupsWhole} folded whole (${pct(headlineGroupsWhole, headlineGroups.length)}).`, '');

lines.push('### Folded pairs, to eyeball (a random-looking but fixed sample)', '');
const step = Math.max(1, Math.floor(folded.length / EXAMPLES));
for (let i = 0; i < folded.length && i < step * EXAMPLES; i += step) {
  const f = folded[i];
  const [a, b] = [posts.get(f.slug), posts.get(f.storySlug)];
  const sameHeadline = headline(a?.title ?? '') !== '' && headline(a?.title ?? '') === headline(b?.title ?? '');
  const inside = containment(a?.text ?? '', b?.text ?? '', sameHeadline ? a?.title : '');
  lines.push(`- sim ${similarity(a?.text ?? '', b?.text ?? '').toFixed(2)}, inside ${inside.toFixed(2)}${sameHeadline ? ' (same headline)' : ''}`);
  lines.push(`  - ${show(f.storySlug)}`, `  - ${show(f.slug)}`);
}
lines.push('', '### The largest stories', '');
for (const [head, list] of [...members].sort((a, b) => b[1].length - a[1].length).slice(0, 4)) {
  lines.push(`- ${list.length} posts, ${new Set(list.map((s) => posts.get(s)?.date)).size} different days:`);
  for (const slug of list.slice(0, 4)) lines.push(`  - ${show(slug)}`);
  void head;
}
lines.push('', '### Folded across more than a week', '');
for (const f of folded.filter((x) => x.gap > 7).slice(0, EXAMPLES)) {
  lines.push(`- ${f.gap} days apart, sim ${similarity(posts.get(f.slug).text, posts.get(f.storySlug).text).toFixed(2)}`);
  lines.push(`  - ${show(f.storySlug)}`, `  - ${show(f.slug)}`);
}
lines.push('', '### Near misses: same story by the corpus\'s match, not folded, body long enough', '');
for (const u of long.sort((a, b) => b.sim - a.sim).slice(0, EXAMPLES)) {
  lines.push(`- sim ${u.sim.toFixed(2)}, inside ${u.inside.toFixed(2)}`, `  - ${show(u.pair[0])}`, `  - ${show(u.pair[1])}`);
}
lines.push('', '### Near misses: same headline, not folded', '');
for (const u of underHeadline.sort((a, b) => b.inside - a.inside).slice(0, EXAMPLES)) {
  lines.push(`- inside ${u.inside.toFixed(2)}, sim ${u.sim.toFixed(2)}`, `  - ${show(u.pair[0])}`, `  - ${show(u.pair[1])}`);
}
lines.push('', '### Near misses: too short to be compared', '');
for (const u of near.filter((x) => x.short).slice(0, EXAMPLES)) {
  lines.push(`- ${u.pair.map((s) => letters(posts.get(s).text).length).join(' and ')} letters, sim ${u.sim.toFixed(2)}`, `  - ${show(u.pair[0])}`, `  - ${show(u.pair[1])}`);
}

// What a reader sees: the default search folds, showDuplicates lists every post.
const api = join(opts.bundle, 'jiansuo.js');
if (existsSync(api)) {
  const { openIndex } = await import(pathToFileURL(api).href);
  const index = await openIndex(opts.bundle);
  lines.push('', '## What a search shows', '', '| query | results (default) | with showDuplicates | folded | top 10 with 另有 N 个来源 |', '|---|--:|--:|--:|--:|');
  for (const query of ['美联储', '特朗普', '降息', '人民币', '英伟达', '芯片', '黄金', '原油', '人工智能', '中间价']) {
    const folded = await index.search(query, { limit: 10 });
    const all = await index.search(query, { limit: 1, showDuplicates: true });
    const marked = folded.results.filter((r) => r.duplicates > 0).length;
    lines.push(`| ${query} | ${folded.total} | ${all.total} | ${all.total - folded.total} (${pct(all.total - folded.total, all.total)}) | ${marked} |`);
  }
  index.close();
}

const report = lines.join('\n') + '\n';
mkdirSync(opts.out, { recursive: true });
writeFileSync(join(opts.out, 'duplicates.md'), report);
console.log(report);
console.error(`report: ${join(opts.out, 'duplicates.md')}`);
