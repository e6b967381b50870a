// What the LLM is asked, and what its answer changes. Pure: the prompt from the dataset and its
// samples, the answer's schema, and the plan (every column goes back to Superset, since a PUT
// deletes what it leaves out; a description that exists is kept unless `overwrite`).
import type { DocumentationColumn } from '@taskdeck/contracts';
import type { JsonSchemaObject } from '../../llm/llm-json';
import type { DatasetColumn, DatasetDetail } from '../../superset/client/superset-types';

export interface DocumentationAnswer {
  description: string;
  columns: { column: string; description: string }[];
}

export const DOCUMENTATION_ANSWER_SCHEMA: JsonSchemaObject = {
  type: 'object',
  additionalProperties: false,
  required: ['description', 'columns'],
  properties: {
    description: { type: 'string', minLength: 1, maxLength: 2000 },
    columns: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['column', 'description'],
        properties: {
          column: { type: 'string', minLength: 1 },
          description: { type: 'string', minLength: 1, maxLength: 1000 },
        },
      },
    },
  },
};

const SAMPLE_VALUES = 5;
const SAMPLE_CHARS = 60;

const blank = (value: string | null | undefined): boolean => !value || !value.trim();

/** Up to five distinct non-null values per column, each cut short. */
export function sampleValues(rows: Record<string, unknown>[]): Map<string, string[]> {
  const samples = new Map<string, string[]>();
  for (const row of rows) {
    for (const [column, value] of Object.entries(row)) {
      if (value === null || value === undefined || value === '') continue;
      const list = samples.get(column) ?? [];
      let text = typeof value === 'string' ? value : (JSON.stringify(value) ?? '');
      if (text.length > SAMPLE_CHARS) text = `${text.slice(0, SAMPLE_CHARS)}…`;
      if (list.length < SAMPLE_VALUES && !list.includes(text)) list.push(text);
      samples.set(column, list);
    }
  }
  return samples;
}

/** Which columns need a description from the model (all with `overwrite`, else those without). */
export function columnsToDescribe(dataset: DatasetDetail, overwrite: boolean): DatasetColumn[] {
  return dataset.columns.filter((c) => overwrite || blank(c.description));
}

export function buildPrompt(
  dataset: DatasetDetail,
  columns: DatasetColumn[],
  samples: Map<string, string[]> | undefined,
  language: string,
): { system: string; user: string } {
  const system = [
    'You write documentation for the datasets of a business intelligence tool (Apache Superset).',
    `Write every description in ${language}.`,
    'A dataset description says in one to three sentences what one row is and what the data is for.',
    'A column description says in one sentence what the column holds (meaning, unit, format), for a business user.',
    'Use only what the names, types, SQL and sample values show; do not invent facts.',
    'Describe exactly the columns listed, using their names unchanged.',
  ].join('\n');
  const lines: string[] = [
    `Dataset: ${dataset.table_name}`,
    `Schema: ${dataset.schema ?? '(default)'}`,
    `Database: ${dataset.database?.database_name ?? '?'} (${dataset.database?.backend ?? 'unknown backend'})`,
  ];
  if (!blank(dataset.description)) lines.push(`Current description: ${dataset.description}`);
  if (!blank(dataset.sql)) lines.push(`SQL:\n${String(dataset.sql).slice(0, 4000)}`);
  lines.push('', 'Columns to describe:');
  for (const column of columns) {
    const facts = [`type ${column.type || 'unknown'}`];
    if (!blank(column.expression)) facts.push(`calculated as ${column.expression}`);
    if (column.is_dttm) facts.push('a time column');
    if (!blank(column.verbose_name)) facts.push(`label "${column.verbose_name}"`);
    if (!blank(column.description)) facts.push(`current description "${column.description}"`);
    const values = samples?.get(column.column_name);
    if (values?.length) {
      facts.push(`sample values: ${values.map((v) => JSON.stringify(v)).join(', ')}`);
    }
    lines.push(`- ${column.column_name}: ${facts.join('; ')}`);
  }
  const others = dataset.columns.filter((c) => !columns.includes(c)).map((c) => c.column_name);
  if (others.length) lines.push('', `Other columns (already described): ${others.join(', ')}`);
  return { system, user: lines.join('\n') };
}

export interface DocumentationPlan {
  description: string | null;
  previousDescription: string | null;
  descriptionChanged: boolean;
  /** Every column of the dataset, in its order, changed where planned. */
  columns: DatasetColumn[];
  changes: DocumentationColumn[];
  /** Columns the answer described that the dataset does not have. */
  unknown: string[];
  /** Columns asked about that the answer left out. */
  missing: string[];
}

export function planDocumentation(
  dataset: DatasetDetail,
  asked: DatasetColumn[],
  answer: DocumentationAnswer | undefined,
  overwrite: boolean,
): DocumentationPlan {
  const byName = new Map<string, string>();
  for (const c of answer?.columns ?? []) byName.set(c.column, c.description.trim());
  const askedNames = new Set(asked.map((c) => c.column_name));
  const previousDescription = dataset.description ?? null;
  const proposed = answer?.description.trim() || null;
  const description =
    proposed && (overwrite || blank(previousDescription)) ? proposed : previousDescription;
  const changes: DocumentationColumn[] = [];
  const columns = dataset.columns.map((column) => {
    const previous = column.description ?? null;
    const next = askedNames.has(column.column_name) ? byName.get(column.column_name) : undefined;
    const value = next && (overwrite || blank(previous)) ? next : previous;
    const changed = value !== previous;
    changes.push({
      column: column.column_name,
      description: value,
      previousDescription: previous,
      changed,
    });
    return changed ? { ...column, description: value } : column;
  });
  const known = new Set(dataset.columns.map((c) => c.column_name));
  return {
    description,
    previousDescription,
    descriptionChanged: description !== previousDescription,
    columns,
    changes,
    unknown: [...byName.keys()].filter((name) => !known.has(name)),
    missing: answer ? [...askedNames].filter((name) => !byName.has(name)) : [],
  };
}

/** A quoted identifier for the database's dialect (ANSI double quotes; MySQL's backticks). */
export function quoteIdentifier(name: string, backend: string | undefined): string {
  if (/^[a-z_][a-z0-9_]*$/.test(name)) return name;
  if (backend && /mysql|mariadb|databricks|hive|spark|bigquery/.test(backend)) {
    return `\`${name.replace(/`/g, '``')}\``;
  }
  return `"${name.replace(/"/g, '""')}"`;
}

/** The query that reads a few rows of the dataset: its table, or its SQL as a subquery. */
export function sampleQuery(dataset: DatasetDetail, limit: number): string {
  const backend = dataset.database?.backend;
  if (!blank(dataset.sql)) {
    const inner = String(dataset.sql)
      .trim()
      .replace(/;+\s*$/, '');
    return `SELECT * FROM (${inner}) AS virtual_table LIMIT ${limit}`;
  }
  const physical = dataset.columns.filter((c) => blank(c.expression));
  const list = physical.length
    ? physical.map((c) => quoteIdentifier(c.column_name, backend)).join(', ')
    : '*';
  const table = dataset.schema
    ? `${quoteIdentifier(dataset.schema, backend)}.${quoteIdentifier(dataset.table_name, backend)}`
    : quoteIdentifier(dataset.table_name, backend);
  return `SELECT ${list} FROM ${table} LIMIT ${limit}`;
}
