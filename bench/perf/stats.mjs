// Medians, percentiles and the goals of issue #4.

export function quantile(values, q) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  return v[Math.min(v.length - 1, Math.max(0, Math.ceil(q * v.length) - 1))]; // nearest rank
}

export function median(values) {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return null;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid] : (v[mid - 1] + v[mid]) / 2;
}

export const p95 = (values) => quantile(values, 0.95);

/** Per query over the passes: median first-time latency and bytes, median of every warm repeat. */
export function perQuery(passes) {
  const byQuery = new Map();
  for (const pass of passes) {
    for (const row of pass) {
      const q = byQuery.get(row.query) ??
        { query: row.query, first: [], bytes: [], requests: [], warm: [], total: row.total, kinds: row.kinds, files: row.files };
      q.first.push(row.firstMs);
      q.bytes.push(row.bytes);
      q.requests.push(row.requests);
      q.warm.push(...row.warmMs);
      byQuery.set(row.query, q);
    }
  }
  return [...byQuery.values()].map((q) => ({
    query: q.query,
    total: q.total,
    firstMs: median(q.first),
    bytes: median(q.bytes),
    requests: median(q.requests),
    warmMs: median(q.warm),
    kinds: q.kinds, // of the first pass (the list's own order)
    files: q.files, // [name, bytes, status, ms after the query's first request] of the first pass
  }));
}

/** Distribution over the queries. */
export function summarize(rows) {
  const pick = (k) => rows.map((r) => r[k]);
  return {
    queries: rows.length,
    firstMs: { median: median(pick('firstMs')), p95: p95(pick('firstMs')) },
    warmMs: { median: median(pick('warmMs')), p95: p95(pick('warmMs')) },
    bytes: { median: median(pick('bytes')), p95: p95(pick('bytes')) },
  };
}

const KiB = 1024;

/**
 * The goals: each { goal, ours, theirs, ratio, target, met, unit }. `m` holds the measured numbers of
 * both engines (null where not measured).
 */
export function goals(m) {
  const ratio = (a, b) => (a != null && b ? a / b : null);
  const rows = [];
  const add = (goal, unit, ours, theirs, target, met) =>
    rows.push({ goal, unit, ours, theirs, ratio: ratio(ours, theirs), target, met: ours == null ? null : met });
  const rel = (ours, theirs, max) => (ours != null && theirs != null ? ours <= max * theirs : null);
  const both = (...xs) => (xs.some((x) => x === null) ? null : xs.every(Boolean));

  add('cold start bytes', 'bytes', m.coldBytes.ours, m.coldBytes.theirs, '≤ ¼ and ≤ 150 KiB',
    both(rel(m.coldBytes.ours, m.coldBytes.theirs, 1 / 4), m.coldBytes.ours != null ? m.coldBytes.ours <= 150 * KiB : null));
  add('cold start time', 'ms', m.coldMs.ours, m.coldMs.theirs, '≤ ⅓', rel(m.coldMs.ours, m.coldMs.theirs, 1 / 3));
  add('warm query, median', 'ms', m.warmMedian.ours, m.warmMedian.theirs, '≤ ⅕', rel(m.warmMedian.ours, m.warmMedian.theirs, 1 / 5));
  add('warm query, p95', 'ms', m.warmP95.ours, m.warmP95.theirs, '< 16 ms', m.warmP95.ours != null ? m.warmP95.ours < 16 : null);
  add('bytes for a new query, median', 'bytes', m.queryBytes.ours, m.queryBytes.theirs, '≤ ½', rel(m.queryBytes.ours, m.queryBytes.theirs, 1 / 2));
  add('whole bundle', 'bytes', m.bundle.ours, m.bundle.theirs, '≤ ½', rel(m.bundle.ours, m.bundle.theirs, 1 / 2));
  add('wasm + JS, as sent (JS gzip -9)', 'bytes', m.codeGzip.ours, m.codeGzip.theirs, '≤ 60 KiB', m.codeGzip.ours != null ? m.codeGzip.ours <= 60 * KiB : null);
  add('build time', 's', m.buildSeconds.ours, m.buildSeconds.theirs, '≤ ¼', rel(m.buildSeconds.ours, m.buildSeconds.theirs, 1 / 4));
  add('build peak memory', 'bytes', m.buildRss.ours, m.buildRss.theirs, '≤ 1 GB', m.buildRss.ours != null ? m.buildRss.ours <= 1e9 : null);
  add('build cores used, (user+sys)/wall', 'cores', m.buildCores.ours, m.buildCores.theirs, '≥ 1.5 of 2 (both used)',
    m.buildCores.ours != null ? m.buildCores.ours >= 1.5 : null);
  return rows;
}
