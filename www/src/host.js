// The host side of jiansuo's engine protocol (docs/DESIGN.md): find the bundle, read the files the
// engine names, inflate them, hand them over, ask again. No search logic lives here.
// Shared by jiansuo.js (in-page) and worker.js (inside a Web Worker); runs in browsers and Node >= 20.12 (DecompressionStream('deflate-raw')).

// Variables, so that bundlers leave these Node-only imports alone.
const NODE_FS = 'node:fs/promises';
const NODE_URL = 'node:url';

/** Whether this module was loaded from disk by Node (or a runtime that behaves like it). */
const onDisk =
  typeof process === 'object' && process?.versions?.node && import.meta.url.startsWith('file:');

/**
 * Every failure that reaches the caller is a JiansuoError.
 * code: 'missing' (a file is not there: HTTP 404/410, ENOENT), 'network' (it could not be read),
 *       'damaged' (it cannot be inflated, or the engine rejects it: checksum, version),
 *       'bad-query', 'bad-options' (a wrong option or argument: the calling code's mistake), 'engine' (any other
 *       engine failure), 'unsupported' (no WebAssembly or
 *       DecompressionStream), 'aborted' (AbortSignal, or superseded by a newer search), 'closed'.
 * file: the bundle file concerned, relative to the bundle ('manifest.bin', 't/….bin'), when there is one.
 * detail: the engine's own error code ('corrupt-file', 'version-mismatch', …) or the HTTP status.
 */
export class JiansuoError extends Error {
  constructor(code, message, { file, detail, cause } = {}) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'JiansuoError';
    this.code = code;
    if (file !== undefined) this.file = file;
    if (detail !== undefined) this.detail = detail;
  }

  /** A plain object that survives postMessage. */
  toJSON() {
    return { code: this.code, message: this.message, file: this.file, detail: this.detail };
  }

  static from(data) {
    return data instanceof JiansuoError
      ? data
      : new JiansuoError(data?.code ?? 'engine', data?.message ?? String(data), data ?? {});
  }
}

export const aborted = (reason) =>
  reason instanceof JiansuoError ? reason : new JiansuoError('aborted', 'search aborted');

/**
 * Maps whatever the engine threw to a JiansuoError. The engine's errors carry a stable `code`
 * (also the start of the message: 'corrupt-file: t/….bin: …') and, where there is one, the `file`.
 */
export function engineError(thrown, file) {
  if (thrown instanceof JiansuoError) return thrown;
  const message = typeof thrown === 'string' ? thrown : thrown?.message ?? String(thrown);
  const detail =
    (typeof thrown?.code === 'string' && thrown.code) || /^([a-z][a-z0-9]*(?:-[a-z0-9]+)*):/.exec(message)?.[1];
  const code =
    detail === 'corrupt-file' || detail === 'version-mismatch'
      ? 'damaged'
      : detail === 'bad-query' || detail === 'bad-options'
        ? detail
        : 'engine';
  return new JiansuoError(code, message, { file: (typeof thrown?.file === 'string' && thrown.file) || file, detail, cause: thrown });
}

/**
 * The folder of a bundle as a URL ending in '/'.
 * Accepts a URL object, an absolute URL, a URL relative to the document (browser), or a directory path
 * (Node; relative to the working directory). A trailing 'manifest.bin' is tolerated.
 */
export async function bundleBase(source) {
  if (source == null || source === '') {
    throw new JiansuoError('bad-options', 'openIndex: the bundle location is required');
  }
  let url;
  if (source instanceof URL) {
    url = new URL(source.href);
  } else {
    const text = String(source);
    const hasScheme = /^[a-z][a-z0-9+.-]*:/i.test(text) && !/^[a-z]:[\\/]/i.test(text);
    if (onDisk && !hasScheme) {
      const { pathToFileURL } = await import(NODE_URL);
      url = pathToFileURL(text.endsWith('/') || text.endsWith('\\') ? text : text + '/');
    } else {
      const base = globalThis.document?.baseURI ?? globalThis.location?.href;
      url = base ? new URL(text, base) : new URL(text);
    }
  }
  url.hash = '';
  if (url.pathname.endsWith('/manifest.bin')) url.pathname = url.pathname.slice(0, -'manifest.bin'.length);
  if (!url.pathname.endsWith('/')) url.pathname += '/';
  return url;
}

