// Formats the evaluation: a plain-text table for the terminal and a Markdown report for bench/out/.

const WIDE = /[\u1100-\u115f\u2e80-\u303e\u3041-\u33ff\u3400-\u4dbf\u4e00-\u9fff\ua000-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6\u{20000}-\u{3fffd}]/u;
const width = (s) => [...s].reduce((w, ch) => w + (WIDE.test(ch) ? 2 : 1), 0);
const padEnd = (s, n) => s + ' '.repeat(Math.max(0, n - width(s)));
const padStart = (s, n) => ' '.repeat(Math.max(0, n - width(s))) + s;
// Rounded down, so that anything short of perfect never shows as 100.0.
const pct = (x) => (Math.floor(x * 1000) / 10).toFixed(1);
const pct2 = (x) => (Math.floor(x * 10000) / 100).toFixed(2) + ' %';

const mean = (xs) => xs.length ? xs.reduce((a, b) => a + b, 0) / xs.length : NaN;
const median = (xs) => {
  if (!xs.length) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};

/** Per engine: macro recall/precision overall and per class, perfect queries, errors, time. */
export function summarize(result) {
  const summary = {};
  for (const engine of result.engines) {
    const rows = result.rows.filter((r) => r.engines[engine.name]);
    if (!rows.length) continue;
    const of = (rs) => {
      const e = rs.map((r) => r.engines[engine.name]);
      return {
        queries: rs.length,
        recall: mean(e.map((x) => x.recall)),
        precision: mean(e.map((x) => x.precision)),
        perfect: e.filter((x) => x.recall === 1 && x.precision === 1).length,
        errors: e.filter((x) => x.error).length,
        notes: e.filter((x) => x.note).map((x) => x.note),
        missed: e.reduce((a, x) => a + (x.missedCount ?? 0), 0),
        extra: e.reduce((a, x) => a + (x.extraCount ?? 0), 0),
        medianMs: median(e.map((x) => x.ms)),
        totalMs: e.reduce((a, x) => a + x.ms, 0),
      };
    };
    const classes = {};
    for (const c of [...new Set(rows.map((r) => r.class))]) classes[c] = of(rows.filter((r) => r.class === c));
    // The macro averages are over the readers' queries; probes (random substrings) are a class of their own.
    const readers = rows.filter((r) => r.class !== 'probe');
    summary[engine.name] = { all: readers.length ? of(readers) : null, classes };
  }
  return summary;
}

/** The worst queries of one engine: lowest min(recall, precision), then lowest sum. */
export function worst(result, engine, n) {
  return result.rows.filter((r) => r.engines[engine])
    .map((r) => ({ r, e: r.engines[engine] }))
    .filter(({ e }) => e.error || e.recall < 1 || e.precision < 1)
    .sort((a, b) => Math.min(a.e.recall, a.e.precision) - Math.min(b.e.recall, b.e.precision) ||
      (a.e.recall + a.e.precision) - (b.e.recall + b.e.precision))
    .slice(0, n)
    .map(({ r }) => r);
}

function exampleLines(name, e, indent) {
  const lines = [];
  if (e.error) return [`${indent}${name} error: ${e.error}`];
  if (e.missedCount) {
    lines.push(`${indent}${name} missed ${e.missedCount}:`);
    for (const m of e.missed) lines.push(`${indent}  - ${m.path}  ${m.context}`);
  }
  if (e.extraCount) {
    lines.push(`${indent}${name} wrong ${e.extraCount}:`);
    for (const x of e.extra) {
      lines.push(`${indent}  + ${x.path ?? x.url}  ${x.reason}${x.context ? '  ' + x.context : ''}` +
        (x.excerpt ? `  excerpt: ${x.excerpt}` : ''));
    }
  }
  if (e.duplicates) lines.push(`${indent}${name} returned ${e.duplicates} posts twice`);
  if (e.totalMismatch) lines.push(`${indent}${name} said total ${e.total} but returned ${e.count}`);
  if (e.note) lines.push(`${indent}${name}: ${e.note}`);
  return lines;
}

function engineCells(e) {
  if (!e) return ['—', '—', '—'];
  if (e.error) return ['error', '—', '—'];
  return [String(e.count), pct(e.recall), pct(e.precision)];
}

export function textReport(result, worstN = 15) {
  const names = result.engines.map((e) => e.name);
  const lines = [];
  lines.push(`Exact keyword search: ${result.corpus.posts} posts (${result.corpus.folders.join(', ')}), ${result.queries} queries`);
  lines.push(`Definitions: ${result.definitions}`);
  for (const s of result.corpus.skipped ?? []) lines.push(`Not a post for Jekyll, left out of the oracle: ${s.path} (${s.reason})`);
  for (const e of result.engines) lines.push(`${e.name}: ${e.status}${e.version ? ` (${e.version})` : ''}`);
  lines.push('');
  const header = padEnd('class', 10) + padEnd('query', 26) + padStart('oracle', 7) +
    names.map((n) => ' │ ' + padStart(n, 8) + padStart('R %', 7) + padStart('P %', 7)).join('');
  lines.push(header, '─'.repeat(width(header)));
  for (const r of result.rows) {
    lines.push(padEnd(r.class, 10) + padEnd(r.query, 26) + padStart(String(r.oracle), 7) +
      names.map((n) => {
        const [count, rec, prec] = engineCells(r.engines[n]);
        return ' │ ' + padStart(count, 8) + padStart(rec, 7) + padStart(prec, 7);
      }).join(''));
    for (const n of names) if (r.engines[n]) lines.push(...exampleLines(n, r.engines[n], '      '));
  }
  lines.push('', ...summaryLines(result, worstN));
  return lines.join('\n') + '\n';
}

