// The migration plugin's stored database mappings and its result (CONTRACT.md "The plugins").
import type { SupersetDatabaseSummary } from './environments';

/** `GET/PUT /api/migration/mappings?source=&target=`: source database uuid → target database uuid. */
export interface MigrationMappings {
  sourceEnvironmentId: string;
  targetEnvironmentId: string;
  mappings: Record<string, string>;
  /** Who last saved them and when; null before anyone did. */
  updatedBy: string | null;
  updatedAt: string | null;
}

export interface PutMigrationMappingsRequest {
  mappings: Record<string, string>;
}

/** One source database and what a migration would do with it. */
export interface MigrationDatabaseMatch {
  source: SupersetDatabaseSummary;
  /** The stored mapping's target, when there is one and it still exists on the target. */
  mapped: SupersetDatabaseSummary | null;
  /** The target has a database with the same uuid: it needs no mapping. */
  sameUuid: boolean;
  /** The closest target database by name (token-sort similarity, 0–100), not confirmed. */
  suggestion: { database: SupersetDatabaseSummary; score: number } | null;
}

/** `GET /api/migration/mappings/suggestions?source=&target=`. */
export interface MigrationSuggestions {
  databases: MigrationDatabaseMatch[];
  targets: SupersetDatabaseSummary[];
}

export type MigrationDatabaseAction = 'mapped' | 'same' | 'create' | 'unmapped';

/** A migration task's result; `dryRun: true` imported nothing. */
export interface MigrationResult {
  dashboards: {
    id: number;
    title: string;
    uuid: string;
    /** The dashboard with the same uuid on the target (it is overwritten), or null. */
    targetId: number | null;
  }[];
  remapped: Record<string, string>;
  unmapped: string[];
  imported: boolean;
  dryRun: boolean;
  databases: {
    uuid: string;
    name: string;
    action: MigrationDatabaseAction;
    targetUuid: string | null;
    targetName: string | null;
  }[];
  /** Files of the bundle rewritten for the target. */
  rewrittenFiles: string[];
  /** Dashboards whose native filter and cross-filter chart ids were rewritten after the import. */
  crossFiltersFixed: number;
}
