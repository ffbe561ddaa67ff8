// The oracle: which posts contain which keywords, by brute-force substring search over the normalized
// fields of every post, with the Latin-run-start rule. Written from the semantics in bench/README.md,
// independently of the engine.

/**
 * Parses a query into { groups, excluded }: a post matches when, for every group, it contains at least
 * one of the group's keywords, and contains none of the excluded keywords.
 * - Keywords are separated by white space; `"…"` (or its full-width form `＂…＂`) makes one keyword that may
 *   contain spaces.
 * - `-word` (or `-"…"`) excludes posts containing it.
 * - Every keyword is normalized like the posts; one that normalizes to nothing is dropped first.
 * - `a OR b` (the word OR in capitals, unquoted, between two keywords, neither an exclusion) matches either;
 *   `a OR OR b` is `a OR b`. Anywhere else OR is the keyword `or`.
 */
export function parseQuery(query, normalize) {
  const terms = [];
  const ws = /\p{White_Space}/u;
  const isQuote = (ch) => ch === '"' || ch === '＂';
  const chars = [...query];
  let i = 0;
  while (i < chars.length) {
    if (ws.test(chars[i])) { i++; continue; }
    let negated = false, quoted = false, text = '';
    if (chars[i] === '-' && i + 1 < chars.length && !ws.test(chars[i + 1])) { negated = true; i++; }
    if (isQuote(chars[i])) {
      quoted = true;
      i++;
      while (i < chars.length && !isQuote(chars[i])) text += chars[i++];
      i++; // the closing quote (or the end)
    } else {
      while (i < chars.length && !ws.test(chars[i])) text += chars[i++];
    }
    const keyword = normalize(text);
    if (keyword !== '') terms.push({ text, keyword, negated, quoted });
  }
  const groups = [], excluded = [];
  let joinNext = false, afterKeyword = false; // afterKeyword: the term before was a keyword, not an exclusion
  for (let t = 0; t < terms.length; t++) {
    const term = terms[t];
    const isOr = !term.quoted && !term.negated && term.text === 'OR';
    if (isOr && afterKeyword && t + 1 < terms.length && !terms[t + 1].negated) {
      joinNext = true;
      continue;
    }
    if (term.negated) excluded.push(term.keyword);
    else if (joinNext) groups[groups.length - 1].push(term.keyword);
    else groups.push([term.keyword]);
    afterKeyword = !term.negated;
    joinNext = false;
  }
  return { groups, excluded };
}

const isLatin = (c) => (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39); // [a-z0-9]
const isDigit = (c) => c >= 0x30 && c <= 0x39;

/** Whether position i of s continues the Latin run before it (so a keyword cannot start there). */
function inRun(s, i) {
  const c = s.charCodeAt(i);
  if (isLatin(c)) return !isRunStart(s, i);
  return c === 0x2e && i >= 1 && isDigit(s.charCodeAt(i - 1)) && isDigit(s.charCodeAt(i + 1));
}

/** Whether position i of s starts a Latin run (maximal [a-z0-9]+, a `.` between two digits included). */
export function isRunStart(s, i) {
  if (i === 0) return true;
  const prev = s.charCodeAt(i - 1);
  if (isLatin(prev)) return false;
  if (prev === 0x2e && i >= 2 && isDigit(s.charCodeAt(i)) && isDigit(s.charCodeAt(i - 2))) return false;
  return true;
}

const SEP = '\uffff'; // between fields and posts; checked never to occur in the text

export class Oracle {
  /** posts: [{ title, text, categories, tags }]; normalize: the text model's normalization. */
  constructor(posts, normalize) {
    this.normalize = normalize;
    this.posts = posts;
    const parts = [];
    this.fieldNames = []; // per post: names of its fields, in order
    this.fieldStarts = []; // per post: start offsets of its fields in this.text
    this.docStart = new Int32Array(posts.length + 1);
    let offset = 0;
    posts.forEach((post, d) => {
      this.docStart[d] = offset;
      const fields = [['title', post.title], ['text', post.text],
        ...post.categories.map((c) => ['category', c]), ...post.tags.map((t) => ['tag', t])];
      const starts = [];
      for (const [, value] of fields) {
        const n = normalize(value);
        if (n.includes(SEP)) throw new Error(`${post.path}: contains U+FFFF, the oracle's separator`);
        starts.push(offset);
        parts.push(n, SEP);
        offset += n.length + 1;
      }
      this.fieldNames.push(fields.map(([name]) => name));
      this.fieldStarts.push(starts);
    });
    this.docStart[posts.length] = offset;
    this.text = parts.join('');
    this.cache = new Map();
  }

  docAt(position) {
    let lo = 0, hi = this.posts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.docStart[mid] <= position) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /**
   * Positions in this.text where keyword occurs with the run-start rule, from `from`, or -1: a keyword
   * starting with [a-z0-9] must start a run, one starting with `.` must not start at a number's point.
   */
  find(keyword, from, end = this.text.length) {
    const first = keyword.charCodeAt(0);
    const ruled = isLatin(first) || first === 0x2e;
    for (;;) {
      const i = this.text.indexOf(keyword, from);
      if (i === -1 || i >= end) return -1;
      if (!ruled || !inRun(this.text, i)) return i;
      from = i + 1;
    }
  }

