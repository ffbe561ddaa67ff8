// <jiansuo-search>: a search box for static sites, no framework.
//
//   <script type="module" src="/search/widget.js"></script>
//   <jiansuo-search></jiansuo-search>
//
// Attributes: bundle (folder of the index; default: the folder this script was loaded from),
//   placeholder, page-size (10), mode ('inline' | 'modal'), sort ('relevance' | 'date'),
//   param (URL query parameter that holds the search, default 'q'; '' to leave the URL alone),
//   lang ('zh' default, 'en'), strings (JSON object overriding UI text), theme ('light' | 'dark'),
//   facets (a filter panel, opened with its button: 'categories' and 'tags' chips with counts, 'dates' (a date
//   range); the empty value is 'categories dates'),
//   completions (options at the top of the listbox that finish the keyword being typed; the engine's
//   alternatives are always offered there),
//   no-worker (run the engine in the page instead of a Web Worker).
// Properties: strings, searchOptions (extra engine options for every search, e.g. a fixed date range), query,
//   open(), close(), search(query).
// URL state (unless param=""): ?q=…&category=…&tag=…&from=YYYY-MM-DD&to=YYYY-MM-DD.
// Events: jiansuo-results { query, options, page, append }, jiansuo-error { query, error }.
// Styling: CSS custom properties --jiansuo-* (see STYLE) and ::part(...) on every element.
import { openIndex } from './jiansuo.js';

const STRINGS = {
  zh: {
    label: '搜索',
    placeholder: '搜索站内文章',
    trigger: '搜索',
    close: '关闭',
    clear: '清除搜索',
    results: '搜索结果',
    loading: '正在加载搜索…',
    total: '共 {n} 条结果',
    none: '没有找到与“{q}”相关的结果',
    noneFiltered: '没有符合筛选条件的结果',
    more: '加载更多',
    shown: '已显示 {shown} 条，共 {n} 条',
    sort: '排序',
    relevance: '相关度',
    newest: '最新',
    date: '{y}年{m}月{d}日',
    error: '搜索暂时无法使用',
    failed: '搜索出错，请稍后重试。',
    missing: '没有找到搜索索引，请确认站点已生成索引。',
    incomplete: '搜索索引不完整，缺少文件，请重新发布整个索引文件夹。',
    network: '网络错误，搜索索引加载失败，请稍后重试。',
    damaged: '搜索索引已损坏，请重新生成索引。',
    updated: '站点已用另一版本重新生成搜索索引，请刷新页面后再搜索。',
    unsupported: '当前浏览器不支持站内搜索，请升级浏览器。',
    badQuery: '搜索词过长或无法识别，请换个说法。',
    categories: '分类',
    tags: '标签',
    clearFilters: '清除筛选',
    filtered: '（已筛选）',
    filters: '筛选',
    dates: '日期',
    anyDate: '不限',
    lastWeek: '最近一周',
    lastMonth: '最近一月',
    lastYear: '最近一年',
    dateFrom: '从',
    dateTo: '至',
    suggestions: '你可能想搜',
    duplicates: '另有 {n} 个来源',
    rewritten: '，以下为“{q}”的结果',
    hintKey: '/',
  },
  en: {
    label: 'Search',
    placeholder: 'Search this site',
    trigger: 'Search',
    close: 'Close',
    clear: 'Clear search',
    results: 'Search results',
    loading: 'Loading search…',
    total: '{n} results',
    none: 'No results for “{q}”',
    noneFiltered: 'No results match the filters',
    more: 'Load more',
    shown: 'Showing {shown} of {n}',
    sort: 'Sort',
    relevance: 'Relevance',
    newest: 'Newest',
    date: '{y}-{mm}-{dd}',
    error: 'Search is unavailable',
    failed: 'Something went wrong; please try again.',
    missing: 'The search index was not found.',
    incomplete: 'The search index is incomplete: a file is missing. Please publish the whole index folder again.',
    network: 'A network error stopped the search index from loading. Please try again.',
    damaged: 'The search index is damaged; please rebuild it.',
    updated: 'The site has rebuilt its search index with another version: reload the page to search.',
    unsupported: 'This browser cannot run the site search.',
    badQuery: 'That search is too long or could not be understood.',
    categories: 'Categories',
    tags: 'Tags',
    clearFilters: 'Clear filters',
    filtered: ' (filtered)',
    filters: 'Filters',
    dates: 'Date',
    anyDate: 'Any time',
    lastWeek: 'Past week',
    lastMonth: 'Past month',
    lastYear: 'Past year',
    dateFrom: 'From',
    dateTo: 'To',
    suggestions: 'Try',
    duplicates: '+{n} more sources',
    rewritten: ' for “{q}”',
    hintKey: '/',
  },
};