// Names the engine asks for are relative paths inside the bundle; anything else is refused, so that a
// damaged manifest can never point the host at another origin or outside the bundle.
const SAFE_NAME = /^(?!.*(?:^|\/)\.\.?(?:\/|$))[A-Za-z0-9_.-]+(?:\/[A-Za-z0-9_.-]+)*$/;

/** Reads one bundle file as stored (compressed); `init`: fetch's options. */
export async function readRaw(base, name, init) {
  if (!SAFE_NAME.test(name)) {
    throw new JiansuoError('damaged', `the index names an invalid file: ${JSON.stringify(name)}`, { file: name });
  }
  const url = new URL(name, base);
  if (url.protocol === 'file:') {
    const { readFile } = await import(NODE_FS);
    try {
      return await readFile(url);
    } catch (e) {
      const missing = e?.code === 'ENOENT' || e?.code === 'ENOTDIR';
      throw new JiansuoError(missing ? 'missing' : 'network', `${missing ? 'missing' : 'cannot read'} ${url}`, {
        file: name,
        detail: e?.code,
        cause: e,
      });
    }
  }
  let response;
  try {
    response = await fetch(url, init);
  } catch (e) {
    throw new JiansuoError('network', `cannot fetch ${url}: ${e?.message ?? e}`, { file: name, cause: e });
  }
  if (!response.ok) {
    const missing = response.status === 404 || response.status === 410;
    throw new JiansuoError(missing ? 'missing' : 'network', `${url}: HTTP ${response.status}`, {
      file: name,
      detail: response.status,
    });
  }
  try {
    return new Uint8Array(await response.arrayBuffer());
  } catch (e) {
    throw new JiansuoError('network', `cannot fetch ${url}: ${e?.message ?? e}`, { file: name, cause: e });
  }
}

