// The engine with its host, imported by jiansuo.js: openInThread runs it in the page (no worker, Node), and
// where jiansuo.js itself runs as the search worker of openIndex(url, { worker: true }), onMessage answers the
// page. scripts/build-www.sh bundles it into jiansuo.js with host.js and the wasm-bindgen glue.
// Messages in:  { id, op: 'open', base, files: { manifest, engine } } | { id, op: 'search' | 'complete', query, options }
//               | { op: 'abort', id }   (files: bytes as stored that the page has read already, or undefined)
// Messages out: { id, ok: true, value } | { id, ok: false, error: { code, message, file, detail } }
// An aborted search gets no answer: it stops at its next fetch round, and the page has already moved on.
import { Engine, initSync } from './jiansuo_engine.js';
import { JiansuoError, openLocal } from './host.js';

export { Engine };

// What host.js uses of the glue, by name: the glue's other exports (its asynchronous init) stay out of the bundle.
const glue = { initSync, Engine };

/** Opens a bundle in this thread; `files` as prefetch() (host.js) gives them. */
export const openInThread = (source, files) => openLocal(glue, source, files);

let opening = null;
const running = new Map(); // id -> AbortController

const reply = (id, ok, payload) =>
  self.postMessage(ok ? { id, ok, value: payload } : { id, ok, error: toError(payload).toJSON() });

const toError = (e) =>
  e instanceof JiansuoError ? e : new JiansuoError('engine', e?.message ?? String(e), { cause: e });

async function onMessage({ data }) {
  const { id, op } = data ?? {};
  if (op === 'abort') {
    running.get(id)?.abort();
    running.delete(id);
    return;
  }
  if (op === 'open') {
    opening ??= openInThread(data.base, { manifest: data.files?.manifest, engine: data.files?.engine });
    opening.then(
      () => reply(id, true, null),
      (e) => {
        opening = null;
        reply(id, false, e);
      },
    );
    return;
  }
  if (op === 'search' || op === 'complete') {
    const controller = new AbortController();
    running.set(id, controller);
    try {
      if (!opening) throw new JiansuoError('closed', 'the index is not open');
      const index = await opening;
      const options = { ...data.options, signal: controller.signal };
      const value = await (op === 'search' ? index.search(data.query, options) : index.complete(data.query, options));
      if (running.has(id)) reply(id, true, value);
    } catch (e) {
      if (running.has(id) && !controller.signal.aborted) reply(id, false, e);
    } finally {
      running.delete(id);
    }
  }
}

/** The name openIndex gives its worker: the one worker whose messages this module answers. */
export const WORKER_NAME = 'jiansuo-search';

// Imported anywhere else (a page, or a worker of the site's own that searches in its thread), this module must
// not take over the messages.
if (typeof WorkerGlobalScope === 'function' && globalThis instanceof WorkerGlobalScope && self.name === WORKER_NAME) {
  self.onmessage = onMessage;
}