const STYLE = `
:host {
  /* light-dark(): the first colour for light, the second for dark; prefers-color-scheme decides unless
     theme="light" or theme="dark" says otherwise. Every colour can be set with --jiansuo-*. */
  color-scheme: light dark;
  --_accent: var(--jiansuo-accent, light-dark(#1d4ed8, #8ab4ff));
  --_bg: var(--jiansuo-bg, light-dark(#ffffff, #16181d));
  --_fg: var(--jiansuo-fg, light-dark(#1f2328, #e6e8eb));
  --_muted: var(--jiansuo-muted, light-dark(#5f6670, #a0a7b1));
  --_border: var(--jiansuo-border, light-dark(#d0d7de, #3a3f48));
  --_hover: var(--jiansuo-hover, light-dark(#f3f5f8, #20242b));
  --_active: var(--jiansuo-active, light-dark(#eaf1ff, #1d2a44));
  --_mark-bg: var(--jiansuo-mark-bg, light-dark(#fff0a6, #6b5412));
  --_mark-fg: var(--jiansuo-mark-fg, light-dark(#1f2328, #fff6d5));
  --_danger: var(--jiansuo-danger, light-dark(#b42318, #ff8a80));
  --_shadow: var(--jiansuo-shadow, 0 12px 40px light-dark(rgb(15 23 42 / .18), rgb(0 0 0 / .55)));
  --_radius: var(--jiansuo-radius, 10px);
  --_height: var(--jiansuo-input-height, 48px);
  display: block;
  font-family: var(--jiansuo-font); /* unset: the page's font */
  color: var(--_fg);
  line-height: 1.6;
  -webkit-text-size-adjust: 100%;
}
:host([theme=light]) { color-scheme: light; }
:host([theme=dark]) { color-scheme: dark; }
[hidden] { display: none !important; }
*, *::before, *::after { box-sizing: border-box; }
button { font: inherit; color: inherit; }
:focus-visible { outline: 2px solid var(--_accent); outline-offset: 2px; }

.form {
  position: relative; display: flex; align-items: center; gap: 8px;
  height: var(--_height); padding: 0 6px 0 14px;
  background: var(--_bg); border: 1px solid var(--_border); border-radius: var(--_radius);
  transition: border-color .15s, box-shadow .15s;
}
.form:focus-within { border-color: var(--_accent); box-shadow: 0 0 0 3px color-mix(in srgb, var(--_accent) 22%, transparent); }
.icon { flex: none; width: 18px; height: 18px; color: var(--_muted); }
.form input {
  flex: 1; min-width: 0; height: 100%; border: 0; outline: 0; background: transparent;
  font: inherit; font-size: 16px; color: inherit; padding: 0;
}
.form input:focus-visible { outline: none; }
input::placeholder { color: var(--_muted); opacity: 1; }
input::-webkit-search-cancel-button { display: none; }
.clear, .close {
  flex: none; display: grid; place-items: center; min-width: 32px; height: 32px; padding: 0 8px;
  border: 0; border-radius: 8px; background: transparent; color: var(--_muted); cursor: pointer;
}
.clear:hover, .close:hover { background: var(--_hover); color: var(--_fg); }
.invisible { visibility: hidden; }
.narrow { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }

.bar { display: flex; align-items: center; gap: 12px; min-height: 40px; padding: 6px 2px 2px; }
.status { flex: 1; margin: 0; font-size: 14px; color: var(--_muted); min-width: 0; }
.status.error {
  margin: 6px 0; padding: 10px 14px; border-radius: var(--_radius); color: var(--_danger);
  background: color-mix(in srgb, var(--_danger) 8%, transparent);
  border: 1px solid color-mix(in srgb, var(--_danger) 30%, transparent);
}
.status small { display: block; font-size: 12px; color: var(--_muted); font-family: ui-monospace, monospace; }
.sort { display: inline-flex; flex: none; padding: 2px; border: 1px solid var(--_border); border-radius: 999px; }
.sort button {
  border: 0; background: transparent; padding: 2px 12px; border-radius: 999px; font-size: 13px;
  color: var(--_muted); cursor: pointer; line-height: 1.7;
}
.sort button[aria-pressed=true] { background: var(--_accent); color: var(--_bg); }
.toggle {
  display: inline-flex; flex: none; align-items: center; gap: 6px; height: 32px; padding: 0 12px;
  border: 1px solid var(--_border); border-radius: 999px; background: var(--_bg); color: var(--_muted);
  font-size: 13px; cursor: pointer;
}
.toggle:hover, .toggle[aria-expanded=true] { border-color: var(--_accent); color: var(--_accent); }
.toggle::after { content: ''; width: 6px; height: 6px; margin: -3px 0 0 2px; border: solid currentColor; border-width: 0 1.5px 1.5px 0; transform: rotate(45deg); }
.toggle[aria-expanded=true]::after { margin-top: 3px; transform: rotate(-135deg); }
.toggle .count {
  min-width: 18px; padding: 0 5px; border-radius: 999px; background: var(--_accent); color: var(--_bg);
  font-size: 12px; line-height: 18px; text-align: center; font-variant-numeric: tabular-nums;
}

.facets {
  display: grid; gap: 8px; margin: 2px 0 8px; padding: 10px 12px; border: 1px solid var(--_border);
  border-radius: var(--_radius); background: color-mix(in srgb, var(--_hover) 70%, var(--_bg));
}
.groups { display: contents; }
.presets, .range { display: inline-flex; align-items: center; gap: 6px; }
.range { gap: 6px 10px; }
.range label { display: inline-flex; align-items: center; gap: 6px; font-size: 13px; color: var(--_muted); }
.range input {
  height: 28px; padding: 0 8px; border: 1px solid var(--_border); border-radius: 8px;
  background: var(--_bg); color: var(--_fg); font: inherit; font-size: 14px; line-height: 1;
}
.range input:hover { border-color: var(--_accent); }
.facets > .reset { justify-self: start; }
.facet { display: flex; flex-wrap: wrap; align-items: center; gap: 6px; }
.facet-label { font-size: 13px; color: var(--_muted); margin-inline-end: 2px; }
.chip {
  display: inline-flex; align-items: center; gap: 4px; height: 28px; padding: 0 10px; border-radius: 999px;
  border: 1px solid var(--_border); background: var(--_bg); font-size: 13px; cursor: pointer;
}
.chip:hover { border-color: var(--_accent); }
.chip[aria-pressed=true] { border-color: var(--_accent); background: var(--_active); color: var(--_accent); font-weight: 600; }
.chip .count { color: var(--_muted); font-weight: 400; font-variant-numeric: tabular-nums; }
.chip.reset { border-style: dashed; color: var(--_muted); }
.list { list-style: none; margin: 0; padding: 0; transition: opacity .15s; }
.suggestion {
  display: flex; align-items: center; gap: 8px; padding: 7px 14px; margin: 0 -2px; border-radius: calc(var(--_radius) - 2px);
  font-size: 15px; cursor: pointer; overflow-wrap: anywhere;
}
.suggestion .icon { flex: none; width: 16px; height: 16px; color: var(--_muted); }
.suggestion .count { margin-inline-start: auto; font-size: 13px; color: var(--_muted); font-variant-numeric: tabular-nums; }
.suggestion:hover { background: var(--_hover); }
.suggestion[aria-selected=true] { background: var(--_active); outline: 2px solid var(--_accent); outline-offset: -2px; }
.suggestion:last-of-type { margin-bottom: 6px; }
.sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
.list[aria-busy=true] { opacity: .55; }
.result {
  display: block; padding: 12px 14px; margin: 0 -2px; border-radius: calc(var(--_radius) - 2px);
  border-bottom: 1px solid color-mix(in srgb, var(--_border) 60%, transparent);
  color: inherit; text-decoration: none;
}
.result:last-child { border-bottom-color: transparent; }
.result:hover { background: var(--_hover); }
.result[aria-selected=true] {
  background: var(--_active); outline: 2px solid var(--_accent); outline-offset: -2px; border-bottom-color: transparent;
}
.title { display: block; font-size: 17px; font-weight: 600; line-height: 1.45; color: var(--_accent); overflow-wrap: anywhere; }
.result:hover .title, .result[aria-selected=true] .title { text-decoration: underline; text-underline-offset: 3px; }
.meta { display: flex; flex-wrap: wrap; align-items: center; gap: 4px 10px; margin-top: 2px; font-size: 13px; color: var(--_muted); }
.category {
  padding: 0 8px; border-radius: 999px; font-size: 12px; line-height: 20px;
  background: color-mix(in srgb, var(--_accent) 12%, transparent); color: var(--_fg);
}
.excerpt { display: block; margin: 6px 0 0; font-size: 14px; color: var(--_fg); opacity: .88; overflow-wrap: anywhere; }
mark { background: var(--_mark-bg); color: var(--_mark-fg); border-radius: 3px; padding: 0 1px; }
.more {
  display: block; width: 100%; margin: 10px 0 4px; height: 42px; border: 1px solid var(--_border);
  border-radius: var(--_radius); background: var(--_bg); color: var(--_accent); cursor: pointer; font-size: 15px;
}
.more:hover { background: var(--_hover); }
.more[aria-disabled=true] { color: var(--_muted); cursor: progress; }

.trigger {
  display: inline-flex; align-items: center; gap: 8px; height: 38px; padding: 0 8px 0 12px; min-width: 150px;
  border: 1px solid var(--_border); border-radius: 999px; background: var(--_bg); color: var(--_muted);
  cursor: pointer; font-size: 14px;
}
.trigger:hover { border-color: var(--_accent); color: var(--_fg); }
.trigger span { flex: 1; text-align: start; }
kbd {
  display: inline-grid; place-items: center; min-width: 22px; height: 22px; padding: 0 5px; border-radius: 5px;
  border: 1px solid var(--_border); font: 12px ui-monospace, monospace; color: var(--_muted);
}
dialog {
  width: min(680px, calc(100vw - 24px)); max-height: min(720px, calc(100dvh - 48px)); margin: 8vh auto auto;
  padding: 0; border: 1px solid var(--_border); border-radius: calc(var(--_radius) + 4px);
  background: var(--_bg); color: var(--_fg); box-shadow: var(--_shadow); overflow: hidden;
}
dialog[open] { display: flex; flex-direction: column; }
dialog::backdrop { background: rgb(15 23 42 / .45); backdrop-filter: blur(2px); }
dialog .panel { display: flex; flex-direction: column; min-height: 0; padding: 12px; }
dialog .form { flex: none; }
dialog .scroll { overflow: auto; overscroll-behavior: contain; min-height: 0; }
@media (max-width: 480px) {
  dialog { width: 100vw; max-width: 100vw; height: 100dvh; max-height: 100dvh; margin: 0; border-radius: 0; border: 0; }
  .result { padding: 12px 8px; }
  .title { font-size: 16px; }
  .trigger { min-width: 0; }
  .trigger kbd, .wide { display: none; }
  /* One scrollable line of chips each, so that the results stay in view. */
  .facet { flex-wrap: nowrap; overflow-x: auto; scrollbar-width: none; margin-inline: -2px; padding: 1px 2px; }
  .facet > * { flex: none; }
  .facets { padding: 8px 10px; }
  /* The toolbar on one line for the usual counts; a long status line pushes the buttons onto the next. */
  .bar { flex-wrap: wrap; gap: 4px 8px; }
  .status { flex: 1 1 auto; font-size: 13px; }
  .toggle { margin-inline-start: auto; padding: 0 10px; }
  .toggle::after { display: none; }
  .sort button { padding: 2px 9px; }
  /* The presets on one scrollable line, the two days below them, half the width each. */
  .facet.dates { flex-wrap: wrap; overflow: visible; }
  .presets { flex: 1 1 0; min-width: 0; overflow-x: auto; scrollbar-width: none; padding: 1px; margin: -1px; }
  .presets > * { flex: none; }
  .range { flex: 1 1 100%; display: grid; grid-template-columns: 1fr 1fr; }
  .range label, .range input { min-width: 0; }
  .range input { flex: 1; }
  .status .note { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); white-space: nowrap; }
  .narrow { position: static; width: auto; height: auto; overflow: visible; clip-path: none; font-size: 15px; color: var(--_accent); }
}
@media (prefers-reduced-motion: reduce) { * { transition: none !important; } }
`;

