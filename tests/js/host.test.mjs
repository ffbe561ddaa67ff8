// The host side of the engine protocol (www/src/jiansuo.js + host.js) against a stand-in engine
// (helpers/mock-engine.js): fetch loop, in-flight dedupe, typed errors, abort, Node paths and URLs, HTTP.
import assert from 'node:assert/strict';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { deflateRawSync } from 'node:zlib';
import { serve } from '../../scripts/serve.mjs';
import { SAMPLE_POSTS, mockBundle, readPosts, remove, tempDir } from './helpers/bundle.mjs';

const docs = readPosts(SAMPLE_POSTS);
const dirs = [];

/** A fresh mock bundle and its own copy of the API module (so each test has its own engine state). */
async function fresh() {
  const dir = mockBundle(docs, tempDir());
  dirs.push(dir);
  const api = await import(pathToFileURL(join(dir, 'jiansuo.js')).href);
  const engine = await import(pathToFileURL(join(dir, 'jiansuo_engine.js')).href);
  return { dir, api, stats: engine.stats };
}

after(() => dirs.forEach(remove));

test('the sample has enough posts for these tests', () => {
  assert.ok(docs.length >= 30, `only ${docs.length} posts in sample/_posts`);
  assert.ok(docs.some((d) => d.title.includes('长春')));
});

describe('openIndex in Node', () => {
  test('a directory path: fetch rounds until a page', async () => {
    const { dir, api, stats } = await fresh();
    const index = await api.openIndex(dir);
    assert.equal(index.base, pathToFileURL(dir).href + '/');
    const page = await index.search('长春');
    assert.ok(page.total >= 5, `total ${page.total}`);
    assert.equal(page.results.length, 10);
    assert.ok(page.results.every((r) => r.excerpt.includes('<mark>长春</mark>')));
    assert.equal(stats.added[0], 't/terms.bin'); // round 1, then the documents in round 2
    assert.ok(stats.added.length > 1);
    assert.equal(stats.inits, 1);
    index.close();
  });

  test('a file: URL, as a string and as a URL object, with or without manifest.bin', async () => {
    const { dir, api } = await fresh();
    for (const source of [pathToFileURL(dir).href, pathToFileURL(dir + '/'), pathToFileURL(join(dir, 'manifest.bin'))]) {
      const index = await api.openIndex(source);
      assert.ok((await index.search('长春')).total >= 5);
    }
  });

  test('options reach the engine: limit, offset, sort', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    const all = await index.search('长春', { limit: 100 });
    const second = await index.search('长春', { limit: 3, offset: 3 });
    assert.equal(second.total, all.total);
    assert.deepEqual(
      second.results.map((r) => r.url),
      all.results.slice(3, 6).map((r) => r.url),
    );
    const byDate = await index.search('长春', { sort: 'date', limit: 100 });
    const dates = byDate.results.map((r) => r.date);
    assert.deepEqual(dates, [...dates].sort().reverse());
  });

  test('concurrent searches share fetches: every file is added once', async () => {
    const { dir, api, stats } = await fresh();
    const index = await api.openIndex(dir);
    const pages = await Promise.all([index.search('长春'), index.search('长春'), index.search('长春市')]);
    assert.equal(pages[0].total, pages[1].total);
    assert.equal(new Set(stats.added).size, stats.added.length, `added twice: ${stats.added}`);
  });

  test('worker: true in Node runs the engine in this thread', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir, { worker: true });
    assert.ok((await index.search('长春')).total >= 5);
  });

  test('an empty query answers at once', async () => {
    const { dir, api, stats } = await fresh();
    const index = await api.openIndex(dir);
    assert.deepEqual(await index.search(''), { total: 0, results: [] });
    assert.equal(stats.added.length, 0);
  });
});

