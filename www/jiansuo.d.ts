// Type declarations for jiansuo's JavaScript API (dist/jiansuo.js).

/** Why the engine searched for something other than what was typed. */
export type RewriteKind = 'segmented' | 'pinyin' | 'typo';

/** How results are ordered. */
export type SortOrder = 'relevance' | 'date';

export interface SearchOptions {
  /** Results per page (default 10); 0 answers only the total (and the facets, with `facets: true`). */
  limit?: number;
  /** Results to skip, for the next pages (default 0). */
  offset?: number;
  /** 'relevance' (default) or 'date' (newest first). */
  sort?: SortOrder;
  /** Only posts in any of these categories. */
  categories?: string[];
  /** Only posts with any of these tags. */
  tags?: string[];
  /** Only posts published on or after this day, 'YYYY-MM-DD' (the post's own calendar day). */
  from?: string;
  /** Only posts published on or before this day, 'YYYY-MM-DD'. */
  to?: string;
  /** Count the results per category and tag (SearchPage.facets). */
  facets?: boolean;
  /** List every post of a story several feeds carried, instead of one with `duplicates` set (default false). */
  showDuplicates?: boolean;
  /** Search only what was typed: no pinyin, typo or segmentation fallback when it finds little (default false). */
  exact?: boolean;
  /** Aborts the search; it then rejects with a JiansuoError of code 'aborted'. */
  signal?: AbortSignal;
}

export interface FacetCount {
  value: string;
  count: number;
}

/** Per value, the results a search with that value chosen shows (a story told by several posts counted once,
 *  unless `showDuplicates`), most first. A dimension's own filter is ignored in its counts. */
export interface Facets {
  categories: FacetCount[];
  tags: FacetCount[];
}

export interface SearchResult {
  /** The post's URL as the site publishes it (usually a path such as '/2024/09/01/faw.html'). */
  url: string;
  title: string;
  /** ISO 8601 with the post's offset, e.g. '2024-09-01T09:30:00+08:00'. */
  date: string;
  categories: string[];
  tags: string[];
  score: number;
  /** HTML: escaped text with <mark>…</mark> around the hits. Insert nothing else from it. */
  excerpt: string;
  /** Other matching posts that tell the same story, folded into this one (absent when none). */
  duplicates?: number;
  [field: string]: unknown;
}

export interface SearchPage {
  /** How many posts match in all (not only on this page). */
  total: number;
  results: SearchResult[];
  /** Present when `options.facets` is true. */
  facets?: Facets;
  /** Present when the results are for another query than typed: its words split ('segmented'), the word its pinyin reads as ('pinyin'), a close spelling ('typo'). */
  rewrite?: { query: string; kind: RewriteKind };
  /** Other queries the reader may have meant, offered beside the results; `count`: the results a search for it shows,
   *  as a completion's `count`. */
  alternatives?: Array<{ query: string; kind: RewriteKind; count: number }>;
  [field: string]: unknown;
}

/** A way to finish the keyword being typed. */
export interface Completion {
  /** The completed keyword. */
  text: string;
  /** The whole query with its last keyword completed. */
  query: string;
  /** How common it is. A Chinese word: the results a search for it shows (the posts that contain it, a story told by
   *  several feeds counted once, as the search folds them). A Latin word: the posts in which it is a whole word,
   *  duplicates not folded (a search for it also finds longer words that start with it: `100` finds 1000). */
  count: number;
}

export interface CompleteOptions {
  /** At most this many (default 8). */
  limit?: number;
  signal?: AbortSignal;
}

export interface OpenOptions {
  /** Browsers: run the engine in a Web Worker (falls back to the page when a worker cannot start). */
  worker?: boolean;
}

export interface SearchIndex {
  /** The bundle folder, an absolute URL ending in '/'. */
  readonly base: string;
  /** Answers a query; fetches the index files it needs first. */
  search(query: string, options?: SearchOptions): Promise<SearchPage>;
  /**
   * A search function for search-as-you-type: each call aborts the previous one, which then
   * rejects with a JiansuoError of code 'aborted' (detail 'superseded').
   */
  searcher(): (query: string, options?: SearchOptions) => Promise<SearchPage>;
  /** Completions of the last keyword of `input`, the most frequent first ([] after a space). */
  complete(input: string, options?: CompleteOptions): Promise<Completion[]>;
  /** complete() for as-you-type use: each call aborts the previous one. */
  completer(): (input: string, options?: CompleteOptions) => Promise<Completion[]>;
  /** Frees the engine (and ends its worker). */
  close(): void;
}

export type JiansuoErrorCode =
  /**
   * A file is not there (HTTP 404/410, ENOENT): the bundle is missing or incomplete. (A file gone because the site
   * published the index again is not an error: the index reads the new manifest and asks again.)
   */
  | 'missing'
  /** A file could not be read: network failure, other HTTP status, I/O error. */
  | 'network'
  /** A file cannot be inflated or the engine rejects it (checksum, format version). */
  | 'damaged'
  /** The engine refused the query (e.g. too long). */
  | 'bad-query'
  /** A wrong option or argument (a `limit` that is not a whole number, a `from` not `YYYY-MM-DD`, no bundle
   *  location): a mistake in the calling code. */
  | 'bad-options'
  /** Any other engine failure. */
  | 'engine'
  /** No WebAssembly or DecompressionStream here. */
  | 'unsupported'
  /** Aborted by a signal or superseded by a newer search. */
  | 'aborted'
  /** The index was closed. */
  | 'closed';

export class JiansuoError extends Error {
  constructor(code: JiansuoErrorCode, message: string, options?: { file?: string; detail?: string | number; cause?: unknown });
  readonly name: 'JiansuoError';
  readonly code: JiansuoErrorCode;
  /** The bundle file concerned, relative to the bundle: 'manifest.bin', 't/….bin', 'jiansuo_engine_bg.wasm.deflate'. */
  readonly file?: string;
  /** The engine's own error code ('corrupt-file', 'version-mismatch', …), the HTTP status or the I/O code. */
  readonly detail?: string | number;
  toJSON(): { code: JiansuoErrorCode; message: string; file?: string; detail?: string | number };
  static from(data: unknown): JiansuoError;
}

/**
 * Opens a search bundle (the folder build-index writes).
 * Browser: a URL, relative ones resolved against the document's base URL.
 * Node >= 20.12: a directory path (relative to the working directory), a file: URL, or an http(s) URL.
 */
export function openIndex(source: string | URL, options?: OpenOptions): Promise<SearchIndex>;
