import type { JsonSchema } from '@taskdeck/contracts';

export interface MapperParams {
  environmentId: string;
  datasetId: number;
  connectionId: string;
  /** The table's schema and name in the connection; default: the dataset's. */
  schema?: string;
  table?: string;
  overwrite?: boolean;
  dryRun?: boolean;
}

export const MAPPER_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['environmentId', 'datasetId', 'connectionId'],
  properties: {
    environmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Environment',
      description: 'the Superset that holds the dataset',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    datasetId: {
      type: 'integer',
      minimum: 1,
      title: 'Dataset',
      description: 'the dataset whose columns get names and descriptions',
      'x-taskdeck-ref': { kind: 'dataset', environmentField: 'environmentId' },
    },
    connectionId: {
      type: 'string',
      format: 'uuid',
      title: 'Connection',
      description: 'the database whose column comments are the truth',
      'x-taskdeck-ref': { kind: 'connection' },
    },
    schema: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      title: 'Schema',
      description: 'the table’s schema in the connection (default: the dataset’s, else public)',
    },
    table: {
      type: 'string',
      minLength: 1,
      maxLength: 255,
      title: 'Table',
      description: 'the table in the connection (default: the dataset’s table name)',
    },
    overwrite: {
      type: 'boolean',
      default: false,
      title: 'Overwrite',
      description: 'replace verbose names and descriptions a column has already',
    },
    dryRun: {
      type: 'boolean',
      default: false,
      title: 'Dry run',
      description: 'report old → new per column; write nothing',
    },
  },
};
