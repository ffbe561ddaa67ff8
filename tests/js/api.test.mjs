// The JS API end to end in Node: build-index's bundle of sample/_posts, the real wasm engine, the
// bundle's own jiansuo.js (as a site would ship it).
import assert from 'node:assert/strict';
import { cpSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { SAMPLE_POSTS, realBundle, remove, tempDir } from './helpers/bundle.mjs';

let dir;
let api;
const copies = [];

before(async () => {
  dir = realBundle(SAMPLE_POSTS, tempDir());
  api = await import(pathToFileURL(join(dir, 'jiansuo.js')).href);
});
after(() => [dir, ...copies].forEach((d) => d && remove(d)));

/** A copy of the bundle to damage; the API module of the original serves it (same engine build). */
function copy() {
  const out = tempDir();
  cpSync(dir, out, { recursive: true });
  copies.push(out);
  return out;
}

const hasChangchun = (r) => /长春|長春/.test(r.title + r.excerpt);

describe('searching the sample bundle', () => {
  let index;
  before(async () => {
    index = await api.openIndex(dir);
  });
  after(() => index.close());

  test('长春: results with the documented fields, the hits marked', async () => {
    const page = await index.search('长春', { limit: 10 });
    assert.ok(page.total >= 10, `total ${page.total}`);
    assert.equal(page.results.length, 10);
    for (const r of page.results) {
      assert.equal(typeof r.url, 'string');
      assert.ok(r.url.startsWith('/'), r.url);
      assert.equal(typeof r.title, 'string');
      assert.match(r.date, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?([+-]\d{2}:\d{2}|Z)$/);
      assert.ok(Array.isArray(r.categories) && Array.isArray(r.tags));
      assert.equal(typeof r.score, 'number');
      assert.equal(typeof r.excerpt, 'string');
      assert.ok(hasChangchun(r), `${r.title}: ${r.excerpt}`);
      // The excerpt is escaped text plus <mark>: no other tag.
      assert.doesNotMatch(r.excerpt.replace(/<\/?mark>/g, ''), /[<>]/);
    }
    assert.ok(page.results.some((r) => r.excerpt.includes('<mark>长春</mark>')));
  });

  test('limit and offset page through the same ranking', async () => {
    const all = await index.search('长春', { limit: 50 });
    const first = await index.search('长春', { limit: 4, offset: 0 });
    const second = await index.search('长春', { limit: 4, offset: 4 });
    assert.equal(first.total, all.total);
    assert.deepEqual(
      [...first.results, ...second.results].map((r) => r.url),
      all.results.slice(0, 8).map((r) => r.url),
    );
    const beyond = await index.search('长春', { offset: all.total + 5 });
    assert.equal(beyond.total, all.total);
    assert.deepEqual(beyond.results, []);
  });

  test("sort: 'date' lists newest first", async () => {
    const page = await index.search('长春', { sort: 'date', limit: 50 });
    const times = page.results.map((r) => Date.parse(r.date));
    assert.deepEqual(times, [...times].sort((a, b) => b - a));
  });

  test('engine options pass through: facets, category filter, date range, browsing without a query', async () => {
    const page = await index.search('长春', { facets: true });
    const counts = page.facets?.categories;
    assert.ok(Array.isArray(counts) && counts.length >= 2, JSON.stringify(page.facets));
    const { value, count } = counts[0];
    const filtered = await index.search('长春', { categories: [value], limit: 50 });
    assert.equal(filtered.total, count);
    assert.ok(filtered.results.every((r) => r.categories.includes(value)));
    const browsed = await index.search('', { categories: [value], limit: 50 });
    assert.ok(browsed.total >= count);
    const year = await index.search('长春', { from: '2025-01-01', to: '2025-12-31', limit: 50 });
    assert.ok(year.total > 0 && year.total < page.total);
    assert.ok(year.results.every((r) => r.date.startsWith('2025-')), year.results.map((r) => r.date).join(' '));
  });

  test('limit: 0 answers the total and the facet counts only (what the widget asks when its panel opens)', async () => {
    const full = await index.search('长春', { from: '2024-01-01', facets: true });
    const counts = await index.search('长春', { from: '2024-01-01', facets: true, limit: 0 });
    assert.deepEqual(counts.results, []);
    assert.equal(counts.total, full.total);
    assert.deepEqual(counts.facets, full.facets);
    assert.ok(counts.facets.categories.length > 0 && counts.facets.tags.length > 0);
  });

  test('completions of the keyword being typed', async () => {
    const completions = await index.complete('iph', { limit: 5 });
    assert.ok(completions.some((c) => c.text === 'iphone' && c.query === 'iphone' && c.count >= 1), JSON.stringify(completions));
    const head = await index.complete('长春 iph');
    assert.ok(head.some((c) => c.query === '长春 iphone'), JSON.stringify(head));
    assert.deepEqual(await index.complete('iphone '), []); // a finished keyword
  });

  test('no match, empty query', async () => {
    assert.equal((await index.search('这是一个不会出现的词组合喵')).total, 0);
    assert.equal((await index.search('')).total, 0);
    assert.equal((await index.search('   ')).total, 0);
  });

  test('concurrent searches on a fresh index all succeed (shared fetches)', async () => {
    const fresh = await api.openIndex(dir);
    const queries = ['长春', '人工智能', '黄金价格', '长春', '新能源', 'PM2.5', '长春 人工智能'];
    const pages = await Promise.all(queries.map((q) => fresh.search(q)));
    assert.equal(pages[0].total, pages[3].total);
    for (const [i, page] of pages.entries()) assert.ok(page.total > 0, queries[i]);
    fresh.close();
  });

  test('searcher(): the older of two quick queries is aborted, the newer answered', async () => {
    const fresh = await api.openIndex(dir);
    const search = fresh.searcher();
    const older = search('长');
    const newer = search('长春');
    await assert.rejects(older, { name: 'JiansuoError', code: 'aborted' });
    assert.ok((await newer).total > 0);
    fresh.close();
  });

  test('a query beyond the engine limits: code bad-query', async () => {
    await assert.rejects(index.search('长'.repeat(5000)), { name: 'JiansuoError', code: 'bad-query' });
  });

  test('a wrong option or argument: code bad-options', async () => {
    for (const options of [{ sort: 'x' }, { limit: -1 }, { limit: '3' }, { from: '2024/01/01' }, { to: '2023-02-30' }, { categories: 5 }]) {
      await assert.rejects(index.search('长春', options), { name: 'JiansuoError', code: 'bad-options' }, JSON.stringify(options));
    }
    for (const limit of [-1, 2.5, '3']) {
      await assert.rejects(index.complete('长', { limit }), { name: 'JiansuoError', code: 'bad-options' }, String(limit));
    }
    for (const source of [undefined, null, '']) {
      await assert.rejects(api.openIndex(source), { name: 'JiansuoError', code: 'bad-options' });
    }
  });
});

describe('where the bundle is', () => {
  test('a file: URL (string and URL), a path with and without a trailing slash', async () => {
    for (const source of [pathToFileURL(dir).href, pathToFileURL(dir + '/'), dir, dir + '/']) {
      const index = await api.openIndex(source);
      assert.ok((await index.search('长春')).total >= 10, String(source));
      index.close();
    }
  });

  test('a relative directory path (against the working directory)', async () => {
    const before = process.cwd();
    process.chdir(join(dir, '..'));
    try {
      const index = await api.openIndex(dir.split(/[\\/]/).pop());
      assert.ok((await index.search('长春')).total >= 10);
    } finally {
      process.chdir(before);
    }
  });
});

describe('errors', () => {
  const files = (root, folder) => readdirSync(join(root, folder), { recursive: true }).filter((f) => f.endsWith('.bin'));

  test('no bundle there: missing manifest.bin', async () => {
    await assert.rejects(api.openIndex(join(dir, 'no-such-folder')), (e) => {
      assert.ok(e instanceof api.JiansuoError);
      assert.equal(e.code, 'missing');
      assert.equal(e.file, 'manifest.bin');
      // Where it was looked for, so a wrong path shows in the message.
      assert.match(e.message, /^missing file:\/\/.*\/no-such-folder\/manifest\.bin$/);
      return true;
    });
  });

  test('a missing term file: code missing, the file named', async () => {
    const damaged = copy();
    rmSync(join(damaged, 't'), { recursive: true });
    const index = await api.openIndex(damaged);
    await assert.rejects(index.search('长春'), (e) => {
      assert.equal(e.code, 'missing');
      assert.match(e.file, /^t\//);
      return true;
    });
  });

  test('a corrupted term file (valid deflate, bad content): code damaged, detail corrupt-file', async () => {
    const damaged = copy();
    for (const name of files(damaged, 't')) {
      const path = join(damaged, 't', name);
      const bytes = inflateRawSync(readFileSync(path));
      bytes[bytes.length >> 1] ^= 0x5a;
      writeFileSync(path, deflateRawSync(bytes));
    }
    const index = await api.openIndex(damaged);
    await assert.rejects(index.search('长春'), (e) => {
      assert.equal(e.code, 'damaged');
      assert.equal(e.detail, 'corrupt-file');
      assert.match(e.file, /^t\//);
      return true;
    });
  });

  test('a truncated file (deflate stream cut short): code damaged', async () => {
    const damaged = copy();
    for (const name of files(damaged, 't')) {
      const path = join(damaged, 't', name);
      writeFileSync(path, readFileSync(path).subarray(0, 5));
    }
    const index = await api.openIndex(damaged);
    await assert.rejects(index.search('长春'), { code: 'damaged' });
  });

  test('a damaged manifest: code damaged at open', async () => {
    const damaged = copy();
    const path = join(damaged, 'manifest.bin');
    const bytes = inflateRawSync(readFileSync(path));
    bytes[bytes.length - 1] ^= 0xff;
    writeFileSync(path, deflateRawSync(bytes));
    await assert.rejects(api.openIndex(damaged), { code: 'damaged', file: 'manifest.bin' });
  });

  test('an uncompressed manifest (a writer bug): code damaged', async () => {
    const damaged = copy();
    const path = join(damaged, 'manifest.bin');
    writeFileSync(path, inflateRawSync(readFileSync(path)));
    await assert.rejects(api.openIndex(damaged), { code: 'damaged', file: 'manifest.bin' });
  });
});
