// Params that refer to Taskdeck objects. A plugin's params schema marks such a field with the
// extension keyword below; the server's validator accepts it (and checks its shape) and the
// console renders the field as a picker whose options come from the API. A new plugin needs no
// console change: it only marks its fields.
//
//   environmentId: { type: 'string', format: 'uuid', 'x-taskdeck-ref': { kind: 'environment' } },
//   datasetId: {
//     type: 'integer',
//     'x-taskdeck-ref': { kind: 'dataset', environmentField: 'environmentId' },
//   },

export const REF_KEYWORD = 'x-taskdeck-ref';

/** What a field can refer to. Superset objects (dashboard, dataset, database) live in an environment. */
export const REF_KINDS = [
  'environment',
  'dashboard',
  'dataset',
  'database',
  'connection',
  'repository',
  'llm-provider',
] as const;
export type RefKind = (typeof REF_KINDS)[number];

/** Kinds whose options are listed per environment: their ref names the environment field. */
export const ENVIRONMENT_SCOPED_REF_KINDS: readonly RefKind[] = [
  'dashboard',
  'dataset',
  'database',
];

export interface TaskdeckRef {
  kind: RefKind;
  /**
   * For dashboard, dataset and database: the name of the sibling param holding the environment
   * id; the picker lists that environment's objects and follows it when it changes.
   */
  environmentField?: string;
}

/** JSON Schema (draft-07 style) for the keyword's value; the server's validator checks it. */
export const REF_KEYWORD_SCHEMA = {
  type: 'object',
  additionalProperties: false,
  required: ['kind'],
  properties: {
    kind: { type: 'string', enum: REF_KINDS },
    environmentField: { type: 'string', minLength: 1 },
  },
} as const;

export function isRefKind(value: unknown): value is RefKind {
  return typeof value === 'string' && (REF_KINDS as readonly string[]).includes(value);
}
