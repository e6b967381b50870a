// The backup plugin and environment backup schedules (CONTRACT.md "The plugins", `backup`).
import type { StoredFile } from './storage';

export interface BackupFailure {
  id: number;
  /** null when the dashboard was not found. */
  title: string | null;
  error: string;
}

/** `backup` (action "backup"): one ZIP per run. */
export interface BackupResult {
  files: { path: string; size: number; dashboards: number }[];
  /** Dashboards in the backup. */
  dashboards: number;
  /** Dashboards that could not be exported (logged at WARNING). */
  failed: BackupFailure[];
  /** Older backups `keep` deleted after this one was written. */
  pruned: string[];
}

/** `backup` with `action: "restore"`. */
export interface RestoreResult {
  restored: string;
  environmentId: string;
  dashboards: number;
  databases: string[];
  overwrite: boolean;
}

/** A database in a backup ZIP, seen from a target environment (the restore form asks passwords). */
export interface BackupDatabase {
  uuid: string;
  name: string;
  /** Its file in the ZIP, `databases/<name>.yaml`. */
  file: string;
  /** The target has a database with this uuid. */
  onTarget: boolean;
  /** The import needs a password for it (new to the target, URI with a masked password). */
  needsPassword: boolean;
}

/** An environment's backup schedule and backups (`/api/environments/:id/backup-schedule`). */
export interface BackupSchedule {
  environmentId: string;
  /** Five-field cron expression, UTC. */
  cron: string;
  /** Backups of the environment kept after each scheduled run. */
  keep: number;
  enabled: boolean;
  /** Next run, when enabled. */
  nextRunAt: string | null;
  /** The task of the latest scheduled run. */
  lastTaskId: string | null;
  updatedAt: string;
}

export interface EnvironmentBackupStatus {
  environmentId: string;
  schedule: BackupSchedule | null;
  /** The newest backup file of the environment, if any. */
  lastBackup: StoredFile | null;
}

export interface UpdateBackupScheduleRequest {
  cron: string;
  keep?: number;
  enabled?: boolean;
}