/** Inflates a deflate-raw stream (every index file is stored that way). */
export async function inflate(bytes, name) {
  if (typeof DecompressionStream !== 'function') {
    throw new JiansuoError('unsupported', 'this browser has no DecompressionStream', { file: name });
  }
  try {
    // A Response body, not a Blob's stream: a tenth of the cost per small file in Chromium.
    const stream = new Response(bytes).body.pipeThrough(new DecompressionStream('deflate-raw'));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (e) {
    throw new JiansuoError('damaged', `${name} cannot be inflated: ${e?.message ?? e}`, { file: name, cause: e });
  }
}

export const loadFile = async (base, name) => inflate(await readRaw(base, name), name);

/**
 * The engine file. The literal `new URL('…', import.meta.url)` lets bundlers such as Vite find and emit it;
 * it is stored deflate-compressed, like the index files, so that it is compact on any static host.
 */
const engineUrl = () => new URL('./jiansuo_engine_bg.wasm.deflate', import.meta.url);

/** The engine file's name: a bundler may have renamed it (content hash). */
const engineName = (url) => decodeURIComponent(url.pathname.slice(url.pathname.lastIndexOf('/') + 1));

/** The engine file as stored. */
const readEngine = () => {
  const url = engineUrl();
  return readRaw(new URL('./', url), engineName(url));
};

/**
 * Starts reading, as stored, the two files every opening needs (the manifest and the engine), so that
 * they load while the rest starts: { manifest, engine }, promises of bytes (a failure is reported to
 * whoever awaits it).
 */
export function prefetch(base) {
  const files = { manifest: readRaw(base, 'manifest.bin'), engine: readEngine() };
  for (const file of Object.values(files)) file.catch(() => {});
  return files;
}

const started = new WeakMap();

/**
 * Instantiates the wasm module of a wasm-bindgen glue module once, from `stored` (a promise of the engine
 * file's bytes as stored) or else by reading it. (WebAssembly.instantiateStreaming over the inflating
 * stream was tried: no faster in Chromium for this module, whose compilation takes a few ms.) The module is
 * compiled asynchronously and instantiated with the glue's initSync: its asynchronous init, which also fetches
 * and streams, is 0.4 kB more of glue to download.
 */
export function startEngine(glue, stored) {
  let ready = started.get(glue);
  if (!ready) {
    ready = (async () => {
      if (typeof WebAssembly !== 'object') throw new JiansuoError('unsupported', 'WebAssembly is not available');
      const file = engineName(engineUrl());
      const source = await inflate(await (stored ?? readEngine()), file);
      try {
        glue.initSync({ module: await WebAssembly.compile(source) });
      } catch (e) {
        throw new JiansuoError('damaged', `the engine cannot be started: ${e?.message ?? e}`, { file, cause: e });
      }
    })();
    started.set(glue, ready);
    ready.catch(() => started.delete(glue)); // a later attempt may succeed (network)
  }
  return ready;
}

/** Files fetched at once: a page of thousands of results must not open thousands of files or sockets. */
const FETCH_CONCURRENCY = 64;

/** Runs `task` over `items`, at most `limit` at a time; rejects with the first failure. */
async function eachLimited(items, limit, task) {
  let next = 0;
  const worker = async () => {
    while (next < items.length) await task(items[next++]);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
}

/** After this many fetch rounds for one query the engine is assumed to be looping (src/local.rs allows as many). */
const MAX_ROUNDS = 32;

/** What both indexes (in the page, in a worker) offer on top of their search() and complete(). */
export class Searchable {
  /** A search function for search-as-you-type: each call supersedes (aborts) the previous one. */
  searcher() {
    return latestOnly((query, options) => this.search(query, options));
  }

  /** The same for completions. */
  completer() {
    return latestOnly((input, options) => this.complete(input, options));
  }
}

/** The search index in this thread: the engine plus the fetch loop. */
export class LocalIndex extends Searchable {
  #engine;
  #base;
  #manifest; // as stored: a different one on the site means that the site has published the index again
  #inflight = new Map(); // name -> Promise<void> while being fetched and added

  constructor(engine, base, manifest) {
    super();
    this.#engine = engine;
    this.#base = base;
    this.#manifest = manifest;
  }

  /** The bundle folder, as an absolute URL ending in '/'. */
  get base() {
    return this.#base.href;
  }

  async search(query, options = {}) {
    const { signal, ...rest } = options ?? {};
    const text = String(query ?? '');
    return this.#ask((engine) => engine.search(text, rest), 'page', signal);
  }

  /** Ways to finish the last keyword of `input`: [{ text, query, count }], most frequent first. */
  async complete(input, options = {}) {
    const { signal, limit = 8 } = options ?? {};
    const text = String(input ?? '');
    if (!Number.isInteger(limit) || limit < 0) {
      throw new JiansuoError('bad-options', `complete: limit must be a whole number, 0 or more, not ${JSON.stringify(limit)}`);
    }
    return this.#ask((engine) => {
      if (typeof engine.complete !== 'function') throw new JiansuoError('unsupported', 'this engine has no completions');
      return engine.complete(text, limit);
    }, 'completions', signal);
  }

  /** The protocol's loop: ask; while the engine names files, fetch them all in parallel, hand them over, ask again. */
  async #ask(ask, answer, signal) {
    for (let round = 0; ; round++) {
      if (signal?.aborted) throw aborted(signal.reason);
      const engine = this.#engine;
      if (!engine) throw new JiansuoError('closed', 'the index is closed');
      let step;
      try {
        step = ask(engine);
      } catch (e) {
        throw engineError(e);
      }
      const need = step?.need;
      if (!need || need.length === 0) {
        if (step && answer in step) return step[answer];
        throw new JiansuoError('engine', `the engine answered neither ${answer} nor files to fetch`);
      }
      if (round >= MAX_ROUNDS) {
        throw new JiansuoError('engine', `the engine still needs files after ${MAX_ROUNDS} rounds`, { file: need[0] });
      }
      const files = eachLimited(need, FETCH_CONCURRENCY, (name) => this.#ensure(engine, name));
      try {
        // Leave the fetches running when aborted (they fill the engine for the next query) but stop waiting for them.
        await new Promise((resolve, reject) => {
          const stop = () => reject(aborted(signal.reason));
          if (signal?.aborted) return stop();
          signal?.addEventListener('abort', stop, { once: true });
          files.then(resolve, reject).finally(() => signal?.removeEventListener('abort', stop));
        });
      } catch (e) {
        if (!(await this.#renewed(e, engine))) throw e;
      }
    }
  }

  /**
   * After a round of `asked` (the engine that named the files) failed on a file that is not there (or that a
   * host's fallback page stood in for, which does not inflate): whether the site has published the index again
   * since it was opened (its files' names change with their content, and the old ones are gone). If so, the engine
   * starts over on the new manifest, or already has for another query, and the query is asked again; if the
   * manifest is the same, the index is incomplete or damaged.
   */
  async #renewed(error, asked) {
    if (error?.code !== 'missing' && error?.code !== 'damaged') return false;
    const old = this.#manifest;
    // Asked of the server, not of the HTTP cache, which may keep the old manifest for minutes.
    const stored = asked === this.#engine && (await readRaw(this.#base, 'manifest.bin', { cache: 'no-cache' }).catch(() => null));
    // Renewed by another query meanwhile, or closed: the next round asks the engine there is now.
    if (asked !== this.#engine) return true;
    if (!stored || (stored.length === old.length && stored.every((byte, i) => byte === old[i]))) return false;
    const manifest = await inflate(stored, 'manifest.bin');
    if (asked === this.#engine) {
      try {
        this.#engine = new asked.constructor(manifest);
      } catch (e) {
        throw engineError(e, 'manifest.bin');
      }
      this.#manifest = stored;
      this.#inflight = new Map();
      asked.free();
    }
    return true;
  }

  /**
   * Fetches one file and adds it to `engine`, which asked for it (unless the index has been renewed or closed
   * meanwhile); concurrent requests of one engine for the same file share one fetch.
   */
  #ensure(engine, name) {
    if (engine !== this.#engine) return;
    const inflight = this.#inflight;
    let pending = inflight.get(name);
    if (!pending) {
      pending = loadFile(this.#base, name)
        .then((bytes) => {
          if (engine !== this.#engine) return;
          try {
            engine.addFile(name, bytes);
          } catch (e) {
            throw engineError(e, name);
          }
        })
        .finally(() => inflight.delete(name));
      inflight.set(name, pending);
    }
    return pending;
  }

  close() {
    this.#engine?.free?.();
    this.#engine = null;
  }
}

/** Wraps fn(query, options) so that each call aborts the call before it (code 'aborted', detail 'superseded'). */
export function latestOnly(fn) {
  let current = null;
  return (query, options = {}) => {
    current?.abort(new JiansuoError('aborted', 'superseded by a newer call', { detail: 'superseded' }));
    const controller = (current = new AbortController());
    const outer = options?.signal;
    if (outer) {
      if (outer.aborted) controller.abort(outer.reason);
      else outer.addEventListener('abort', () => controller.abort(outer.reason), { once: true });
    }
    return fn(query, { ...options, signal: controller.signal });
  };
}

/**
 * Opens a bundle in this thread with the given wasm-bindgen glue module. `files`: what prefetch() gave,
 * or the bytes of some of those files as stored; the others are read here.
 */
export async function openLocal(glue, source, files = {}) {
  const base = await bundleBase(source);
  const stored = Promise.resolve(files.manifest ?? readRaw(base, 'manifest.bin'));
  const [manifest] = await Promise.all([
    stored.then((bytes) => inflate(bytes, 'manifest.bin')),
    startEngine(glue, files.engine),
  ]);
  let engine;
  try {
    engine = new glue.Engine(manifest);
  } catch (e) {
    throw engineError(e, 'manifest.bin');
  }
  return new LocalIndex(engine, base, await stored);
}
