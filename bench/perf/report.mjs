// The benchmark's tables: the side-by-side table of the goals (stdout and Markdown) and the rest of the
// Markdown report (scale, breakdowns, per-query rows).

export function fmt(value, unit) {
  if (value == null || Number.isNaN(value)) return '—';
  switch (unit) {
    case 'bytes':
      if (value >= 1024 * 1024) return `${(value / 1024 / 1024).toFixed(1)} MiB`;
      return `${(value / 1024).toFixed(1)} KiB`;
    case 'ms':
      return value >= 100 ? `${value.toFixed(0)} ms` : `${value.toFixed(1)} ms`;
    case 's':
      return `${value.toFixed(1)} s`;
    case 'cores':
    case 'load':
      return value.toFixed(2);
    case 'ratio':
      return `${value.toFixed(2)}×`;
    default:
      return String(value);
  }
}

const mark = (met) => (met === true ? 'met' : met === false ? '**not met**' : '—');

// Terminal columns of a string: East Asian wide and full-width characters take two.
const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u;
const columns = (s) => [...s].reduce((n, ch) => n + (WIDE.test(ch) ? 2 : 1), 0);

function table(header, rows) {
  const all = [header, ...rows].map((r) => r.map((c) => String(c)));
  const widths = header.map((_, i) => Math.max(3, ...all.map((r) => columns(r[i]))));
  const line = (r) => `| ${r.map((c, i) => c + ' '.repeat(widths[i] - columns(c))).join(' | ')} |`;
  return [line(all[0]), `| ${widths.map((w) => '-'.repeat(w)).join(' | ')} |`, ...all.slice(1).map(line)].join('\n') + '\n';
}

/** The one side-by-side table: every goal, then informative rows. */
export function goalTable(result) {
  const rows = result.goals.map((g) => [g.goal, fmt(g.ours, g.unit), fmt(g.theirs, g.unit), fmt(g.ratio, 'ratio'), g.target, mark(g.met)]);
  for (const info of result.info) rows.push([info.what, fmt(info.ours, info.unit), fmt(info.theirs, info.unit), fmt(info.unit !== 'load' && info.ours != null && info.theirs ? info.ours / info.theirs : null, 'ratio'), '(info)', '']);
  return table(['', 'jiansuo', 'Pagefind 1.6', 'ratio', 'goal', ''], rows);
}

export function scaleTable(result) {
  const rows = result.scale.map((s) => s.error
    ? [s.posts.toLocaleString('en'), `error: ${s.error}`, '', '', '', '', '', '', '', '']
    : [
      s.posts.toLocaleString('en'), fmt(s.build?.wallSeconds, 's'), fmt(s.build?.coresUsed, 'cores'), fmt(s.build?.peakRssBytes, 'bytes'),
      fmt(s.bundleBytes, 'bytes'), (s.bundleFiles ?? 0).toLocaleString('en'), fmt(s.manifestBytes, 'bytes'), fmt(s.coldBytes, 'bytes'),
      fmt(s.warmMedianMs, 'ms'), fmt(s.warmP95Ms, 'ms'),
    ]);
  return table(['posts', 'build', 'cores', 'peak RSS', 'bundle', 'files', 'manifest', 'cold start', 'warm median', 'warm p95'], rows);
}

function kindsTable(byEngine) {
  const kinds = [...new Set(Object.values(byEngine).flatMap((k) => Object.keys(k ?? {})))];
  const rows = [];
  for (const [engine, k] of Object.entries(byEngine)) {
    for (const kind of kinds) if (k?.[kind]) rows.push([engine, kind, k[kind].files.toLocaleString('en'), fmt(k[kind].bytes, 'bytes')]);
  }
  return table(['engine', 'kind', 'files', 'bytes'], rows);
}

