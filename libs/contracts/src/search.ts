// The search plugin's result (CONTRACT.md "The plugins", `search`).

export const SEARCH_FIELDS = ['sql', 'columns', 'metrics', 'charts'] as const;
export type SearchField = (typeof SEARCH_FIELDS)[number];

export interface SearchMatch {
  datasetId: number;
  datasetName: string;
  /** Where it matched: `sql`, `columns.<name>`, `columns.<name>.expression`, `metrics.<name>…`, `charts.<id>.params`. */
  field: string;
  /** About 40 characters on each side of the match. */
  matchContext: string;
  fullValue: string;
  /** The match inside `matchContext`: its offset and length (for highlighting). */
  matchStart: number;
  matchLength: number;
  /** For `charts.*` fields: the chart. */
  chartId?: number;
  chartName?: string;
}

export interface SearchResult {
  count: number;
  results: SearchMatch[];
  /** Values not searched because the pattern exceeded its time budget on them. */
  skipped: { datasetId: number; field: string }[];
  /** True when `count` exceeded the cap and `results` holds only the first ones. */
  truncated: boolean;
}
