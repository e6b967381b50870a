import { SEARCH_FIELDS, type JsonSchema, type SearchField } from '@taskdeck/contracts';

export interface SearchParams {
  environmentId: string;
  /** A JavaScript regular expression, without slashes or flags. */
  pattern: string;
  caseSensitive?: boolean;
  fields?: SearchField[];
}

export const DEFAULT_SEARCH_FIELDS: SearchField[] = ['sql', 'columns', 'metrics'];

export const SEARCH_PARAMS_SCHEMA: JsonSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['environmentId', 'pattern'],
  properties: {
    environmentId: {
      type: 'string',
      format: 'uuid',
      title: 'Environment',
      description: 'the Superset to search',
      'x-taskdeck-ref': { kind: 'environment' },
    },
    pattern: {
      type: 'string',
      minLength: 1,
      maxLength: 1000,
      title: 'Pattern',
      description:
        'a regular expression (JavaScript syntax, no slashes), e.g. customer_id|client_id',
    },
    caseSensitive: {
      type: 'boolean',
      default: false,
      title: 'Case sensitive',
      description: 'match upper and lower case exactly',
    },
    fields: {
      type: 'array',
      items: { type: 'string', enum: SEARCH_FIELDS },
      minItems: 1,
      maxItems: SEARCH_FIELDS.length,
      default: DEFAULT_SEARCH_FIELDS,
      title: 'Fields',
      description:
        'where to look: sql (virtual datasets), columns (names and expressions), metrics (names and expressions), charts (each chart’s params)',
    },
  },
};

/** The flags a search compiles its pattern with (`g` to find every match in a value). */
export function searchFlags(caseSensitive: boolean | undefined): string {
  return caseSensitive ? 'g' : 'gi';
}

/** A pattern that does not compile is a 400 when the task is created, with the engine's reason. */
export function checkSearchParams(params: Record<string, unknown>): string[] {
  try {
    new RegExp(String(params.pattern), searchFlags(params.caseSensitive === true));
    return [];
  } catch (error) {
    return [`params/pattern is not a valid regular expression: ${(error as Error).message}`];
  }
}