  /** Uint8Array over posts: 1 where the post contains the normalized keyword. */
  docsWith(keyword) {
    let hits = this.cache.get(keyword);
    if (hits) return hits;
    hits = new Uint8Array(this.posts.length);
    let from = 0, i;
    while ((i = this.find(keyword, from)) !== -1) {
      const d = this.docAt(i);
      hits[d] = 1;
      from = this.docStart[d + 1];
    }
    this.cache.set(keyword, hits);
    return hits;
  }

  /** Indexes of the posts matching the query, ascending, and the parsed query. */
  search(query) {
    const parsed = parseQuery(query, this.normalize);
    const n = this.posts.length;
    const result = [];
    if (parsed.groups.length === 0) return { parsed, docs: result };
    const groupHits = parsed.groups.map((g) => g.map((k) => this.docsWith(k)));
    const excludedHits = parsed.excluded.map((k) => this.docsWith(k));
    for (let d = 0; d < n; d++) {
      if (groupHits.every((alts) => alts.some((h) => h[d])) && excludedHits.every((h) => !h[d])) result.push(d);
    }
    return { parsed, docs: result };
  }

  /** A short context of the first valid occurrence of keyword in post d: { field, context } or null. */
  context(d, keyword, radius = 18) {
    const i = this.find(keyword, this.docStart[d], this.docStart[d + 1]);
    return i === -1 ? null : this.describe(d, i, keyword.length, radius);
  }

  describe(d, i, length, radius) {
    const starts = this.fieldStarts[d];
    let f = starts.length - 1;
    while (starts[f] > i) f--;
    const fieldEnd = this.text.indexOf(SEP, starts[f]);
    const a = Math.max(starts[f], i - radius), b = Math.min(fieldEnd, i + length + radius);
    const context = (a > starts[f] ? '…' : '') + this.text.slice(a, i) + '[' + this.text.slice(i, i + length) + ']' +
      this.text.slice(i + length, b) + (b < fieldEnd ? '…' : '');
    return { field: this.fieldNames[d][f], context };
  }

  /**
   * Why post d does not contain keyword, for a wrong result: the keyword occurs only inside a Latin run,
   * or only across two fields, or not at all (then the context of its first character, if any).
   */
  whyNot(d, keyword, radius = 18) {
    const start = this.docStart[d], end = this.docStart[d + 1];
    const i = this.text.indexOf(keyword, start);
    if (i !== -1 && i < end) return { reason: 'inside a Latin run or number', ...this.describe(d, i, keyword.length, radius) };
    const joined = this.text.slice(start, end).split(SEP).join('');
    if (joined.includes(keyword)) return { reason: 'only across two fields' };
    const first = String.fromCodePoint(keyword.codePointAt(0));
    const j = this.text.indexOf(first, start);
    if (j !== -1 && j < end) return { reason: 'absent', ...this.describe(d, j, first.length, radius) };
    return { reason: 'absent' };
  }
}

/**
 * Probes: `count` queries that are random substrings (6–10 characters) of the posts' own normalized
 * title or body text, quoted, each starting where a keyword may start (a Latin run's start when it begins
 * with [a-z0-9]). Reproducible for a seed. They check that every part of every post is searchable as the
 * oracle reads it, so that extraction differences show as misses.
 */
export function probes(oracle, count, seed = 1) {
  let state = seed >>> 0;
  const random = () => { // mulberry32
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const out = [];
  for (let attempts = 0; out.length < count && attempts < count * 20; attempts++) {
    const d = Math.floor(random() * oracle.posts.length);
    const f = random() < 0.1 ? 0 : 1; // title or body text
    const start = oracle.fieldStarts[d][f];
    const end = oracle.text.indexOf(SEP, start);
    const length = 6 + Math.floor(random() * 5);
    if (end - start < length) continue;
    let i = start + Math.floor(random() * (end - start - length + 1));
    // Cut at Latin-run boundaries: a probe starts at a run's start (or outside runs) and ends at a run's end.
    while (i > start && inRun(oracle.text, i)) i--;
    if (oracle.text.charCodeAt(i) >= 0xdc00 && oracle.text.charCodeAt(i) <= 0xdfff) i--; // not half a pair
    let j = Math.min(end, i + length);
    while (j < end && inRun(oracle.text, j)) j++;
    if (oracle.text.charCodeAt(j - 1) >= 0xd800 && oracle.text.charCodeAt(j - 1) <= 0xdbff) j++;
    const keyword = oracle.text.slice(i, j);
    // Quote characters: " and ＂ are the query syntax's, “ ” are left out with them: not probed here.
    if (/["“”＂]/.test(keyword) || keyword.trim() !== keyword || [...keyword].length < 4 || j - i > 24) continue;
    out.push({ class: 'probe', query: `"${keyword}"`, probe: oracle.posts[d].path });
  }
  return out;
}
