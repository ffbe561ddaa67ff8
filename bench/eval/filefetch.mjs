// A fetch for file: URLs, so that browser code (Pagefind's pagefind.js, jiansuo's JS API and their wasm)
// runs unchanged in Node, reading the bundles straight from disk. Other URLs go to Node's own fetch.
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

const TYPES = { '.wasm': 'application/wasm', '.js': 'text/javascript', '.mjs': 'text/javascript', '.json': 'application/json' };

export function installFileFetch() {
  if (globalThis.fetch.fileFetch) return;
  const original = globalThis.fetch;
  const fileFetch = async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    if (url.protocol !== 'file:') return original(input, init);
    const path = fileURLToPath(new URL(url.pathname, 'file:///'));
    try {
      const bytes = await readFile(path);
      const ext = path.slice(path.lastIndexOf('.'));
      return new Response(bytes, { status: 200, headers: { 'content-type': TYPES[ext] ?? 'application/octet-stream' } });
    } catch (e) {
      if (e.code === 'ENOENT' || e.code === 'EISDIR') return new Response('not found', { status: 404 });
      throw e;
    }
  };
  fileFetch.fileFetch = true;
  globalThis.fetch = fileFetch;
}