const SEARCH_ICON =
  'M10.5 3a7.5 7.5 0 0 1 5.96 12.05l4.24 4.25a1 1 0 0 1-1.41 1.41l-4.25-4.24A7.5 7.5 0 1 1 10.5 3Zm0 2a5.5 5.5 0 1 0 0 11 5.5 5.5 0 0 0 0-11Z';

const DEBOUNCE_MS = 90;
const FACET_CHIPS = 12;
const SUGGESTIONS = 8;
const MAX_PAGE_SIZE = 100;
/** URL parameters of the chosen facet values (repeated for several), beside the query's. */
const FILTER_PARAMS = { categories: 'category', tags: 'tag' };
/** The date range's presets: how many days back from today they start (anyDate: no range). */
const PRESETS = { anyDate: 0, lastWeek: 7, lastMonth: 30, lastYear: 365 };
const LOADING_DELAY_MS = 250;

/** Opened indexes, shared by every element on the page that uses the same bundle. */
const indexes = new Map();

let sheet = null;
let uid = 0;

/** Element with attributes and children; children are nodes or strings (always text, never HTML). */
function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === false || v == null) continue;
    if (k === 'part') el.setAttribute('part', v);
    else if (k === 'class') el.className = v;
    else el.setAttribute(k, v === true ? '' : v);
  }
  el.append(...children);
  return el;
}

function icon() {
  const ns = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(ns, 'svg');
  svg.setAttribute('viewBox', '0 0 24 24');
  svg.setAttribute('class', 'icon');
  svg.setAttribute('aria-hidden', 'true');
  const path = document.createElementNS(ns, 'path');
  path.setAttribute('d', SEARCH_ICON);
  path.setAttribute('fill', 'currentColor');
  svg.append(path);
  return svg;
}

const fill = (template, values) => String(template).replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));

const ENTITIES = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0' };
function decodeEntities(text) {
  return text.replace(/&(?:#(\d{1,7})|#x([0-9a-f]{1,6})|([a-z]+));/gi, (m, dec, hex, name) => {
    if (name) return ENTITIES[name.toLowerCase()] ?? m;
    const cp = dec ? parseInt(dec, 10) : parseInt(hex, 16);
    return cp > 0 && cp <= 0x10ffff && (cp < 0xd800 || cp > 0xdfff) ? String.fromCodePoint(cp) : '\ufffd';
  });
}

/**
 * The engine's excerpt is escaped text with <mark>…</mark> around hits. It is not parsed as HTML: the
 * string is split on the two literal tags, and everything else is decoded and inserted as text, so
 * no other tag can ever reach the page.
 */
export function excerptFragment(html) {
  const fragment = document.createDocumentFragment();
  let mark = null;
  for (const piece of String(html ?? '').split(/(<mark>|<\/mark>)/)) {
    if (piece === '<mark>') {
      if (!mark) fragment.append((mark = h('mark', { part: 'mark' })));
    } else if (piece === '</mark>') {
      mark = null;
    } else if (piece) {
      (mark ?? fragment).append(decodeEntities(piece));
    }
  }
  return fragment;
}

/** Only links a visitor can safely follow: relative, http(s). */
function safeHref(url) {
  try {
    const parsed = new URL(String(url), document.baseURI);
    return parsed.protocol === 'http:' || parsed.protocol === 'https:' ? parsed.href : null;
  } catch {
    return null;
  }
}

function formatDate(iso, template) {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(iso ?? ''));
  if (!m) return '';
  return fill(template, { y: m[1], m: +m[2], d: +m[3], mm: m[2], dd: m[3] });
}

const pad = (n) => String(n).padStart(2, '0');

/** `value` if it is a real calendar day written YYYY-MM-DD (what the engine's from/to take), else ''. */
function validDay(value) {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value ?? '').trim());
  const day = m && new Date(Date.UTC(2000, m[2] - 1, m[3])); // (a leap year: 02-29 is a day)
  return m && day.getUTCMonth() === m[2] - 1 && day.getUTCDate() === +m[3] ? m[0] : '';
}

/** The first day of a preset's range, in the visitor's time zone ('' for anyDate). */
function presetDay(key) {
  if (!PRESETS[key]) return '';
  const day = new Date();
  day.setDate(day.getDate() - PRESETS[key]);
  return `${day.getFullYear()}-${pad(day.getMonth() + 1)}-${pad(day.getDate())}`;
}

