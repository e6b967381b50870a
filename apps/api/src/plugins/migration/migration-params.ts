import type { JsonSchema } from '@taskdeck/contracts';

export interface MigrationParams {
  sourceEnvironmentId: string;
  targetEnvironmentId: string;
  dashboardIds: number[];
  /** Source database uuid → target database uuid, over the stored mappings for this run. */
  databaseMappings?: Record<string, string>;
  /** Source database uuid → password (sealed once the task is stored) for databases to create. */
  passwords?: Record<string, string>;
  overwrite?: boolean;
  fixCrossFilters?: boolean;
  dryRun?: boolean;
}

const UUID_MAP: JsonSchema = {
  type: 'object',
  propertyNames: { format: 'uuid' },
  additionalProperties: { type: 'string', format: 'uuid' },
};

export const MIGRATION_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['sourceEnvironmentId', 'targetEnvironmentId', 'dashboardIds'],
  properties: {
    sourceEnvironmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Source environment',
      description: 'the Superset the dashboards come from',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    targetEnvironmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Target environment',
      description: 'the Superset they go to',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    dashboardIds: {
      type: 'array',
      items: { type: 'integer', minimum: 1 },
      minItems: 1,
      maxItems: 1000,
      title: 'Dashboards',
      description: 'the source dashboards to migrate, with their charts, datasets and databases',
      'x-taskdeck-ref': { kind: 'dashboard', environmentField: 'sourceEnvironmentId' },
    },
    databaseMappings: {
      ...UUID_MAP,
      title: 'Database mappings',
      description:
        'source database uuid → target database uuid, for this run, over the stored mappings of the pair',
    },
    passwords: {
      type: 'object',
      propertyNames: { format: 'uuid' },
      additionalProperties: { type: 'string', maxLength: 1024 },
      writeOnly: true,
      title: 'Database passwords',
      description:
        'source database uuid → password, for databases the import creates on the target (stored encrypted)',
    },
    overwrite: {
      type: 'boolean',
      default: true,
      title: 'Overwrite',
      description: 'replace dashboards that exist on the target (same uuid)',
    },
    fixCrossFilters: {
      type: 'boolean',
      default: true,
      title: 'Fix cross-filters',
      description:
        'after the import, point native filters and cross-filters at the target’s chart ids',
    },
    dryRun: {
      type: 'boolean',
      default: false,
      title: 'Dry run',
      description: 'export, rewrite and report; import nothing',
    },
  },
};

/** What the schema cannot say. */
export function checkMigrationParams(params: Record<string, unknown>): string[] {
  return params.sourceEnvironmentId === params.targetEnvironmentId
    ? ['params/targetEnvironmentId must differ from sourceEnvironmentId']
    : [];
}
