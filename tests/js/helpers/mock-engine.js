// A stand-in for the wasm-bindgen glue (jiansuo_engine.js) that speaks the engine protocol of
// docs/DESIGN.md with a trivial JSON "index". It lets the host code (fetch loop, dedupe, errors,
// workers, the widget) be tested on its own; the real engine is tested end to end elsewhere.
//   manifest.bin: {"mock":1,"terms":"t/terms.bin","docs":["d/0.bin",…]}
//   t/terms.bin:  {"<char>": [docIds…]}        (round 1: the host fetches it)
//   d/N.bin:      {url,title,date,categories,tags,text}   (round 2: the documents that match)
export const stats = { inits: 0, added: [] };

export default async function init(options) {
  stats.inits++;
  const source = await options?.module_or_path;
  if (source && typeof source.arrayBuffer === 'function') await source.arrayBuffer();
}

const decoder = new TextDecoder();
const escape = (s) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

function parse(name, bytes) {
  try {
    return JSON.parse(decoder.decode(bytes));
  } catch {
    throw new Error(`corrupt-file: ${name}: checksum mismatch`);
  }
}

export class Engine {
  #manifest;
  #files = new Map();

  constructor(manifestBytes) {
    this.#manifest = parse('manifest.bin', manifestBytes);
    if (this.#manifest.mock !== 1) throw new Error('version-mismatch: manifest.bin: not a mock bundle');
  }

  addFile(name, bytes) {
    stats.added.push(name);
    this.#files.set(name, parse(name, bytes));
  }

  search(query, options) {
    const { limit = 10, offset = 0, sort = 'relevance' } = options ?? {};
    const q = String(query).trim().toLowerCase();
    if (q.startsWith('!bad')) throw new Error('bad-query: unbalanced quote');
    if (!q) return { page: { total: 0, results: [] } };
    const terms = this.#files.get(this.#manifest.terms);
    if (!terms) return { need: [this.#manifest.terms] };
    let ids = null;
    for (const ch of new Set(q.replace(/\s+/g, ''))) {
      const list = new Set(terms[ch] ?? []);
      ids = ids ? ids.filter((id) => list.has(id)) : [...list];
    }
    const need = ids.map((id) => this.#manifest.docs[id]).filter((name) => !this.#files.has(name));
    if (need.length) return { need };
    let hits = ids
      .map((id) => ({ id, doc: this.#files.get(this.#manifest.docs[id]) }))
      .filter(({ doc }) => (doc.title + '\n' + doc.text).toLowerCase().includes(q));
    hits = hits.map(({ id, doc }) => {
      const count = (doc.title + doc.text).toLowerCase().split(q).length - 1;
      return { id, doc, score: count + (doc.title.toLowerCase().includes(q) ? 5 : 0) };
    });
    hits.sort((a, b) => (sort === 'date' ? a.id - b.id : b.score - a.score || a.id - b.id));
    const results = hits.slice(offset, offset + limit).map(({ doc, score }) => ({
      url: doc.url,
      title: doc.title,
      date: doc.date,
      categories: doc.categories,
      tags: doc.tags,
      score,
      excerpt: excerpt(doc.text, q),
    }));
    return { page: { total: hits.length, results } };
  }

  complete(input, limit) {
    const terms = this.#files.get(this.#manifest.terms);
    if (!terms) return { need: [this.#manifest.terms] };
    const prefix = String(input).trim().toLowerCase();
    const counts = new Map();
    for (const name of this.#manifest.docs) {
      const title = this.#files.get(name)?.title.toLowerCase() ?? '';
      const at = prefix ? title.indexOf(prefix) : -1;
      if (at >= 0) {
        const word = title.slice(at, at + prefix.length + 2);
        counts.set(word, (counts.get(word) ?? 0) + 1);
      }
    }
    const completions = [...counts].map(([text, count]) => ({ text, query: text, count }));
    return { completions: completions.sort((a, b) => b.count - a.count).slice(0, limit) };
  }

  free() {}
}

function excerpt(text, q) {
  const flat = text.replace(/\s+/g, ' ');
  const at = Math.max(0, flat.toLowerCase().indexOf(q));
  const start = Math.max(0, at - 30);
  const slice = flat.slice(start, start + 110);
  const lower = slice.toLowerCase();
  let out = start > 0 ? '…' : '';
  let i = 0;
  for (let j = lower.indexOf(q); j >= 0 && q; j = lower.indexOf(q, i)) {
    out += escape(slice.slice(i, j)) + '<mark>' + escape(slice.slice(j, j + q.length)) + '</mark>';
    i = j + q.length;
  }
  return out + escape(slice.slice(i)) + (start + 110 < flat.length ? '…' : '');
}
