// The mapper plugin's result (CONTRACT.md "The plugins", `mapper`).

export interface MapperColumnChange {
  column: string;
  verboseName: string | null;
  description: string | null;
  /** What Superset had before. */
  previousVerboseName: string | null;
  previousDescription: string | null;
}

export interface MapperResult {
  columns: MapperColumnChange[];
  updated: boolean;
  dryRun: boolean;
  /** Dataset columns the table does not have (each a WARNING). */
  missing: string[];
}
