// scratch: not committed
import { serveBench } from './server.mjs';
import { harnessPage } from './browser.mjs';
import { launch } from '../../tests/browser/helpers.mjs';
const dir = process.argv[2], runs = +(process.argv[3] ?? 5);
const server = await serveBench({ mounts: { '/jiansuo/': dir }, pages: { '/h/jiansuo.html': harnessPage('jiansuo') } });
const qs = ['人工智能', '长春', '特朗普 关税', '芯片', 'iPhone'];
for (let i = 0; i < runs; i++) {
  const browser = await launch();
  const page = await browser.context.newPage();
  const marks = [];
  page.on('console', (m) => { const t = m.text(); if (t.startsWith('MARK ')) marks.push(t.slice(5)); });
  await page.goto(new URL('/h/jiansuo.html', server.url).href);
  await page.waitForFunction(() => window.benchReady === true);
  const t0 = await page.evaluate(() => performance.timeOrigin + performance.now());
  const r = await page.evaluate(([q]) => window.bench.cold(q, { worker: true }), [qs[i % 5]]);
  await new Promise((r) => setTimeout(r, 200));
  console.log(`--- ${qs[i % 5]} ${r.ms.toFixed(0)} ms`);
  for (const m of marks) { const [t, ...rest] = m.split(' '); console.log((+t - t0).toFixed(1).padStart(7), rest.join(' ')); }
  await browser.close();
}
await server.close();
