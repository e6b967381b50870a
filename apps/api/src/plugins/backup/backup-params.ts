import type { JsonSchema } from '@taskdeck/contracts';
import { DEFAULT_CHUNK_SIZE } from './backup-names';

export interface BackupParams {
  /** Default "backup". */
  action?: 'backup' | 'restore';
  environmentId: string;
  dashboardIds?: number[];
  keep?: number;
  chunkSize?: number;
  /** Restore: the backup ZIP, relative to the storage root. */
  path?: string;
  overwrite?: boolean;
  /** Restore: database uuid → password (sealed once the task is stored). */
  passwords?: Record<string, string>;
}

export const BACKUP_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['environmentId'],
  properties: {
    action: {
      type: 'string',
      enum: ['backup', 'restore'],
      default: 'backup',
      title: 'Action',
      description: 'back the environment up into storage, or restore a backup ZIP into it',
    },
    environmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Environment',
      description: 'the Superset to back up, or to restore into',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    dashboardIds: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      minItems: 1,
      maxItems: 100_000,
      title: 'Dashboards',
      description: 'backup: the dashboards to export; empty: every dashboard',
      'x-taskdeck-ref': { kind: 'dashboard', environmentField: 'environmentId' },
    },
    keep: {
      type: 'integer',
      minimum: 1,
      maximum: 10_000,
      title: 'Keep',
      description:
        'backup: after a successful run, delete this environment’s older backups beyond this many',
    },
    chunkSize: {
      type: 'integer',
      minimum: 1,
      maximum: 500,
      default: DEFAULT_CHUNK_SIZE,
      title: 'Dashboards per export request',
      description: 'backup: Superset takes the ids in the URL; long lists fail',
    },
    path: {
      type: 'string',
      minLength: 1,
      maxLength: 4096,
      title: 'Backup file',
      description: 'restore: the ZIP in storage, e.g. backups/prod/prod-2026-12-01T10-00-00Z.zip',
    },
    overwrite: {
      type: 'boolean',
      default: false,
      title: 'Overwrite',
      description:
        'restore: replace dashboards (and their charts, datasets) that exist on the target',
    },
    passwords: {
      type: 'object',
      propertyNames: { format: 'uuid' },
      additionalProperties: { type: 'string', maxLength: 1024 },
      writeOnly: true,
      title: 'Database passwords',
      description:
        'restore: database uuid → password, for databases in the backup that the target lacks (stored encrypted)',
    },
  },
  allOf: [
    {
      if: { properties: { action: { const: 'restore' } }, required: ['action'] },
      then: { required: ['path'] },
    },
  ],
};

export function checkBackupParams(params: Record<string, unknown>): string[] {
  const restore = params.action === 'restore';
  const problems: string[] = [];
  if (restore && params.dashboardIds !== undefined) {
    problems.push('params/dashboardIds is for backups, not restores');
  }
  if (restore && params.keep !== undefined) {
    problems.push('params/keep is for backups, not restores');
  }
  if (!restore && params.path !== undefined) problems.push('params/path is for restores');
  if (!restore && params.passwords !== undefined) problems.push('params/passwords is for restores');
  if (restore && typeof params.path === 'string' && !params.path.startsWith('backups/')) {
    problems.push('params/path must be a backup in storage (backups/<environment>/<file>.zip)');
  }
  return problems;
}
