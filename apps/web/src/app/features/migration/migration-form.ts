// The Migration page's mapping rows as pure functions. A suggestion is shown pre-filled but stays
// unconfirmed: it is neither saved nor used by a run until someone confirms it (or picks a target).
import type { MigrationSuggestions, SupersetDatabaseSummary } from '@taskdeck/contracts';

export type MappingState = 'same' | 'saved' | 'suggested' | 'chosen' | 'none';

export interface MappingRow {
  source: SupersetDatabaseSummary;
  /** The target database uuid shown in the row's picker, or null. */
  target: string | null;
  state: MappingState;
  /** The suggestion's similarity (0–100), while it is unconfirmed. */
  score?: number;
}

export function rowsOf(suggestions: MigrationSuggestions): MappingRow[] {
  return suggestions.databases.map((d): MappingRow => {
    if (d.sameUuid) return { source: d.source, target: d.source.uuid, state: 'same' };
    if (d.mapped) return { source: d.source, target: d.mapped.uuid, state: 'saved' };
    if (d.suggestion) {
      return {
        source: d.source,
        target: d.suggestion.database.uuid,
        state: 'suggested',
        score: d.suggestion.score,
      };
    }
    return { source: d.source, target: null, state: 'none' };
  });
}

/** A target picked (or a suggestion confirmed) for one source database; null clears it. */
export function choose(
  rows: MappingRow[],
  sourceUuid: string,
  target: string | null,
): MappingRow[] {
  return rows.map((row) =>
    row.source.uuid === sourceUuid && row.state !== 'same'
      ? { source: row.source, target, state: target ? 'chosen' : 'none' }
      : row,
  );
}

/** What is saved and what a run applies: saved and chosen rows, never an unconfirmed suggestion. */
export function confirmedMappings(rows: MappingRow[]): Record<string, string> {
  return Object.fromEntries(
    rows
      .filter((r) => (r.state === 'saved' || r.state === 'chosen') && r.target)
      .map((r) => [r.source.uuid, r.target!]),
  );
}

/** Rows a run would stop on: no target, or only an unconfirmed suggestion. */
export function unconfirmedRows(rows: MappingRow[]): MappingRow[] {
  return rows.filter((r) => r.state === 'none' || r.state === 'suggested');
}

export interface MigrationOptions {
  overwrite: boolean;
  fixCrossFilters: boolean;
  dryRun: boolean;
}

export function migrationParams(
  sourceEnvironmentId: string,
  targetEnvironmentId: string,
  dashboardIds: number[],
  rows: MappingRow[],
  options: MigrationOptions,
): Record<string, unknown> {
  return {
    sourceEnvironmentId,
    targetEnvironmentId,
    dashboardIds: [...dashboardIds].sort((a, b) => a - b),
    databaseMappings: confirmedMappings(rows),
    overwrite: options.overwrite,
    fixCrossFilters: options.fixCrossFilters,
    dryRun: options.dryRun,
  };
}
