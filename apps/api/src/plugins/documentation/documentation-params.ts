import type { JsonSchema } from '@taskdeck/contracts';

export interface DocumentationParams {
  environmentId: string;
  datasetId: number;
  providerId?: string;
  dryRun?: boolean;
  /** The language the descriptions are written in (a name or a tag: "English", "de"). */
  language?: string;
  overwrite?: boolean;
  /** Read a few sample values per column through SQL Lab (where the database allows it). */
  samples?: boolean;
}

export const DOCUMENTATION_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['environmentId', 'datasetId'],
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
      description: 'the dataset to describe',
      'x-taskdeck-ref': { kind: 'dataset', environmentField: 'environmentId' },
    },
    providerId: {
      type: 'string',
      format: 'uuid',
      title: 'LLM provider',
      description: 'the model that writes the descriptions (default: the default provider)',
      'x-taskdeck-ref': { kind: 'llm-provider' },
    },
    language: {
      type: 'string',
      minLength: 1,
      maxLength: 50,
      default: 'English',
      title: 'Language',
      description: 'the language of the descriptions, e.g. English, Deutsch, fr',
    },
    overwrite: {
      type: 'boolean',
      default: false,
      title: 'Overwrite',
      description: 'replace descriptions the dataset and its columns have already',
    },
    samples: {
      type: 'boolean',
      default: true,
      title: 'Sample values',
      description: 'show the model a few values per column (a small query through SQL Lab)',
    },
    dryRun: {
      type: 'boolean',
      default: false,
      title: 'Dry run',
      description: 'report old → new; write nothing',
    },
  },
};
