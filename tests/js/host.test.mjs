// The host side of the engine protocol (www/src/jiansuo.js + host.js, as the bundle's jiansuo.js ships them):
// fetch loop, in-flight dedupe, typed errors, abort, Node paths and URLs, HTTP. Against the real engine and
// build-index's bundle of sample/_posts; what the host hands the engine is watched by wrapping the methods of
// the engine's class (jiansuo.js exports it), failures come from damaged files in a copy of the bundle.
import assert from 'node:assert/strict';
import { cpSync, existsSync, readFileSync, readdirSync, renameSync, writeFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { deflateRawSync, inflateRawSync } from 'node:zlib';
import { serve } from '../../scripts/serve.mjs';
import { SAMPLE_POSTS, nextPublication, realBundle, remove, tempDir } from './helpers/bundle.mjs';

const WASM = 'jiansuo_engine_bg.wasm.deflate';
let built; // the bundle of sample/_posts, built once; every test works on a copy
let reference; // its jiansuo.js, imported once, to drive the engine by hand
let wasm; // the engine module's bytes, inflated
let changchun; // the fetch rounds of '长春' on a cold engine, driven by hand
let dictionaryChunk; // the one term dictionary file that '长春' needs
const dirs = [];

const read = (dir, name) => inflateRawSync(readFileSync(join(dir, name)));

/** Rewrites the inflated content of bundle file `name`, compressed again as build-index stores it. */
function damage(dir, name, change) {
  const bytes = read(dir, name);
  change(bytes);
  writeFileSync(join(dir, name), deflateRawSync(bytes));
}

/**
 * The protocol of docs/DESIGN.md driven by hand (zlib, synchronous reads) on a new engine over the built bundle:
 * the file names of each round, as the engine asked for them (sorted), and its answer.
 */
function byHand(ask) {
  const engine = new reference.Engine(read(built, 'manifest.bin'));
  try {
    const rounds = [];
    for (;;) {
      const step = ask(engine);
      if (!step.need?.length) return { rounds, step };
      rounds.push([...step.need].sort());
      for (const name of step.need) engine.addFile(name, read(built, name));
    }
  } finally {
    engine.free();
  }
}

/**
 * Records what the host does with the engine class of one import of jiansuo.js (its own copy: other tests'
 * imports are not touched): `rounds`, one entry per question (search or complete) with the files handed over
 * after it, and `added`, every file handed over, in order.
 */
function watch(Engine) {
  const log = { rounds: [], added: [] };
  for (const ask of ['search', 'complete']) {
    const real = Engine.prototype[ask];
    Engine.prototype[ask] = function (...args) {
      log.rounds.push([]);
      return real.apply(this, args);
    };
  }
  const addFile = Engine.prototype.addFile;
  Engine.prototype.addFile = function (name, bytes) {
    log.added.push(name);
    log.rounds.at(-1)?.push(name);
    return addFile.call(this, name, bytes);
  };
  return log;
}

/** Host rounds (files handed over after each question) comparable with byHand's: sorted, the last (the answer) empty. */
const handed = (log) => log.rounds.map((round) => [...round].sort());

/** How often the engine's wasm module is compiled (then instantiated) while `fn` runs. */
async function instantiations(fn) {
  const real = WebAssembly.compile;
  let count = 0;
  WebAssembly.compile = function (source, ...rest) {
    const bytes = ArrayBuffer.isView(source) ? Buffer.from(source.buffer, source.byteOffset, source.byteLength) : source;
    if (Buffer.isBuffer(bytes) && bytes.equals(wasm)) count++;
    return real.call(this, source, ...rest);
  };
  try {
    await fn();
  } finally {
    WebAssembly.compile = real;
  }
  return count;
}

/** A fresh copy of the bundle and its own import of the copy's jiansuo.js (so each test has its own engine state). */
async function fresh() {
  const dir = tempDir();
  dirs.push(dir);
  cpSync(built, dir, { recursive: true });
  const api = await import(pathToFileURL(join(dir, 'jiansuo.js')).href);
  return { dir, api, log: watch(api.Engine) };
}

before(async () => {
  built = realBundle(SAMPLE_POSTS, tempDir());
  dirs.push(built);
  wasm = read(built, WASM);
  reference = await import(pathToFileURL(join(built, 'jiansuo.js')).href);
  (await reference.openIndex(built)).close(); // starts the engine of this import
  changchun = byHand((engine) => engine.search('长春', { limit: 10, offset: 0, sort: 'relevance' }));
  [dictionaryChunk] = changchun.rounds[0].filter((name) => name.startsWith('t/'));
});

after(() => dirs.forEach(remove));

test('the sample bundle has enough for these tests', () => {
  const documents = readdirSync(join(built, 'd'), { recursive: true }).filter((f) => f.endsWith('.bin'));
  assert.ok(documents.length >= 30, `only ${documents.length} documents`);
  // 长春 takes more than one round (the dictionary first, then what it points to), its first round one
  // dictionary chunk (the file the failure tests take away or damage), and fills a page of 10.
  assert.ok(changchun.rounds.length >= 2, JSON.stringify(changchun.rounds));
  assert.equal(changchun.rounds[0].filter((name) => name.startsWith('t/')).length, 1, JSON.stringify(changchun.rounds));
  assert.ok(changchun.step.page.total >= 10, `total ${changchun.step.page.total}`);
});

describe('openIndex in Node', () => {
  test('a directory path: fetch rounds until a page, the engine started once', async () => {
    const { dir, api, log } = await fresh();
    let index;
    let page;
    const started = await instantiations(async () => {
      index = await api.openIndex(dir);
      page = await index.search('长春');
    });
    assert.equal(started, 1);
    assert.equal(index.base, pathToFileURL(dir).href + '/');
    assert.ok(page.total >= 5, `total ${page.total}`);
    assert.equal(page.results.length, 10);
    assert.ok(page.results.every((r) => /<mark>(长春|長春)<\/mark>/.test(r.excerpt)), JSON.stringify(page.results));
    // Each round hands over exactly the files the engine named, then asks again; the last answer is the page.
    assert.deepEqual(handed(log), [...changchun.rounds, []]);
    assert.deepEqual(page, changchun.step.page);
    index.close();
  });

  test('a file: URL, as a string and as a URL object, with or without manifest.bin; the engine started once', async () => {
    const { dir, api } = await fresh();
    const started = await instantiations(async () => {
      for (const source of [pathToFileURL(dir).href, pathToFileURL(dir + '/'), pathToFileURL(join(dir, 'manifest.bin'))]) {
        const index = await api.openIndex(source);
        assert.equal(index.base, pathToFileURL(dir).href + '/');
        assert.ok((await index.search('长春')).total >= 5);
        index.close();
      }
    });
    assert.equal(started, 1);
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
    const times = (page) => page.results.map((r) => Date.parse(r.date));
    assert.notDeepEqual(times(all), [...times(all)].sort((a, b) => b - a)); // so that the next check means something
    const byDate = await index.search('长春', { sort: 'date', limit: 100 });
    assert.equal(byDate.total, all.total);
    assert.deepEqual(times(byDate), [...times(byDate)].sort((a, b) => b - a));
  });

  test('concurrent searches share fetches: every file is added once', async () => {
    const { dir, api, log } = await fresh();
    const index = await api.openIndex(dir);
    const pages = await Promise.all([index.search('长春'), index.search('长春'), index.search('长春市')]);
    assert.equal(pages[0].total, pages[1].total);
    assert.ok(pages[2].total > 0);
    // All three asked before any file was handed over, so the two searches for 长春 named the same files at once.
    assert.deepEqual(handed(log).slice(0, 2), [[], []]);
    assert.ok(log.added.length > changchun.rounds[0].length);
    assert.equal(new Set(log.added).size, log.added.length, `added twice: ${log.added}`);
  });

  test('worker: true in Node runs the engine in this thread', async () => {
    const { dir, api, log } = await fresh();
    const index = await api.openIndex(dir, { worker: true });
    assert.ok((await index.search('长春')).total >= 5);
    assert.deepEqual(handed(log), [...changchun.rounds, []]); // this thread's engine did the work
  });

  test('an empty query answers at once', async () => {
    const { dir, api, log } = await fresh();
    const index = await api.openIndex(dir);
    assert.deepEqual(await index.search(''), { total: 0, results: [] });
    assert.equal(log.added.length, 0);
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
    renameSync(join(dir, dictionaryChunk), join(dir, 'away.bin'));
    await assert.rejects(index.search('长春'), { code: 'missing', file: dictionaryChunk });
    renameSync(join(dir, 'away.bin'), join(dir, dictionaryChunk));
    assert.deepEqual(await index.search('长春'), changchun.step.page);
  });

  test('a file that does not inflate: code damaged', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    writeFileSync(join(dir, dictionaryChunk), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x00, 0x13]));
    await assert.rejects(index.search('长春'), { code: 'damaged', file: dictionaryChunk });
  });

  test('a file the engine rejects: code damaged, the engine code as detail', async () => {
    const { dir, api, log } = await fresh();
    const index = await api.openIndex(dir);
    damage(dir, dictionaryChunk, (bytes) => (bytes[bytes.length >> 1] ^= 0x5a)); // inflates, fails its checksum
    await assert.rejects(index.search('长春'), (e) => {
      assert.equal(e.code, 'damaged');
      assert.equal(e.file, dictionaryChunk);
      assert.equal(e.detail, 'corrupt-file');
      assert.match(e.message, /^corrupt-file/);
      return true;
    });
    assert.ok(log.added.includes(dictionaryChunk)); // the engine saw it and said no
  });

  test('a manifest of another format version: code damaged at open, detail version-mismatch', async () => {
    const { dir, api } = await fresh();
    damage(dir, 'manifest.bin', (bytes) => bytes[4]++); // the header's version byte (src/format.rs)
    await assert.rejects(api.openIndex(dir), { code: 'damaged', file: 'manifest.bin', detail: 'version-mismatch' });
  });

  test('a damaged manifest: code damaged at open, detail corrupt-file', async () => {
    const { dir, api } = await fresh();
    damage(dir, 'manifest.bin', (bytes) => (bytes[bytes.length - 1] ^= 0xff));
    await assert.rejects(api.openIndex(dir), { code: 'damaged', file: 'manifest.bin', detail: 'corrupt-file' });
  });

  test('a missing wasm file: code missing; an opening after it is back succeeds', async () => {
    const { dir, api } = await fresh();
    renameSync(join(dir, WASM), join(dir, 'away.wasm'));
    await assert.rejects(api.openIndex(dir), { code: 'missing', file: WASM });
    renameSync(join(dir, 'away.wasm'), join(dir, WASM));
    const index = await api.openIndex(dir);
    assert.deepEqual(await index.search('长春'), changchun.step.page);
  });

  test('a query the engine refuses: code bad-query', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    await assert.rejects(index.search('长'.repeat(5000)), (e) => {
      assert.equal(e.code, 'bad-query');
      assert.equal(e.detail, 'bad-query');
      assert.match(e.message, /^bad-query/);
      return true;
    });
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

/** The posts of the sample site's next publication (helpers/bundle.mjs), in a folder removed after the tests. */
function published() {
  const dir = tempDir();
  dirs.push(dir);
  return nextPublication(dir);
}

describe('the site publishes the index again while it is open', () => {
  test('a query needing files the new bundle replaced is answered from the new bundle', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    const before = await index.search('长春');
    realBundle(published(), dir); // build-index --out over the open bundle: the old files are gone
    assert.ok(!existsSync(join(dir, dictionaryChunk)), 'the old dictionary chunk is still there');
    const owl = await index.search('猫头鹰');
    assert.equal(owl.total, 1);
    assert.equal(owl.results[0].title, '南湖公园再现猫头鹰');
    // The engine now reads the new bundle for every query, also for those it had the files of.
    assert.equal((await index.search('长春')).total, before.total + 1);
    index.close();
  });

  test('concurrent queries that all meet the old bundle share the new one', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    await index.search('黄金');
    realBundle(published(), dir);
    const [owl, changchun, completions] = await Promise.all([index.search('猫头鹰'), index.search('长春'), index.complete('猫头')]);
    assert.equal(owl.total, 1);
    assert.ok(changchun.results.some((r) => r.title === '南湖公园再现猫头鹰'));
    assert.ok(completions.some((c) => c.text === '猫头鹰'), JSON.stringify(completions));
  });

  test('a newer bundle that is incomplete: code missing for the file it lacks', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    realBundle(published(), dir);
    const documents = join(dir, 'd');
    for (const folder of readdirSync(documents)) renameSync(join(documents, folder), join(dir, `away-${folder}`));
    await assert.rejects(index.search('猫头鹰'), (e) => e.code === 'missing' && /^d\//.test(e.file));
  });

  /**
   * Serves `dir` over HTTP as a host would that answers a missing file late (`slowMissing`: paths starting so wait
   * 300 ms for their 404) or with its fallback page (`fallbackPage`: 200 and HTML, as a single-page app's host does).
   */
  async function host(dir, { slowMissing = null, fallbackPage = false } = {}) {
    const server = createServer(async (req, res) => {
      const path = decodeURIComponent(new URL(req.url, 'http://x').pathname).slice(1);
      const body = await readFile(join(dir, path)).catch(() => null);
      if (body) return res.writeHead(200).end(body);
      if (fallbackPage) return res.writeHead(200, { 'Content-Type': 'text/html' }).end('<!DOCTYPE html><p>not here</p>');
      setTimeout(() => res.writeHead(404).end(), slowMissing && path.startsWith(slowMissing) ? 300 : 0);
    });
    await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
    return { url: `http://127.0.0.1:${server.address().port}/`, close: () => new Promise((resolve) => server.close(resolve)) };
  }

  test('a query whose missing file is reported after another query renewed the engine asks the new one', async () => {
    const { dir, api } = await fresh();
    const served = await host(dir, { slowMissing: 'd/' });
    try {
      const index = await api.openIndex(served.url);
      const before = await index.search('长春', { limit: 1 }); // its dictionary entries are in the engine now
      realBundle(published(), dir);
      // 长春 needs only documents (late 404s); 北京 a dictionary chunk first (a quick 404), which renews the engine.
      const [changchun, beijing] = await Promise.all([index.search('长春'), index.search('北京')]);
      assert.equal(changchun.total, before.total + 1);
      assert.ok(beijing.total > 0);
    } finally {
      await served.close();
    }
  });

  test("a host that answers a missing file with its fallback page (200, HTML): the new bundle is read", async () => {
    const { dir, api } = await fresh();
    const served = await host(dir, { fallbackPage: true });
    try {
      const index = await api.openIndex(served.url);
      await index.search('黄金');
      realBundle(published(), dir);
      assert.equal((await index.search('猫头鹰')).total, 1);
    } finally {
      await served.close();
    }
  });
});

