// Type declarations for the <jiansuo-search> element (dist/widget.js). Importing the module defines it.
import type { JiansuoError, SearchOptions, SearchPage, SortOrder } from './jiansuo.js';

/** Every piece of UI text; {n}, {q}, {shown}, {y}, {m}, {d}, {mm}, {dd} are filled in. */
export interface JiansuoStrings {
  label: string;
  placeholder: string;
  trigger: string;
  close: string;
  clear: string;
  results: string;
  loading: string;
  total: string;
  none: string;
  /** With no keywords, when the filters leave nothing. */
  noneFiltered: string;
  more: string;
  shown: string;
  sort: string;
  relevance: string;
  newest: string;
  date: string;
  error: string;
  /** After `error`, for a failure without a message of its own. */
  failed: string;
  /** The index was found (its manifest.bin) but one of its files (in `t/`, `d/`, …) was not. */
  incomplete: string;
  missing: string;
  network: string;
  damaged: string;
  /** The site published its index again, made by a jiansuo of another index format version, while the page was open. */
  updated: string;
  unsupported: string;
  badQuery: string;
  categories: string;
  tags: string;
  clearFilters: string;
  filtered: string;
  /** The filter panel's button. */
  filters: string;
  /** The date range: its group, presets and fields. */
  dates: string;
  anyDate: string;
  lastWeek: string;
  lastMonth: string;
  lastYear: string;
  dateFrom: string;
  dateTo: string;
  suggestions: string;
  duplicates: string;
  rewritten: string;
  hintKey: string;
}

export interface JiansuoResultsDetail {
  query: string;
  options: SearchOptions;
  page: SearchPage;
  /** true for a page added by "load more". */
  append: boolean;
}

export interface JiansuoErrorDetail {
  query: string;
  error: JiansuoError;
}

/** What the filter panel can offer (the `facets` attribute). */
export type JiansuoFacet = 'categories' | 'tags' | 'dates';

/**
 * <jiansuo-search bundle placeholder page-size mode sort param lang strings theme facets completions no-worker>
 * Events (bubbling, composed): 'jiansuo-results', 'jiansuo-error'.
 * Parts: trigger, dialog, panel, form, input, clear, close, scroll, toolbar, status, error-detail, sort,
 * filter-toggle, suggestion (a completion option of the listbox), facets (the filter panel), facet, dates, date-preset, date-input,
 * date-from, date-to, facet-chip, facet-reset,
 * results, result, result-title, result-meta, result-category, result-duplicates, result-excerpt, mark, more.
 * URL state (unless param=""): ?q=…&category=…&tag=…&from=YYYY-MM-DD&to=YYYY-MM-DD.
 * Slot: 'filters' (between the status line and the results).
 */
export class JiansuoSearchElement extends HTMLElement {
  /** UI text: built-in table for `lang`, then the `strings` attribute (JSON), then this property. */
  get strings(): JiansuoStrings;
  set strings(value: Partial<JiansuoStrings> | null);
  /** Extra engine options merged into every search; the panel's own filters win. Setting it searches again. */
  get searchOptions(): Omit<SearchOptions, 'signal' | 'limit' | 'offset' | 'sort' | 'facets'>;
  set searchOptions(value: Omit<SearchOptions, 'signal' | 'limit' | 'offset' | 'sort' | 'facets'> | null);
  readonly query: string;
  readonly mode: 'inline' | 'modal';
  readonly pageSize: number;
  readonly sort: SortOrder;
  /**
   * What the filter panel offers, from the `facets` attribute: chips with counts for 'categories' and 'tags'
   * (fetched only while the panel is open), 'dates' (a date range). The empty value is categories and dates.
   */
  readonly facets: JiansuoFacet[];
  /** The bundle folder as an absolute URL. */
  readonly bundle: string;
  /** Shows the results for `query` (default: the input's text). */
  search(query?: string): Promise<void>;
  /** Modal mode: opens the dialog. */
  open(): void;
  /** Modal mode: closes the dialog. */
  close(): void;
}

/** Splits an engine excerpt into text and <mark> nodes; nothing else is ever created. */
export function excerptFragment(html: string): DocumentFragment;

declare global {
  interface HTMLElementTagNameMap {
    'jiansuo-search': JiansuoSearchElement;
  }
  interface HTMLElementEventMap {
    'jiansuo-results': CustomEvent<JiansuoResultsDetail>;
    'jiansuo-error': CustomEvent<JiansuoErrorDetail>;
  }
}