const isEditable = (el) =>
  el instanceof HTMLElement &&
  (el.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(el.tagName) || el.closest?.('[contenteditable=""],[contenteditable=true]'));

export class JiansuoSearchElement extends HTMLElement {
  static observedAttributes = ['placeholder', 'strings', 'lang', 'sort', 'page-size', 'mode', 'bundle', 'facets'];

  #root;
  #ui = null; // elements, built on connect
  #strings = null; // property override
  #searchOptions = {};
  #index = null; // Promise of the opened index
  #search = null; // superseding search function
  #complete = null; // superseding completion function
  #timer = 0;
  #loadingTimer = 0;
  #runs = 0; // the latest run: an answer for an earlier one (a query since cleared or replaced) is dropped
  #composing = false;
  #query = ''; // the query shown in the list
  #results = [];
  #total = 0;
  #active = -1;
  #pushNext = true; // the next URL change starts a new history entry
  #sort = null;
  #filters = { categories: new Set(), tags: new Set(), from: '', to: '' }; // chosen facet values, date range
  #panel = false; // the filter panel is open (only then are facet counts asked for)
  #facetRun = 0; // the latest facet request: older answers are dropped
  #id = ++uid;
  #abort = null; // removes document-level listeners

  constructor() {
    super();
    this.#root = this.attachShadow({ mode: 'open', delegatesFocus: true });
    if (!sheet && 'adoptedStyleSheets' in Document.prototype && typeof CSSStyleSheet.prototype.replaceSync === 'function') {
      sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
    }
    if (sheet) this.#root.adoptedStyleSheets = [sheet];
    else this.#root.append(h('style', {}, STYLE));
  }

  // ---- public API ---------------------------------------------------------------------------------