function summaryLines(result, worstN) {
  const summary = summarize(result);
  const lines = [];
  lines.push(`Macro averages over the readers' queries, probes not included (target: recall ≥ 99.5 %, precision ≥ 99.5 %)`);
  lines.push(padEnd('engine', 10) + padStart('recall', 10) + padStart('precision', 11) + padStart('perfect', 9) +
    padStart('missed', 8) + padStart('wrong', 8) + padStart('errors', 8) + padStart('median ms', 11) + padStart('total s', 9));
  for (const e of result.engines) {
    const s = summary[e.name]?.all;
    if (!s) {
      lines.push(padEnd(e.name, 10) + '  ' + (summary[e.name] ? 'no readers\' queries run' : e.status));
      continue;
    }
    lines.push(padEnd(e.name, 10) + padStart(pct2(s.recall), 10) + padStart(pct2(s.precision), 11) +
      padStart(`${s.perfect}/${s.queries}`, 9) + padStart(String(s.missed), 8) + padStart(String(s.extra), 8) +
      padStart(String(s.errors), 8) + padStart(s.medianMs.toFixed(1), 11) + padStart((s.totalMs / 1000).toFixed(1), 9));
  }
  for (const [name, s] of Object.entries(summary)) {
    if (s.all?.notes.length) lines.push(`${name}: ${s.all.notes.length} queries noted, e.g. ${s.all.notes[0]}`);
  }
  const names = Object.keys(summary);
  if (names.length) {
    lines.push('', 'By class (macro recall % / precision %)');
    lines.push(padEnd('class', 10) + padStart('n', 5) + names.map((n) => padStart(n, 18)).join(''));
    for (const c of Object.keys(summary[names[0]].classes)) {
      lines.push(padEnd(c, 10) + padStart(String(summary[names[0]].classes[c].queries), 5) + names.map((n) => {
        const s = summary[n].classes[c];
        return padStart(s ? `${pct(s.recall)} / ${pct(s.precision)}` : '—', 18);
      }).join(''));
    }
  }
  for (const n of names) {
    const bad = worst(result, n, worstN);
    lines.push('', `Worst ${bad.length} queries for ${n} (lowest min(recall, precision))`);
    for (const r of bad) {
      const [count, rec, prec] = engineCells(r.engines[n]);
      lines.push(`${padEnd(r.class, 10)}${padEnd(r.query, 26)} oracle ${r.oracle}, ${n} ${count}, R ${rec} %, P ${prec} %`);
      lines.push(...exampleLines(n, r.engines[n], '    '));
    }
  }
  return lines;
}

const md = (s) => String(s).replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function markdownReport(result, worstN = 15) {
  const names = result.engines.map((e) => e.name);
  const summary = summarize(result);
  const lines = [`# Exact keyword search evaluation`, '',
    `${result.date}: ${result.corpus.posts} posts (${result.corpus.folders.join(', ')}), ${result.queries} queries.`, '',
    `Definitions: ${result.definitions}`, '',
    ...(result.corpus.skipped ?? []).map((s) => `Not a post for Jekyll, left out of the oracle: \`${s.path}\` (${s.reason})`), ''];
  for (const e of result.engines) lines.push(`- ${e.name}: ${e.status}${e.version ? ` (${e.version})` : ''}`);
  lines.push('', '## Macro averages', '', '| engine | recall | precision | perfect queries | missed | wrong | errors | median ms |',
    '|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const e of result.engines) {
    const s = summary[e.name]?.all;
    lines.push(s ? `| ${e.name} | ${pct2(s.recall)} | ${pct2(s.precision)} | ${s.perfect}/${s.queries} | ${s.missed} | ${s.extra} | ${s.errors} | ${s.medianMs.toFixed(1)} |`
      : `| ${e.name} | ${md(e.status)} | | | | | | |`);
  }
  const present = Object.keys(summary);
  if (present.length) {
    lines.push('', '## By class (recall % / precision %)', '', `| class | n | ${present.join(' | ')} |`,
      `|---|---:|${present.map(() => '---:').join('|')}|`);
    for (const c of Object.keys(summary[present[0]].classes)) {
      lines.push(`| ${c} | ${summary[present[0]].classes[c].queries} | ` +
        present.map((n) => {
          const s = summary[n].classes[c];
          return s ? `${pct(s.recall)} / ${pct(s.precision)}` : '—';
        }).join(' | ') + ' |');
    }
  }
  lines.push('', '## Every query', '', `| class | query | oracle | ${names.map((n) => `${n} | R % | P %`).join(' | ')} |`,
    `|---|---|---:|${names.map(() => '---:|---:|---:').join('|')}|`);
  for (const r of result.rows) {
    lines.push(`| ${r.class} | ${md(r.query)} | ${r.oracle} | ` + names.map((n) => engineCells(r.engines[n]).join(' | ')).join(' | ') + ' |');
  }
  for (const n of present) {
    lines.push('', `## Worst queries for ${n}`, '');
    for (const r of worst(result, n, worstN)) {
      const [count, rec, prec] = engineCells(r.engines[n]);
      lines.push(`- **${md(r.query)}** (${r.class}): oracle ${r.oracle}, ${n} ${count}, recall ${rec} %, precision ${prec} %`);
      for (const l of exampleLines(n, r.engines[n], '  ')) lines.push('  ' + md(l.trim()).replace(/^([-+]) /, '$1 `') + (/^\s*[-+] /.test(l) ? '`' : ''));
    }
  }
  return lines.join('\n') + '\n';
}
