// The cold start's requests with worker: true (each file once, the worker's code in one file, the manifest and
// the engine read by the page and handed over), and the fallback to the engine in the page when a CSP forbids
// workers.
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

test('worker: true fetches each file once: the API, the worker (host and glue in one file), manifest, engine', async () => {
  const { tab, out, requests } = await run('cold.html');
  assert.ok(out.total >= 10, JSON.stringify(out));
  assert.equal(tab.workers().length, 1);
  for (const name of ['worker.js', 'manifest.bin', 'jiansuo_engine_bg.wasm.deflate']) {
    assert.equal(requests.filter((r) => r === name).length, 1, `${name} in ${requests.join(' ')}`);
  }
  assert.ok(!requests.some((r) => /host\.js|jiansuo_engine\.js/.test(r)), requests.join(' '));
  await tab.close();
});

test('a page whose CSP forbids workers gets the engine in the page', async () => {
  const { tab, out } = await run('csp.html');
  assert.ok(out.total >= 10, JSON.stringify(out));
  assert.equal(tab.workers().length, 0);
  await tab.close();
});
