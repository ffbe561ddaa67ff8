// run.mjs --cold-only: cold starts alone, on bundles that are there already (no build, no query passes),
// for work on the cold start's critical path. Engines alternate, a fresh profile each time; prints the
// median time and bytes of each engine, the load average, and the requests of each engine's median run
// (ms after the first request: the fetch rounds show as groups of equal times).
import { writeFileSync } from 'node:fs';
import { cpus, loadavg } from 'node:os';
import { join } from 'node:path';
import { coldStart, harnessPage, mountOf, pageOf } from './browser.mjs';
import { COLD } from './queries.mjs';
import { fmt } from './report.mjs';
import { serveBench } from './server.mjs';
import { median } from './stats.mjs';

/** bundles: { jiansuo: dir, 'jiansuo:2': dir, …, pagefind: dir }. */
export async function coldOnly({ bundles, runs, latencyMs, timeoutMs, out, tls = null, log = console.error }) {
  const engines = Object.keys(bundles);
  const pages = Object.fromEntries(engines.map((e) => [pageOf(e), harnessPage(e)]));
  const loadStart = loadavg()[0];
  const server = await serveBench({ mounts: Object.fromEntries(engines.map((e) => [mountOf(e), bundles[e]])), pages, latency: latencyMs, tls });
  const cold = Object.fromEntries(engines.map((e) => [e, []]));
  try {
    for (let i = 0; i < runs; i++) {
      for (const engine of engines) {
        const query = COLD[i % COLD.length];
        const run = await coldStart(server, engine, query, { timeoutMs });
        log(`${engine}: cold start with ${query}: ${run.ms.toFixed(0)} ms (open ${run.openMs.toFixed(0)} ms), ` +
          `${(run.bytes / 1024).toFixed(1)} KiB in ${run.requests} requests`);
        cold[engine].push(run);
      }
    }
  } finally {
    await server.close();
  }
  const loadEnd = loadavg()[0];
  const lines = [`cold start, ${runs} runs per engine, ${tls ? 'HTTP/2' : 'HTTP/1.1'}, ${latencyMs} ms per request; ${cpus().length} cores, ` +
    `load average ${loadStart.toFixed(2)} → ${loadEnd.toFixed(2)}`];
  const summary = {};
  for (const engine of engines) {
    const list = cold[engine];
    const ms = median(list.map((r) => r.ms));
    const byMs = [...list].sort((a, b) => a.ms - b.ms);
    const mid = byMs[(byMs.length - 1) >> 1];
    summary[engine] = { ms, openMs: median(list.map((r) => r.openMs)), bytes: median(list.map((r) => r.bytes)), runs: list };
    lines.push(`${engine}${bundles[engine] ? ` (${bundles[engine]})` : ''}: median ${fmt(ms, 'ms')} (open ${fmt(summary[engine].openMs, 'ms')}; ` +
      `min ${fmt(byMs[0].ms, 'ms')}, max ${fmt(byMs.at(-1).ms, 'ms')}), ${fmt(summary[engine].bytes, 'bytes')}`);
    lines.push(`  median run (${mid.query}, ${fmt(mid.ms, 'ms')}): ` +
      mid.files.map(([name, bytes, , at]) => `${at} ${name.replace(/[0-9a-f]{12,}/g, '…')} ${fmt(bytes, 'bytes')}`).join(' · '));
  }
  for (const engine of engines.filter((e) => e !== 'pagefind' && summary.pagefind)) {
    lines.push(`${engine} / pagefind: time ${(summary[engine].ms / summary.pagefind.ms).toFixed(2)}×, ` +
      `bytes ${(summary[engine].bytes / summary.pagefind.bytes).toFixed(2)}×`);
  }
  const text = lines.join('\n') + '\n';
  writeFileSync(join(out, 'cold.json'), JSON.stringify({ date: new Date().toISOString(), runs, http: tls ? 2 : 1.1, latencyMs, loadStart, loadEnd, bundles, summary }, null, 1));
  return text;
}