export function markdownReport(result) {
  const out = [];
  const env = result.environment;
  out.push(`# jiansuo vs Pagefind: performance (issue #4)\n\n`);
  out.push(`${result.date} · ${result.corpus.posts.toLocaleString('en')} posts from ${result.corpus.root} · ` +
    `${env.cores} cores, load average ${env.loadStart.toFixed(2)} at the start and ${env.loadEnd.toFixed(2)} at the end ` +
    `(other work shares this machine) · ${env.chromium} · Node ${env.node} · ${env.pagefind}\n\n`);
  out.push(`Command: \`${result.command}\`\n\n`);
  out.push(goalTable(result));
  out.push(`\n${result.method}\n`);
  out.push(`\n## Scale (jiansuo)\n\n${scaleTable(result)}`);
  out.push(`\nBuild under GNU time; cold start bytes: median of ${result.settings.scaleColdRuns} cold starts; warm latencies over the ${result.queries.length} queries.\n`);
  out.push(`\n## Bundles by kind of file (bytes as written)\n\n${kindsTable(Object.fromEntries(Object.entries(result.sizes).map(([e, s]) => [e, s?.kinds])))}`);
  out.push(`\nShipped code (bytes as sent: files stored compressed as written, JS gzip -9):\n\n`);
  out.push(table(['engine', 'file', 'bytes', 'as sent'], Object.entries(result.code).flatMap(([engine, c]) =>
    c ? Object.entries(c.files).map(([name, f]) => [engine, name, fmt(f.bytes, 'bytes'), fmt(f.gzip, 'bytes')]) : [])));
  out.push(`\n## Cold start: bytes by kind (run with the median bytes)\n\n`);
  out.push(kindsTable(Object.fromEntries(Object.entries(result.cold).map(([e, c]) => [e, c?.medianRun?.kinds]))));
  out.push(`\nRequests of that run in the order they reached the server (ms after the first; a gap is a round trip ` +
    `or work between rounds):\n\n${waterfall(result.cold)}`);
  if (result.withRtt) {
    out.push(`\nThe same with ${result.withRtt.rttMs} ms before every response (run with the median bytes):\n\n${waterfall(result.withRtt.cold)}`);
  }
  out.push(`\nEvery cold start:\n\n`);
  out.push(table(['engine', 'query', 'time', 'of which open', 'bytes', 'requests', 'results'], Object.entries(result.cold).flatMap(([engine, c]) =>
    (c?.runs ?? []).map((r) => [engine, r.query, fmt(r.ms, 'ms'), fmt(r.openMs, 'ms'), fmt(r.bytes, 'bytes'), r.requests, r.total]))));
  out.push(`\n## New queries: bytes by kind, summed over the ${result.queries.length} queries (first pass)\n\n`);
  out.push(kindsTable(Object.fromEntries(Object.entries(result.perQuery).map(([e, rows]) => [e, sumKinds(rows)]))));
  out.push(`\n## The new queries that fetched the most (first pass): files by kind\n\n`);
  for (const [engine, rows] of Object.entries(result.perQuery)) {
    const heavy = [...(rows ?? [])].filter((r) => r.files).sort((a, b) => b.bytes - a.bytes).slice(0, 8);
    out.push(table(['engine', 'query', 'bytes', 'files (kind: count × median size)'], heavy.map((r) => [engine, r.query, fmt(r.bytes, 'bytes'), filesByKind(result, engine, r.files)])));
    out.push('\n');
  }
  out.push(`\n## Per query (medians over ${result.settings.passes} passes; warm: over every repeat)\n\n`);
  const engines = Object.keys(result.perQuery);
  const byQuery = new Map();
  for (const e of engines) for (const r of result.perQuery[e] ?? []) byQuery.set(r.query, { ...byQuery.get(r.query), [e]: r });
  out.push(table(
    ['query', ...engines.flatMap((e) => [`${e} results`, `${e} first`, `${e} warm`, `${e} bytes`, `${e} requests`])],
    [...byQuery].map(([q, r]) => [q, ...engines.flatMap((e) => r[e]
      ? [r[e].total, fmt(r[e].firstMs, 'ms'), fmt(r[e].warmMs, 'ms'), fmt(r[e].bytes, 'bytes'), r[e].requests]
      : ['—', '—', '—', '—', '—'])]),
  ));
  if (result.errors.length) out.push(`\n## Errors\n\n${result.errors.map((e) => `- ${e}`).join('\n')}\n`);
  return out.join('');
}

function waterfall(cold) {
  return table(['engine', 'requests (ms: file bytes)'], Object.entries(cold).map(([engine, c]) =>
    [engine, (c?.medianRun?.files ?? []).map(([name, bytes, , at]) => `${at}: ${name.replace(/[0-9a-f]{12,}/g, '…')} ${fmt(bytes, 'bytes')}`).join(' · ')]));
}

function filesByKind(result, engine, files) {
  const kinds = new Map();
  for (const [name, bytes] of files) {
    const kind = /^([^/]+)\//.exec(name)?.[1] ?? name.replace(/^.*\./, '');
    kinds.set(kind, [...(kinds.get(kind) ?? []), bytes]);
  }
  return [...kinds].map(([kind, sizes]) => {
    const sorted = sizes.sort((a, b) => a - b);
    return `${kind}: ${sizes.length} × ${fmt(sorted[(sorted.length - 1) >> 1], 'bytes')}`;
  }).join(', ');
}

function sumKinds(rows) {
  const kinds = {};
  for (const r of rows ?? []) {
    for (const [kind, k] of Object.entries(r.kinds ?? {})) {
      const s = (kinds[kind] ??= { files: 0, bytes: 0 });
      s.files += k.files;
      s.bytes += k.bytes;
    }
  }
  return kinds;
}