describe('abort and supersede', () => {
  test('an aborted signal rejects with code aborted, without waiting for the files', async () => {
    const { dir, api, log } = await fresh();
    const index = await api.openIndex(dir);
    const controller = new AbortController();
    const pending = index.search('长春', { signal: controller.signal });
    controller.abort();
    await assert.rejects(pending, { code: 'aborted' });
    assert.deepEqual(log.added, []); // rejected while round 1's files were still being read
    // The index is still fine; the reads left running are shared with the next search, not repeated.
    assert.deepEqual(await index.search('长春'), changchun.step.page);
    assert.deepEqual(log.added.toSorted(), changchun.rounds.flat().sort());
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
    const { dir, api, log } = await fresh();
    const index = await api.openIndex(dir);
    const completions = await index.complete('长春', { limit: 3 });
    const expected = byHand((engine) => engine.complete('长春', 3));
    assert.ok(expected.rounds.length >= 1); // a cold engine needs files to complete
    assert.deepEqual(handed(log), [...expected.rounds, []]);
    assert.deepEqual(completions, expected.step.completions);
    assert.ok(completions.length >= 1 && completions.length <= 3, JSON.stringify(completions));
    assert.ok(completions.every((c) => c.text.startsWith('长春') && typeof c.count === 'number'));
    await index.search('长春');
    await index.complete('长春市', { limit: 3 });
    assert.equal(new Set(log.added).size, log.added.length, `added twice: ${log.added}`);
  });

  test('completer(): a newer call supersedes the older one', async () => {
    const { dir, api } = await fresh();
    const index = await api.openIndex(dir);
    const complete = index.completer();
    const older = complete('长');
    const newer = complete('长春');
    await assert.rejects(older, { code: 'aborted', detail: 'superseded' });
    assert.ok((await newer).length > 0);
  });
});

describe('over HTTP (Node fetch)', () => {
  let server;
  let site;
  before(async () => {
    site = tempDir();
    dirs.push(site);
    cpSync(built, join(site, 'search'), { recursive: true });
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
  cpSync(built, site, { recursive: true });
  const server = await serve({ root: site });
  try {
    for (const name of ['manifest.bin', WASM]) {
      const response = await fetch(`${server.url}${name}`);
      assert.equal(response.status, 200);
      assert.deepEqual(Buffer.from(await response.arrayBuffer()), readFileSync(join(site, name)));
    }
    assert.equal((await fetch(`${server.url}..%2f..%2fetc/passwd`)).status, 403);
  } finally {
    await server.close();
  }
});
