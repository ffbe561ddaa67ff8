// The cold start's requests with worker: true (each file once, the worker started on the page's own jiansuo.js,
// the manifest and the engine read by the page and handed over), and the fallback to the engine in the page when
// a CSP forbids workers.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { SAMPLE_POSTS } from '../js/helpers/bundle.mjs';
import { shared } from './helpers.mjs';

const page = (head) => `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">${head}<title>cold start</title><link rel="icon" href="data:,"></head>
<body><script type="module">
import { openIndex } from './search/jiansuo.js';
window.run = async (q) => {
  const index = await openIndex('./search/', { worker: true });
  const page = await index.search(q, { limit: 3 });
  return { total: page.total, titles: page.results.map((r) => r.title) };
};
window.ready = true;
</script></body></html>
`;

const env = shared(SAMPLE_POSTS, {
  prepare(dir) {
    writeFileSync(join(dir, 'cold.html'), page(''));
    writeFileSync(join(dir, 'csp.html'), page(`<meta http-equiv="Content-Security-Policy" content="worker-src 'none'">`));
    // A worker of the site's own that searches in its thread: jiansuo.js must not answer its messages.
    writeFileSync(
      join(dir, 'own-worker.js'),
      `import { openIndex } from './search/jiansuo.js';
const taken = self.onmessage !== null;
const index = await openIndex('./search/');
const page = await index.search('长春', { limit: 3 });
postMessage({ taken, total: page.total });
`,
    );
  },
});

async function run(path) {
  const tab = await env.open(path);
  await tab.waitForFunction(() => window.ready === true);
  const from = env.site.requests.length;
  const out = await tab.evaluate(() => window.run('长春'));
  const requests = env.site.requests.slice(from).map((p) => p.replace(/^\/search\//, ''));
  return { tab, out, requests };
}

test("worker: true fetches each file once: the API (the worker's script too), manifest, engine", async () => {
  const { tab, out, requests } = await run('cold.html');
  assert.ok(out.total >= 10, JSON.stringify(out));
  assert.equal(tab.workers().length, 1);
  assert.match(tab.workers()[0].url(), /\/search\/jiansuo\.js$/);
  for (const name of ['manifest.bin', 'jiansuo_engine_bg.wasm.deflate']) {
    assert.equal(requests.filter((r) => r === name).length, 1, `${name} in ${requests.join(' ')}`);
  }
  // The page's import, and the worker's start, which this server (no-cache, ETag) turns into a revalidation.
  const api = requests.filter((r) => r === 'jiansuo.js').length;
  assert.ok(api === 1 || api === 2, requests.join(' '));
  assert.ok(!requests.some((r) => /worker\.js|host\.js|jiansuo_engine\.js/.test(r)), requests.join(' '));
  await tab.close();
});

test('a page whose CSP forbids workers gets the engine in the page', async () => {
  const { tab, out } = await run('csp.html');
  assert.ok(out.total >= 10, JSON.stringify(out));
  assert.equal(tab.workers().length, 0);
  await tab.close();
});

test("jiansuo.js imported in a site's own worker searches there and leaves the worker's messages alone", async () => {
  const tab = await env.open('cold.html');
  const out = await tab.evaluate(
    () =>
      new Promise((resolve, reject) => {
        const worker = new Worker('./own-worker.js', { type: 'module', name: 'own' });
        worker.onmessage = ({ data }) => resolve(data);
        worker.onerror = (e) => reject(new Error(e.message || 'own-worker.js failed'));
      }),
  );
  assert.equal(out.taken, false);
  assert.ok(out.total >= 10, JSON.stringify(out));
  await tab.close();
});
