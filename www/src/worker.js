// jiansuo's search worker: hosts the engine off the main thread for openIndex(url, { worker: true }).
// Messages in:  { id, op: 'open', base } | { id, op: 'search' | 'complete', query, options } | { op: 'abort', id }
// Messages out: { id, ok: true, value } | { id, ok: false, error: { code, message, file, detail } }
// An aborted search gets no answer: it stops at its next fetch round, and the page has already moved on.
import * as glue from './jiansuo_engine.js';
import { JiansuoError, openLocal } from './host.js';

let opening = null;
const running = new Map(); // id -> AbortController

const reply = (id, ok, payload) =>
  self.postMessage(ok ? { id, ok, value: payload } : { id, ok, error: JiansuoError.from(toError(payload)).toJSON() });

const toError = (e) =>
  e instanceof JiansuoError ? e : new JiansuoError('engine', e?.message ?? String(e), { cause: e });

self.onmessage = async ({ data }) => {
  const { id, op } = data ?? {};
  if (op === 'abort') {
    running.get(id)?.abort();
    running.delete(id);
    return;
  }
  if (op === 'open') {
    opening ??= openLocal(glue, data.base);
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
};