  /** UI text: the built-in table for `lang`, then the `strings` attribute (JSON), then this property. */
  get strings() {
    let fromAttribute = {};
    try {
      fromAttribute = JSON.parse(this.getAttribute('strings') || '{}');
    } catch {
      /* ignore malformed JSON */
    }
    return { ...STRINGS[this.#language], ...fromAttribute, ...this.#strings };
  }
  set strings(value) {
    this.#strings = value ? { ...value } : null;
    this.#relabel();
    this.#rerun(); // the status line and the results' dates in the new words
  }

  /** Extra options passed to every engine search (the panel's own filters, when chosen, win). */
  get searchOptions() {
    return this.#searchOptions;
  }
  set searchOptions(value) {
    this.#searchOptions = value ? { ...value } : {};
    this.#rerun();
  }

  get query() {
    return this.#ui?.input.value.trim() ?? '';
  }

  get mode() {
    return this.getAttribute('mode') === 'modal' ? 'modal' : 'inline';
  }

  get pageSize() {
    const n = parseInt(this.getAttribute('page-size') ?? '', 10);
    return n > 0 ? Math.min(n, MAX_PAGE_SIZE) : 10;
  }

  /** What the filter panel offers: from the `facets` attribute ('categories', 'tags', 'dates'). */
  get facets() {
    const value = this.getAttribute('facets');
    if (value === null) return [];
    if (value.trim() === '') return ['categories', 'dates'];
    return ['categories', 'tags', 'dates'].filter((k) => value.split(/[\s,]+/).includes(k));
  }

  get sort() {
    return this.#sort ?? (this.getAttribute('sort') === 'date' ? 'date' : 'relevance');
  }

  /** The bundle folder: the `bundle` attribute, or the folder this script was loaded from. */
  get bundle() {
    const attr = this.getAttribute('bundle');
    // Not `new URL('./', import.meta.url)`: bundlers take that form for an asset to emit, and Vite warns that the
    // folder does not exist at build time (a bundled app gives `bundle` anyway).
    return attr ? new URL(attr, document.baseURI).href : new URL('./', new URL(import.meta.url)).href;
  }

  /** Runs a search now (and shows it), e.g. from a host page's own controls. */
  search(query = this.query) {
    this.#build();
    const text = String(query ?? '');
    this.#ui.input.value = text;
    this.#syncClear();
    return this.#run(text.trim(), { history: true });
  }

  /** Modal mode: opens the search dialog. */
  open() {
    this.#build();
    const { dialog, input } = this.#ui;
    if (dialog && !dialog.open) {
      dialog.showModal();
      input.select();
    }
    input.focus();
    this.#prepare();
  }

  close() {
    this.#ui?.dialog?.open && this.#ui.dialog.close();
  }

  // ---- lifecycle ----------------------------------------------------------------------------------

  connectedCallback() {
    this.#build();
    const abort = (this.#abort = new AbortController());
    const on = (target, type, fn) => target.addEventListener(type, fn, { signal: abort.signal });
    if (this.#param) {
      on(window, 'popstate', () => this.#fromUrl(false));
      this.#fromUrl(true);
    }
    if (this.mode === 'modal') on(document, 'keydown', (e) => this.#hotkey(e));
  }

  disconnectedCallback() {
    this.#abort?.abort();
    clearTimeout(this.#timer);
  }

  attributeChangedCallback(name, old, value) {
    if (!this.#ui || old === value) return;
    if (name === 'mode' || name === 'bundle') {
      // Rebuild from scratch: different structure or different index.
      this.#ui = null;
      this.#index = null;
      this.#root.replaceChildren(...this.#root.querySelectorAll('style'));
      this.#build();
      if (this.isConnected) {
        this.disconnectedCallback();
        this.connectedCallback();
      }
      return;
    }
    if (name === 'sort') this.#sort = null;
    this.#relabel();
    const reshown = ['sort', 'page-size', 'facets', 'lang', 'strings'];
    if (reshown.includes(name)) this.#rerun();
  }

  /** The built-in UI text's language: 'en' for any English `lang`, else 'zh'. */
  get #language() {
    return (this.getAttribute('lang') || 'zh').toLowerCase().startsWith('en') ? 'en' : 'zh';
  }

  get #param() {
    return this.getAttribute('param') ?? 'q';
  }

  // ---- building -----------------------------------------------------------------------------------

  #build() {
    if (this.#ui) return;
    const s = this.strings;
    const listId = `jiansuo-${this.#id}-list`;
    const statusId = `jiansuo-${this.#id}-status`;
    const input = h('input', {
      part: 'input',
      type: 'search',
      role: 'combobox',
      'aria-autocomplete': 'list',
      'aria-expanded': 'false',
      'aria-controls': listId,
      'aria-describedby': statusId,
      autocomplete: 'off',
      autocapitalize: 'off',
      spellcheck: 'false',
      enterkeyhint: 'search',
      maxlength: '1000', // the engine's limit (query::MAX_QUERY_CHARS)
    });
    const clear = h('button', { part: 'clear', class: 'clear', type: 'button' }, '✕');
    const form = h('form', { part: 'form', class: 'form', role: 'search' }, icon(), input, clear);
    const status = h('p', { part: 'status', class: 'status', id: statusId, role: 'status', 'aria-live': 'polite' });
    const relevance = h('button', { type: 'button', 'data-sort': 'relevance' });
    const newest = h('button', { type: 'button', 'data-sort': 'date' });
    const sort = h('div', { part: 'sort', class: 'sort', role: 'group', hidden: true }, relevance, newest);
    const facetsId = `jiansuo-${this.#id}-facets`;
    const toggle = h(
      'button',
      { part: 'filter-toggle', class: 'toggle', type: 'button', 'aria-expanded': 'false', 'aria-controls': facetsId, hidden: true },
      h('span'),
      h('span', { class: 'count', hidden: true }),
    );
    const bar = h('div', { part: 'toolbar', class: 'bar' }, status, toggle, sort);
    const list = h('div', { part: 'results', class: 'list', id: listId, role: 'listbox', hidden: true });
    const more = h('button', { part: 'more', class: 'more', type: 'button', hidden: true });
    // The filter panel (facets attribute): the date range, then the chips of the facet counts, which are
    // asked for only while it is open. Host pages can put their own controls in the 'filters' slot.
    const presets = Object.keys(PRESETS).map((key) => h('button', { type: 'button', part: 'date-preset', class: 'chip', 'data-preset': key }));
    const from = h('input', { part: 'date-input date-from', type: 'date' });
    const to = h('input', { part: 'date-input date-to', type: 'date' });
    const range = h('span', { class: 'range' }, h('label', {}, h('span'), from), h('label', {}, h('span'), to));
    const dates = h(
      'div',
      { part: 'facet dates', class: 'facet dates', role: 'group' },
      h('span', { class: 'facet-label', 'aria-hidden': 'true' }),
      h('span', { class: 'presets' }, ...presets),
      range,
    );
    const groups = h('div', { class: 'groups' });
    const reset = h('button', { type: 'button', part: 'facet-reset', class: 'chip reset', hidden: true });
    const facets = h('div', { part: 'facets', class: 'facets', id: facetsId, role: 'group', hidden: true }, dates, groups, reset);
    const filters = h('slot', { name: 'filters' });
    const scroll = h('div', { class: 'scroll', part: 'scroll' }, bar, facets, filters, list, more);
    const panel = h('div', { part: 'panel', class: 'panel' }, form, scroll);
    const ui = { input, clear, form, status, sort, relevance, newest, toggle, facets, dates, presets, from, to, groups, reset, list, more, panel, dialog: null, trigger: null };

    if (this.mode === 'modal') {
      const close = h('button', { part: 'close', class: 'close', type: 'button' }, h('kbd', { class: 'wide' }, 'Esc'), h('span', { class: 'narrow' }));
      form.append(close);
      const dialog = h('dialog', { part: 'dialog' }, panel);
      const trigger = h(
        'button',
        { part: 'trigger', class: 'trigger', type: 'button', 'aria-haspopup': 'dialog' },
        icon(),
        h('span'),
        h('kbd', { 'aria-hidden': 'true' }),
      );
      trigger.addEventListener('click', () => this.open());
      close.addEventListener('click', () => this.close());
      dialog.addEventListener('click', (e) => e.target === dialog && this.close()); // backdrop
      Object.assign(ui, { dialog, trigger, closeButton: close });
      this.#root.append(trigger, dialog);
    } else {
      this.#root.append(panel);
    }
    this.#ui = ui;
    this.#relabel();
    this.#syncClear();
    this.#syncFilters();

    input.addEventListener('focus', () => this.#prepare());
    this.addEventListener('pointerenter', () => this.#prepare(), { once: true });
    input.addEventListener('compositionstart', () => {
      this.#composing = true;
      clearTimeout(this.#timer);
    });
    input.addEventListener('compositionend', () => {
      this.#composing = false;
      this.#schedule();
    });
    input.addEventListener('input', (e) => {
      this.#syncClear();
      if (this.#composing || e.isComposing) return; // wait for the IME to commit
      this.#schedule();
    });
    input.addEventListener('keydown', (e) => this.#keydown(e));
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      this.#flush(true);
    });
    clear.addEventListener('click', () => {
      input.value = '';
      this.#syncClear();
      this.#run('', { history: true });
      input.focus();
    });
    sort.addEventListener('click', (e) => {
      const value = e.target.closest?.('button')?.dataset.sort;
      if (!value || value === this.sort) return;
      this.#sort = value;
      this.#relabel();
      this.#rerun();
    });
    more.addEventListener('click', () => this.#loadMore());
    // A completion (an option at the top of the listbox) searches for its query, from a click or Enter.
    list.addEventListener('click', (e) => {
      const option = e.target.closest?.('[part=suggestion]');
      if (!option) return;
      input.value = option.dataset.query;
      this.#syncClear();
      input.focus();
      this.#setActive(-1, false);
      this.#run(input.value.trim(), { history: true, commit: true });
    });
    toggle.addEventListener('click', () => {
      this.#openPanel(!this.#panel);
      if (this.#panel) this.#loadFacets();
    });
    facets.addEventListener('click', (e) => {
      const chip = e.target.closest?.('button');
      if (!chip) return;
      const { kind, value, preset } = chip.dataset;
      const filters = this.#filters;
      if (kind) {
        filters[kind].has(value) ? filters[kind].delete(value) : filters[kind].add(value);
      } else if (preset) {
        filters.from = presetDay(preset);
        filters.to = '';
      } else {
        filters.categories.clear();
        filters.tags.clear();
        filters.from = filters.to = '';
      }
      this.#pushNext = true; // each choice is a step that Back undoes
      this.#run(this.query, { history: true, commit: true });
      if (!kind && !preset) (toggle.hidden ? input : toggle).focus(); // the reset button is gone
    });
    // A native date field reports a value once it is a whole valid day (and '' once emptied). The first
    // change after a field got the focus is a new history entry, the next ones refine it; whatever comes
    // after the field lost the focus is a new entry again.
    for (const type of ['focusin', 'focusout']) range.addEventListener(type, () => (this.#pushNext = true));
    range.addEventListener('change', () => {
      this.#filters.from = validDay(from.value);
      this.#filters.to = validDay(to.value);
      this.#run(this.query, { history: true });
    });
    list.addEventListener('pointermove', (e) => {
      const li = e.target.closest?.('[role=option]');
      if (li) this.#setActive([...this.#options()].indexOf(li), false);
    });
  }

  #relabel() {
    const ui = this.#ui;
    if (!ui) return;
    const s = this.strings;
    ui.input.placeholder = this.getAttribute('placeholder') ?? s.placeholder;
    ui.input.setAttribute('aria-label', s.label);
    // The search landmark has a name, like the other regions of the widget.
    ui.input.closest('form').setAttribute('aria-label', s.label);
    ui.clear.setAttribute('aria-label', s.clear);
    ui.clear.title = s.clear;
    ui.list.setAttribute('aria-label', s.results);
    ui.sort.setAttribute('aria-label', s.sort);
    ui.relevance.textContent = s.relevance;
    ui.newest.textContent = s.newest;
    ui.relevance.setAttribute('aria-pressed', String(this.sort === 'relevance'));
    ui.newest.setAttribute('aria-pressed', String(this.sort === 'date'));
    ui.more.textContent = s.more;
    ui.toggle.firstChild.textContent = s.filters;
    ui.facets.setAttribute('aria-label', s.filters);
    ui.dates.setAttribute('aria-label', s.dates);
    ui.dates.firstChild.textContent = s.dates;
    ui.dates.hidden = !this.facets.includes('dates');
    for (const button of ui.presets) button.textContent = s[button.dataset.preset];
    const [fromLabel, toLabel] = ui.dates.querySelectorAll('label > span');
    fromLabel.textContent = s.dateFrom;
    toLabel.textContent = s.dateTo;
    ui.reset.textContent = s.clearFilters;
    if (ui.trigger) {
      ui.trigger.querySelector('span').textContent = s.trigger;
      ui.trigger.querySelector('kbd').textContent = s.hintKey;
      ui.trigger.setAttribute('aria-label', s.trigger);
      ui.trigger.setAttribute('aria-keyshortcuts', '/ Control+K Meta+K');
      ui.dialog.setAttribute('aria-label', s.label);
      ui.closeButton.querySelector('.narrow').textContent = s.close;
    }
  }

  #syncClear() {
    // Hidden but still taking its room, so that the input does not change width as one types.
    const empty = this.#ui.input.value === '';
    this.#ui.clear.classList.toggle('invisible', empty);
    this.#ui.clear.tabIndex = empty ? -1 : 0;
  }

  // ---- index and searching ------------------------------------------------------------------------

  /** Starts loading the index (on first focus or hover), so the first search is quick. */
  #prepare() {
    if (!this.#index) {
      const bundle = this.bundle;
      const worker = !this.hasAttribute('no-worker');
      const key = `${worker}|${bundle}`;
      let opening = indexes.get(key);
      if (!opening) {
        opening = openIndex(bundle, { worker });
        indexes.set(key, opening);
        // Let a later attempt retry after a transient failure, or a manifest missing while the site is published
        // (or answered by the host's fallback page, which does not inflate).
        opening.catch((e) => ['network', 'missing', 'damaged'].includes(e?.code) && indexes.get(key) === opening && indexes.delete(key));
      }
      this.#index = opening;
      this.#search = null;
      this.#complete = null;
      opening.catch(() => {
        if (this.#index === opening) this.#index = null;
      });
    }
    return this.#index;
  }

  #schedule() {
    clearTimeout(this.#timer);
    this.#timer = setTimeout(() => this.#flush(false), DEBOUNCE_MS);
  }

  #flush(commit) {
    clearTimeout(this.#timer);
    const query = this.query;
    if (commit || query !== this.#query || !this.#results.length) this.#run(query, { history: true, commit });
  }

  async #run(query, { history = false, commit = false, offset = 0 } = {}) {
    const ui = this.#ui;
    const append = offset > 0;
    const run = ++this.#runs;
    if (history) this.#writeUrl(query, commit);
    this.#syncFilters();
    if (!query && !this.#filtered) {
      clearTimeout(this.#loadingTimer);
      this.#query = '';
      this.#show([], 0, false);
      this.#showFilters(false);
      this.#showFacets(null);
      this.#showSuggestions(null);
      this.#status('');
      return;
    }
    ui.list.setAttribute('aria-busy', 'true');
    clearTimeout(this.#loadingTimer);
    if (!this.#results.length || this.#query !== query) {
      this.#loadingTimer = setTimeout(() => this.#status(this.strings.loading), LOADING_DELAY_MS);
    }
    // aria-disabled, not disabled: a disabled button loses the keyboard focus.
    if (append) ui.more.setAttribute('aria-disabled', 'true');
    const options = { ...this.#searchOptions, ...this.#filterOptions(), limit: this.pageSize, offset, sort: this.sort };
    if (this.#panel && this.#counted && !append) {
      options.facets = true;
      this.#facetRun++; // this answer's counts supersede those of a facet request under way
    }
    let opened = false;
    try {
      const index = await this.#prepare();
      opened = true;
      this.#search ??= index.searcher();
      const suggestions = append ? null : this.#suggestions(index, query);
      const page = await this.#search(query, options);
      const chips = await suggestions; // shown with the results, so that nothing moves twice
      if (run !== this.#runs) return;
      clearTimeout(this.#loadingTimer);
      const results = Array.isArray(page?.results) ? page.results : [];
      const total = Number(page?.total) || 0;
      this.#query = query;
      this.#show(append ? this.#results.concat(results) : results, total, append);
      if (!append) {
        this.#showFilters(this.facets.length > 0 && (total > 0 || this.#filtered));
        if (options.facets) this.#showFacets(page?.facets);
        // The engine's "did you mean" (pinyin initials, …) first, then completions of the typed keyword.
        const offered = Array.isArray(page?.alternatives) ? page.alternatives : [];
        this.#showSuggestions([...offered, ...chips.filter((c) => !offered.some((a) => a.query === c.query))]);
      }
      const s = this.strings;
      const n = total.toLocaleString();
      this.#status(
        (total === 0
          ? fill(query ? s.none : s.noneFiltered, { q: query })
          : append
            ? fill(s.shown, { shown: this.#results.length.toLocaleString(), n })
            : fill(s.total, { n })) + (page?.rewrite?.query ? fill(s.rewritten, { q: page.rewrite.query }) : ''),
        this.#filtered ? s.filtered : '',
      );
      this.#emit('jiansuo-results', { query, options, page, append });
    } catch (error) {
      // Superseded by a newer query (its answer will come), or the box was cleared meanwhile.
      if (error?.code === 'aborted' || run !== this.#runs) return;
      clearTimeout(this.#loadingTimer);
      this.#query = query;
      this.#show([], 0, false);
      this.#showFilters(this.#filtered); // the filters that led here can still be changed
      this.#showSuggestions(null);
      this.#error(error, opened);
      this.#emit('jiansuo-error', { query, error });
    } finally {
      if (append) ui.more.removeAttribute('aria-disabled');
    }
  }

  get #filtered() {
    const f = this.#filters;
    return f.categories.size + f.tags.size > 0 || !!f.from || !!f.to;
  }

  /** The panel shows counts (categories or tags), not only the date range. */
  get #counted() {
    return this.facets.some((kind) => kind !== 'dates');
  }

  /** The engine options of the chosen filters. */
  #filterOptions() {
    const { categories, tags, from, to } = this.#filters;
    const options = {};
    if (categories.size) options.categories = [...categories];
    if (tags.size) options.tags = [...tags];
    if (from) options.from = from;
    if (to) options.to = to;
    return options;
  }

  /** Searches again for what is shown, after an option changed. */
  #rerun() {
    if (this.#ui && (this.query || this.#filtered)) this.#run(this.query, { history: false });
  }

  /** The panel's button is shown with a search (or its error); the panel too when it was opened. */
  #showFilters(visible) {
    const { toggle, facets } = this.#ui;
    toggle.hidden = !visible;
    facets.hidden = !visible || !this.#panel;
  }

  #openPanel(open) {
    this.#panel = open;
    this.#ui.toggle.setAttribute('aria-expanded', String(open));
    this.#showFilters(true);
  }

  /** The counts for what is shown, without searching again: a page of no results with facets. */
  async #loadFacets() {
    this.#showFacets(null); // the chosen values at once; the counts when they come
    const query = this.#query;
    if (!this.#counted || !(query || this.#filtered) || this.#ui.status.getAttribute('role') === 'alert') return;
    const run = ++this.#facetRun;
    try {
      const index = await this.#prepare();
      const page = await index.search(query, { ...this.#searchOptions, ...this.#filterOptions(), limit: 0, facets: true });
      if (run === this.#facetRun && this.#panel) this.#showFacets(page?.facets);
    } catch {
      /* the counts are a nicety; a failing index shows its error with the next search */
    }
  }

  /** Shows the chosen filters in the panel's controls and on its button. */
  #syncFilters() {
    const { toggle, from, to, presets, reset } = this.#ui;
    const f = this.#filters;
    // (Only when it differs: setting a field also clears the half-typed day of a field.)
    if (from.value !== f.from) from.value = f.from;
    if (to.value !== f.to) to.value = f.to;
    from.max = f.to;
    to.min = f.from;
    for (const button of presets) {
      const key = button.dataset.preset;
      button.setAttribute('aria-pressed', String(!f.to && f.from === presetDay(key)));
    }
    const count = f.categories.size + f.tags.size + (f.from || f.to ? 1 : 0);
    toggle.lastChild.textContent = count ? String(count) : '';
    toggle.lastChild.hidden = count === 0;
    reset.hidden = count === 0;
  }

  /** The facet chips: the engine's counts (most frequent first), plus any chosen value it did not list. */
  #showFacets(facets) {
    const { groups: box, toggle } = this.#ui;
    const s = this.strings;
    const focused = this.#root.activeElement;
    const refocus = box.contains(focused) && focused.dataset;
    const groups = [];
    for (const kind of this.facets) {
      if (kind === 'dates') continue;
      const chosen = this.#filters[kind];
      const counts = (Array.isArray(facets?.[kind]) ? facets[kind] : []).slice(0, FACET_CHIPS);
      for (const value of chosen) {
        if (!counts.some((c) => c.value === value)) counts.push({ value, count: facets ? 0 : '' });
      }
      if (!counts.length) continue;
      const chips = counts.map(({ value, count }) =>
        h(
          'button',
          { type: 'button', part: 'facet-chip', class: 'chip', 'data-kind': kind, 'data-value': String(value), 'aria-pressed': String(chosen.has(value)) },
          String(value),
          h('span', { class: 'count' }, String(count)),
        ),
      );
      groups.push(h('div', { part: 'facet', class: 'facet', role: 'group', 'aria-label': s[kind] }, h('span', { class: 'facet-label', 'aria-hidden': 'true' }, s[kind]), ...chips));
    }
    box.replaceChildren(...groups);
    // A chip chosen from the keyboard keeps the focus across the new chips.
    if (refocus) {
      const chip = [...box.querySelectorAll('button')].find((b) => b.dataset.kind === refocus.kind && b.dataset.value === refocus.value);
      (chip ?? toggle).focus();
    }
  }

  /** Completions of the keyword being typed (completions attribute); [] when there are none or on failure. */
  async #suggestions(index, query) {
    if (!this.hasAttribute('completions') || !query || typeof index.completer !== 'function') return [];
    this.#complete ??= index.completer();
    try {
      const list = await this.#complete(query, { limit: SUGGESTIONS });
      return (Array.isArray(list) ? list : []).filter((c) => c?.query);
    } catch {
      return []; // a nicety: never an error of its own
    }
  }

  /** The completions (and the engine's alternatives): options of the listbox, above the results. */
  #showSuggestions(list) {
    const { list: box } = this.#ui;
    const s = this.strings;
    const active = this.#options()[this.#active];
    for (const old of box.querySelectorAll('[part=suggestion]')) old.remove();
    const options = (list ?? []).slice(0, SUGGESTIONS).map((c, i) => {
      const count = c.count == null || c.count === '' ? [] : [h('span', { class: 'count' }, String(c.count))];
      return h(
        'div',
        { part: 'suggestion', class: 'suggestion', id: `jiansuo-${this.#id}-s${i}`, role: 'option', 'aria-selected': 'false', 'data-query': String(c.query) },
        icon(),
        h('span', { class: 'sr-only' }, `${s.label} `),
        h('span', { class: 'text' }, String(c.text ?? c.query)),
        ...count,
      );
    });
    box.prepend(...options);
    // The active result stays active; an active completion that is gone leaves none.
    this.#active = -1;
    this.#setActive(active?.isConnected ? [...this.#options()].indexOf(active) : -1, false);
    this.#syncOpen();
  }

  /** The listbox is shown (and the combobox expanded) while it has options: completions or results. */
  #syncOpen() {
    const { list, input } = this.#ui;
    const open = this.#options().length > 0;
    list.hidden = !open;
    input.setAttribute('aria-expanded', String(open));
  }

  #emit(type, detail) {
    this.dispatchEvent(new CustomEvent(type, { detail, bubbles: true, composed: true }));
  }

  #loadMore() {
    if (this.#ui.more.getAttribute('aria-disabled') === 'true') return; // the next page is on its way
    if (this.#results.length < this.#total) {
      this.#run(this.#query, { offset: this.#results.length });
    }
  }

  // ---- rendering ----------------------------------------------------------------------------------

  /** The status line; `note` ("filtered") is left to screen readers on a phone, where the button shows it. */
  #status(text, note = '') {
    const { status } = this.#ui;
    status.classList.remove('error');
    status.setAttribute('role', 'status');
    status.replaceChildren(text, ...(note ? [h('span', { class: 'note' }, note)] : []));
  }

  /** `opened`: the index had opened, so that a manifest of another format version is a new publication's. */
  #error(error, opened) {
    const s = this.strings;
    const code = error?.code;
    const { status } = this.#ui;
    status.classList.add('error');
    status.setAttribute('role', 'alert');
    if (code === 'bad-query') {
      // The reader's input, not an outage: no "unavailable" and no debugging detail.
      status.replaceChildren(s.badQuery);
      return;
    }
    const known = { missing: s.missing, network: s.network, damaged: s.damaged, unsupported: s.unsupported };
    // Another file missing than the manifest: an index file (t/…, d/…: in a folder) is a half-published or stale
    // bundle, not a missing one; the engine is the page's assets' fault, not the index's: the general message.
    const file = error?.file ?? '';
    const partlyMissing = code === 'missing' && file !== 'manifest.bin';
    const message = partlyMissing
      ? file.includes('/') ? s.incomplete : s.failed
      : opened && error?.detail === 'version-mismatch'
        ? s.updated
        : (known[code] ?? s.failed);
    const detail = [code, error?.file, error?.detail === code ? null : error?.detail]
      .filter((x) => x != null && x !== '')
      .join(' · ');
    const colon = this.#language === 'en' ? ': ' : '：';
    status.replaceChildren(`${s.error}${colon}${message}`, h('small', { part: 'error-detail' }, detail));
  }

  #show(results, total, append) {
    const { list, more, sort } = this.#ui;
    const start = append ? this.#results.length : 0;
    this.#results = results;
    this.#total = total;
    list.removeAttribute('aria-busy');
    if (!append) {
      this.#setActive(-1, false);
      for (const old of list.querySelectorAll('[part=result]')) old.remove(); // the completions stay until replaced
    }
    const s = this.strings;
    const items = [];
    for (let i = start; i < results.length; i++) items.push(this.#item(results[i], i, s));
    list.append(...items);
    this.#syncOpen();
    sort.hidden = total === 0;
    const moreHadFocus = append && this.#root.activeElement === more;
    more.hidden = results.length >= total;
    if (moreHadFocus && more.hidden) {
      // The button the reader pressed is gone with the last page: back to the box, on the first result it brought.
      this.#ui.input.focus();
      this.#setActive([...this.#options()].findIndex((option) => option.dataset.index === String(start)));
    }
  }

  #item(result, index, s) {
    const id = `jiansuo-${this.#id}-r${index}`;
    const href = safeHref(result?.url);
    const title = h('span', { part: 'result-title', class: 'title' }, String(result?.title || result?.url || ''));
    const meta = h('span', { part: 'result-meta', class: 'meta' });
    const date = formatDate(result?.date, s.date);
    if (date) meta.append(h('time', { datetime: String(result.date) }, date));
    for (const category of Array.isArray(result?.categories) ? result.categories : []) {
      meta.append(h('span', { part: 'result-category', class: 'category' }, String(category)));
    }
    const duplicates = Number(result?.duplicates) || 0;
    if (duplicates > 0) meta.append(h('span', { part: 'result-duplicates' }, fill(s.duplicates, { n: duplicates })));
    const excerpt = h('span', { part: 'result-excerpt', class: 'excerpt' }, excerptFragment(result?.excerpt));
    // The option is the link itself (role=option is allowed on <a href>): the whole row opens the post,
    // with the browser's own middle-click, Ctrl-click and link preview, and no control nested in an option.
    return h(
      'a',
      {
        part: 'result',
        class: 'result',
        id,
        role: 'option',
        href,
        tabindex: '-1',
        'aria-selected': 'false',
        'data-index': String(index),
      },
      title,
      meta,
      excerpt,
    );
  }

  #options() {
    return this.#ui.list.querySelectorAll('[role=option]');
  }

  #setActive(index, scroll = true) {
    const { input } = this.#ui;
    const options = this.#options();
    for (const option of options) if (option.getAttribute('aria-selected') === 'true') option.setAttribute('aria-selected', 'false');
    this.#active = index >= 0 && index < options.length ? index : -1;
    const current = options[this.#active];
    if (current) {
      current.setAttribute('aria-selected', 'true');
      input.setAttribute('aria-activedescendant', current.id);
      if (scroll) current.scrollIntoView({ block: 'nearest' });
    } else {
      input.removeAttribute('aria-activedescendant');
    }
  }

  // ---- keyboard -----------------------------------------------------------------------------------

  #keydown(e) {
    if (e.isComposing || e.keyCode === 229) return; // keys that belong to the IME
    const count = this.#options().length;
    switch (e.key) {
      case 'ArrowDown':
        if (!count) return;
        e.preventDefault();
        if (this.#active === count - 1 && this.#results.length < this.#total) {
          this.#loadMore();
        } else {
          this.#setActive(Math.min(this.#active + 1, count - 1));
        }
        break;
      case 'ArrowUp':
        if (!count) return;
        e.preventDefault();
        this.#setActive(this.#active - 1);
        break;
      case 'Enter':
        if (this.#active >= 0) {
          e.preventDefault();
          const option = this.#options()[this.#active];
          if (option?.dataset.query != null) {
            option.click(); // a completion: searches for it
            break;
          }
          this.#pushNext = true; // leaving through a result: keep this search in history
          if (option?.href && (e.ctrlKey || e.metaKey)) window.open(option.href, '_blank', 'noopener');
          else option?.click();
        }
        break;
      case 'Escape':
        if (this.#active >= 0) {
          // Leaves the list and closes the completions (the results stay).
          e.preventDefault();
          this.#setActive(-1);
          this.#showSuggestions(null);
        } else if (this.#ui.dialog?.open) {
          e.preventDefault(); // (a search input would otherwise take Esc to clear itself)
          this.close();
        } else if (this.#ui.input.value) {
          e.preventDefault();
          this.#ui.input.value = '';
          this.#syncClear();
          this.#run('', { history: true });
        }
        break;
      case 'Tab':
        this.#setActive(-1, false);
        break;
    }
  }

  #hotkey(e) {
    if (e.defaultPrevented || e.isComposing) return;
    const k = e.key?.toLowerCase();
    const slash = e.key === '/' && !e.ctrlKey && !e.metaKey && !e.altKey && !isEditable(e.composedPath?.()[0] ?? e.target);
    const commandK = k === 'k' && (e.ctrlKey || e.metaKey) && !e.altKey && !e.shiftKey;
    if (slash || commandK) {
      e.preventDefault();
      this.open();
    }
  }

  // ---- URL state ----------------------------------------------------------------------------------

  #fromUrl(initial) {
    const param = this.#param;
    if (!param) return;
    const params = new URL(location.href).searchParams;
    const query = params.get(param) ?? '';
    for (const kind of ['categories', 'tags']) {
      this.#filters[kind] = new Set(this.facets.includes(kind) ? params.getAll(FILTER_PARAMS[kind]) : []);
    }
    const dates = this.facets.includes('dates');
    this.#filters.from = dates ? validDay(params.get('from')) : '';
    this.#filters.to = dates ? validDay(params.get('to')) : '';
    this.#pushNext = true;
    // A shared link's filters are shown, in the panel opened for them (its search brings the counts).
    if (this.#filtered) this.#openPanel(true);
    if (!initial || query || this.#filtered) {
      this.#ui.input.value = query;
      this.#syncClear();
      if (query && this.mode === 'modal' && initial) this.open();
      else if (!query && this.#ui.dialog?.open) this.close();
      this.#run(query.trim(), { history: false });
    }
  }

  #writeUrl(query, commit) {
    const param = this.#param;
    if (!param) return;
    const url = new URL(location.href);
    const before = url.search;
    if (query) url.searchParams.set(param, query);
    else url.searchParams.delete(param);
    for (const kind of ['categories', 'tags']) {
      url.searchParams.delete(FILTER_PARAMS[kind]);
      for (const value of this.#filters[kind]) url.searchParams.append(FILTER_PARAMS[kind], value);
    }
    for (const edge of ['from', 'to']) {
      if (this.#filters[edge]) url.searchParams.set(edge, this.#filters[edge]);
      else url.searchParams.delete(edge);
    }
    if (url.search === before) {
      if (commit) this.#pushNext = true;
      return;
    }
    // One history entry per search session: the first change pushes, the refinements replace it.
    if (this.#pushNext) history.pushState(history.state, '', url);
    else history.replaceState(history.state, '', url);
    this.#pushNext = commit;
  }
}

if (!customElements.get('jiansuo-search')) customElements.define('jiansuo-search', JiansuoSearchElement);
