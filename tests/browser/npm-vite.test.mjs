// The npm package in a Vite 7 app: `npm pack` of www/, installed into a scratch project, bundled by
// `vite build` (engine wasm and worker emitted by Vite), served with an index bundle, searched in Chromium.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { serve } from '../../scripts/serve.mjs';
import { ROOT, SAMPLE_POSTS, realBundle, remove } from '../js/helpers/bundle.mjs';
import { installPackage } from '../js/helpers/npm.mjs';
import { launch, waitForAnswer, widget } from './helpers.mjs';

let project;
let browser;
let server;
let buildOutput;

before(async () => {
  ({ project } = installPackage());
  writeFileSync(
    join(project, 'index.html'),
    `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>Vite consumer</title><link rel="icon" href="data:,"></head>
<body>
  <jiansuo-search bundle="/search/" param=""></jiansuo-search>
  <pre id="out">…</pre>
  <script type="module" src="/main.js"></script>
</body></html>
`,
  );
  writeFileSync(
    join(project, 'main.js'),
    `import { openIndex } from 'jiansuo';
import 'jiansuo/widget';

const out = document.querySelector('#out');
try {
  const index = await openIndex('/search/', { worker: true });
  const page = await index.search('人工智能', { limit: 3 });
  out.textContent = JSON.stringify({ total: page.total, titles: page.results.map((r) => r.title) });
} catch (e) {
  out.textContent = JSON.stringify({ error: e.code ?? String(e) });
}
`,
  );
  writeFileSync(join(project, 'vite.config.js'), `export default { build: { target: 'es2022' }, logLevel: 'warn' };\n`);
  const built = spawnSync(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build'], {
    cwd: project,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`vite build failed:\n${built.stdout}${built.stderr}`);
  buildOutput = `${built.stdout}${built.stderr}`.trim();
  // The index is published beside the app as static files (only its index files are needed).
  const dist = join(project, 'dist');
  mkdirSync(join(dist, 'search'));
  realBundle(SAMPLE_POSTS, join(dist, 'search'));
  server = await serve({ root: dist });
  browser = await launch();
});

after(async () => {
  await browser?.close();
  await server?.close();
  if (project) remove(project);
});

test('vite build has nothing to warn about in the package (logLevel warn)', () => {
  // Only warnings about the package count: a Node or Vite release may warn about itself.
  assert.doesNotMatch(buildOutput, /jiansuo|widget|import\.meta|at build time/i, buildOutput);
});

test('vite build emitted the engine and the search worker (jiansuo.js started as a worker) as assets', () => {
  const assets = readdirSync(join(project, 'dist/assets'));
  assert.ok(assets.some((f) => f.includes('jiansuo_engine_bg') && f.endsWith('.deflate')), assets.join(' '));
  assert.ok(assets.some((f) => /^jiansuo-[\w-]+\.js$/.test(f)), assets.join(' '));
});

test('the API and the element work in the bundled app', async () => {
  const page = await browser.page();
  const failed = [];
  page.on('response', (r) => r.status() >= 400 && failed.push(`${r.status()} ${r.url()}`));
  await page.goto(server.url);
  await page.waitForFunction(() => document.querySelector('#out').textContent !== '…');
  const out = JSON.parse(await page.locator('#out').textContent());
  assert.ok(out.total >= 3, JSON.stringify(out));
  assert.equal(out.titles.length, 3);
  // The engine ran in a worker that Vite bundled, and its wasm came from Vite's assets.
  assert.ok(page.workers().some((w) => /\/assets\/jiansuo-[\w-]+\.js$/.test(w.url())), page.workers().map((w) => w.url()).join(' '));
  const ui = widget(page, 'jiansuo-search');
  await ui.input.click();
  await ui.input.pressSequentially('长春', { delay: 20 });
  const answer = await waitForAnswer(page, '长春');
  assert.ok(answer.total >= 10);
  assert.equal(await ui.options.count(), 10);
  assert.deepEqual(failed, []);
  await page.close();
});
