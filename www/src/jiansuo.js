// jiansuo — client-side Chinese full-text search for static sites.
//
//   import { openIndex } from './search/jiansuo.js';
//   const index = await openIndex('./search/');            // browser: URL of the bundle folder
//   const index = await openIndex('_site/search');         // Node >= 20.12: a directory, a file: or http(s) URL
//   const { total, results } = await index.search('长春', { limit: 10, offset: 0, sort: 'relevance' });
//
// The engine (WebAssembly) is loaded from next to this file; the index files from the bundle folder.
// With { worker: true } this same file is the worker's script (worker.js answers there), so a worker costs no
// download of its own: the browser has the file already.
import { JiansuoError, Searchable, aborted, bundleBase, prefetch } from './host.js';
import { openInThread } from './worker.js';

export { JiansuoError };
/** The engine's wasm-bindgen class, for profiling tools and tests (bench/perf/profile.mjs, tests/js/host.test.mjs); not a stable interface. */
export { Engine } from './worker.js';

const inBrowser = typeof Worker === 'function' && typeof process !== 'object';

/**
 * Opens a search bundle.
 * options.worker: run the engine in a Web Worker so that searching never blocks the page (browsers;
 * ignored elsewhere, and when the worker cannot be started the engine runs in the page).
 */
export async function openIndex(source, options = {}) {
  const base = await bundleBase(source);
  // The manifest and the engine load while the worker (or the engine's code) does.
  const files = prefetch(base);
  if (options?.worker && inBrowser) {
    try {
      return await WorkerIndex.open(base, files);
    } catch (e) {
      if (!(e instanceof JiansuoError && e.detail === 'worker')) throw e;
      // The worker script could not run (CSP, old browser): fall back to the page's own thread.
    }
  }
  return openInThread(base, files);
}

/** The same interface as the in-page index, answered by worker.js. */
class WorkerIndex extends Searchable {
  #worker;
  #base;
  #calls = new Map(); // id -> { resolve, reject }
  #next = 1;
  #failure = null;

  static async open(base, files) {
    let worker;
    try {
      // Written out literally, the name too (worker.js's WORKER_NAME), so that bundlers (Vite, webpack, esbuild)
      // recognise and emit the worker: Vite refuses options it cannot read without running the code.
      worker = new Worker(new URL('./jiansuo.js', import.meta.url), { type: 'module', name: 'jiansuo-search' });
    } catch (e) {
      throw new JiansuoError('engine', `cannot start the search worker: ${e?.message ?? e}`, { detail: 'worker', cause: e });
    }
    const index = new WorkerIndex(worker, base);
    try {
      // The files the page has read go along (copied: the page needs them again if the worker fails);
      // one that could not be read, the worker reads itself and reports.
      const stored = (file) => file.catch(() => undefined);
      const [manifest, engine] = await Promise.all([stored(files.manifest), stored(files.engine)]);
      await index.#call({ op: 'open', base: base.href, files: { manifest, engine } });
    } catch (e) {
      index.close();
      throw e;
    }
    return index;
  }

  constructor(worker, base) {
    super();
    this.#worker = worker;
    this.#base = base;
    worker.onmessage = ({ data }) => {
      const call = this.#calls.get(data?.id);
      if (!call) return; // answered after it was aborted: a stale answer, dropped
      this.#calls.delete(data.id);
      if (data.ok) call.resolve(data.value);
      else call.reject(JiansuoError.from(data.error));
    };
    // A module worker that fails to load reports only an 'error' event without details.
    worker.onerror = (event) => {
      event.preventDefault?.();
      this.#fail(
        new JiansuoError('engine', `the search worker failed: ${event.message || 'jiansuo.js did not load in it'}`, {
          file: 'jiansuo.js',
          detail: 'worker',
        }),
      );
    };
  }

  get base() {
    return this.#base.href;
  }

  #fail(error) {
    this.#failure = error;
    for (const call of this.#calls.values()) call.reject(error);
    this.#calls.clear();
  }

  #call(message, signal) {
    if (this.#failure) return Promise.reject(this.#failure);
    if (!this.#worker) return Promise.reject(new JiansuoError('closed', 'the index is closed'));
    const id = this.#next++;
    return new Promise((resolve, reject) => {
      if (signal?.aborted) return reject(aborted(signal.reason));
      this.#calls.set(id, { resolve, reject });
      this.#worker.postMessage({ ...message, id });
      signal?.addEventListener(
        'abort',
        () => {
          if (!this.#calls.delete(id)) return;
          this.#worker?.postMessage({ op: 'abort', id });
          reject(aborted(signal.reason));
        },
        { once: true },
      );
    });
  }

  search(query, options = {}) {
    const { signal, ...rest } = options ?? {};
    return this.#call({ op: 'search', query: String(query ?? ''), options: rest }, signal);
  }

  complete(input, options = {}) {
    const { signal, ...rest } = options ?? {};
    return this.#call({ op: 'complete', query: String(input ?? ''), options: rest }, signal);
  }

  close() {
    this.#worker?.terminate();
    this.#worker = null;
    this.#fail(new JiansuoError('closed', 'the index is closed'));
  }
}