describe('typed errors', () => {
  test('a missing bundle: code missing, file manifest.bin', async () => {
    const { dir, api } = await fresh();
    await assert.rejects(api.openIndex(join(dir, 'nowhere')), (e) => {
      assert.ok(e instanceof api.JiansuoError);
      assert.equal(e.name, 'JiansuoError');
      assert.equal(e.code, 'missing');
      assert.equal(e.file, 'manifest.bin');
      return true;
    });
  });

  test('a missing index file: code missing, the file named; a retry after it is back succeeds', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    renameSync(join(dir, 't/terms.bin'), join(dir, 't/terms.away'));
    await assert.rejects(index.search('长春'), { code: 'missing', file: 't/terms.bin' });
    renameSync(join(dir, 't/terms.away'), join(dir, 't/terms.bin'));
    assert.ok((await index.search('长春')).total > 0);
  });

  test('a file that does not inflate: code damaged', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    writeFileSync(join(dir, 't/terms.bin'), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13]));
    await assert.rejects(index.search('长春'), { code: 'damaged', file: 't/terms.bin' });
  });

  test('a file the engine rejects: code damaged, the engine code as detail', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    writeFileSync(join(dir, 't/terms.bin'), deflateRawSync(Buffer.from('{"truncated')));
    await assert.rejects(index.search('长春'), (e) => {
      assert.equal(e.code, 'damaged');
      assert.equal(e.file, 't/terms.bin');
      assert.equal(e.detail, 'corrupt-file');
      assert.match(e.message, /^corrupt-file/);
      return true;
    });
  });

  test('a damaged manifest: code damaged at open', async () => {
    const { dir, api } = await fresh();
    writeFileSync(join(dir, 'manifest.bin'), deflateRawSync(Buffer.from('{"mock":2}')));
    await assert.rejects(api.openIndex(dir), { code: 'damaged', file: 'manifest.bin', detail: 'version-mismatch' });
  });

  test('a missing wasm file: code missing', async () => {
    const { dir, api } = await fresh();
    rmSync(join(dir, 'jiansuo_engine_bg.wasm.deflate'));
    await assert.rejects(api.openIndex(dir), { code: 'missing', file: 'jiansuo_engine_bg.wasm.deflate' });
  });

  test('a query the engine refuses: code bad-query', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    await assert.rejects(index.search('!bad "'), { code: 'bad-query' });
  });

  test('a closed index: code closed', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    index.close();
    await assert.rejects(index.search('长春'), { code: 'closed' });
  });

  test('errors survive a structured clone (as from the worker)', async () => {
    const { api } = await fresh();
    const error = new api.JiansuoError('missing', 'gone', { file: 'manifest.bin', detail: 404 });
    const copy = api.JiansuoError.from(structuredClone(error.toJSON()));
    assert.ok(copy instanceof api.JiansuoError);
    assert.deepEqual({ ...copy.toJSON() }, { code: 'missing', message: 'gone', file: 'manifest.bin', detail: 404 });
  });
});

describe('abort and supersede', () => {
  test('an aborted signal rejects with code aborted', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    const controller = new AbortController();
    const pending = index.search('长春', { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { code: 'aborted' });
    assert.ok((await index.search('长春')).total > 0); // the index is still fine
  });

  test('searcher(): a newer query supersedes the older one', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    const search = index.searcher();
    const first = search('长');
    const second = search('长春');
    await assert.rejects(first, { code: 'aborted', detail: 'superseded' });
    assert.ok((await second).total > 0);
  });
});

describe('completions', () => {
  test('complete() runs the same fetch loop and answers the completions', async () => {
    const { dir, api, stats } = await fresh();
    const index = await api.openIndex(dir);
    await index.search('长春'); // loads the documents the mock completes from
    const completions = await index.complete('长春', { limit: 3 });
    assert.ok(completions.length >= 1 && completions.length <= 3, JSON.stringify(completions));
    assert.ok(completions.every((c) => c.text.startsWith('长春') && typeof c.count === 'number'));
    assert.equal(new Set(stats.added).size, stats.added.length);
  });

  test('completer(): a newer call supersedes the older one', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    const complete = index.completer();
    const older = complete('长');
    const newer = complete('长春');
    await assert.rejects(older, { code: 'aborted', detail: 'superseded' });
    assert.ok(Array.isArray(await newer));
  });
});

describe('over HTTP (Node fetch)', () => {
  let server;
  let site;
  before(async () => {
    site = tempDir();
    dirs.push(site);
    mockBundle(docs, join(site, 'search'));
    server = await serve({ root: site });
  });
  after(() => server.close());

  test('an http URL of the bundle folder, with or without a trailing slash', async () => {
    const { api } = await fresh();
    for (const source of [`${server.url}search/`, `${server.url}search`]) {
      const index = await api.openIndex(source);
      assert.equal(index.base, `${server.url}search/`);
      assert.ok((await index.search('长春')).total >= 5);
    }
  });

  test('HTTP 404: code missing with the status as detail', async () => {
    const { api } = await fresh();
    await assert.rejects(api.openIndex(`${server.url}nothing-here/`), { code: 'missing', file: 'manifest.bin', detail: 404 });
  });

  test('a refused connection: code network', async () => {
    const { api } = await fresh();
    const closed = await serve({ root: site });
    const url = closed.url;
    await closed.close();
    await assert.rejects(api.openIndex(`${url}search/`), { code: 'network', file: 'manifest.bin' });
  });
});

test('the served files are the ones written (serve.mjs sends bytes unchanged)', async () => {
  const site = tempDir();
  dirs.push(site);
  mockBundle(docs, site);
  const server = await serve({ root: site });
  try {
    const response = await fetch(`${server.url}manifest.bin`);
    assert.equal(response.status, 200);
    assert.deepEqual(Buffer.from(await response.arrayBuffer()), readFileSync(join(site, 'manifest.bin')));
    assert.equal((await fetch(`${server.url}..%2f..%2fetc/passwd`)).status, 403);
  } finally {
    await server.close();
  }
});
