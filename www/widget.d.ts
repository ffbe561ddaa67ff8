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
  more: string;
  shown: string;
  sort: string;
  relevance: string;
  newest: string;
  date: string;
  error: string;
  missing: string;
  network: string;
  damaged: string;
  unsupported: string;
  badQuery: string;
  categories: string;
  tags: string;
  clearFilters: string;
  filtered: string;
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

/**
 * <jiansuo-search bundle placeholder page-size mode sort param lang strings theme facets completions no-worker>
 * Events (bubbling, composed): 'jiansuo-results', 'jiansuo-error'.
 * Parts: trigger, dialog, panel, form, input, clear, close, scroll, toolbar, status, error-detail, sort,
 * suggestions, suggestion, facets, facet, facet-chip, facet-reset,
 * results, result, result-title, result-meta, result-category, result-duplicates, result-excerpt, mark, more.
 * Slot: 'filters' (between the status line and the results).
 */
export class JiansuoSearchElement extends HTMLElement {
  /** UI text: built-in table for `lang`, then the `strings` attribute (JSON), then this property. */
  get strings(): JiansuoStrings;
  set strings(value: Partial<JiansuoStrings> | null);
  /** Extra options merged into every search (future filters, facets). Setting it searches again. */
  get searchOptions(): Record<string, unknown>;
  set searchOptions(value: Record<string, unknown> | null);
  readonly query: string;
  readonly mode: 'inline' | 'modal';
  readonly pageSize: number;
  readonly sort: SortOrder;
  /** The facets shown as filter chips (the `facets` attribute). */
  readonly facets: Array<'categories' | 'tags'>;
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
