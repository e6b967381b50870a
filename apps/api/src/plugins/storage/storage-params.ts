import { STORAGE_CATEGORIES, type JsonSchema, type StorageCategory } from '@taskdeck/contracts';

export interface StorageParams {
  action: 'usage' | 'prune' | 'verify';
  category?: StorageCategory;
  /** prune: an environment folder under backups/ (default every one). */
  environment?: string;
  olderThanDays?: number;
  keep?: number;
  dryRun?: boolean;
}

export const STORAGE_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['action'],
  properties: {
    action: {
      type: 'string',
      enum: ['usage', 'prune', 'verify'],
      title: 'Action',
      description:
        'usage: bytes and files by category and environment; prune: delete old backups; verify: open every backup ZIP',
    },
    category: {
      type: 'string',
      enum: STORAGE_CATEGORIES,
      title: 'Category',
      description: 'usage: only this category (prune and verify work on backups)',
    },
    environment: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      title: 'Environment folder',
      description:
        'prune, verify: only the backups of this environment (its folder under backups/)',
    },
    olderThanDays: {
      type: 'integer',
      minimum: 0,
      maximum: 36_500,
      title: 'Older than (days)',
      description: 'prune: delete backups older than this many days',
    },
    keep: {
      type: 'integer',
      minimum: 1,
      maximum: 10_000,
      title: 'Keep',
      description: 'prune: keep this many newest backups per environment',
    },
    dryRun: {
      type: 'boolean',
      default: false,
      title: 'Dry run',
      description: 'prune: only list what would be deleted',
    },
  },
};

export function checkStorageParams(params: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (
    params.action === 'prune' &&
    params.olderThanDays === undefined &&
    params.keep === undefined
  ) {
    problems.push('params: prune needs olderThanDays or keep');
  }
  if (params.action !== 'prune') {
    for (const name of ['olderThanDays', 'keep']) {
      if (params[name] !== undefined) problems.push(`params/${name} is for prune`);
    }
  }
  if (params.category !== undefined && params.action !== 'usage') {
    problems.push('params/category is for usage (prune and verify work on backups)');
  }
  if (typeof params.environment === 'string' && /[/\\\0]|^\.\.?$/.test(params.environment)) {
    problems.push('params/environment must be one folder name');
  }
  return problems;
}
