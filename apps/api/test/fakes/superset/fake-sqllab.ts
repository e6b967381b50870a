// The fake's SQL Lab (`POST /api/v1/sqllab/execute/`, synchronous): it understands the one shape
// of query a client sends for samples, `SELECT <columns|*> FROM <table> [LIMIT n]` (a table, or a
// `(<sql>) AS alias` subquery over one), reads the rows seeded in the database's `tables`, and
// answers as Superset does: `{status, data, columns, query_id, ...}`, or 400 with its error body
// for a table the database does not have.
import type { FakeStore } from './fake-store';
import { FakeHttpError, type Answer } from './fake-views';

let queryIds = 0;

/** ExecutePayloadSchema's fields: marshmallow refuses any other (400 `{message: {field: ['Unknown field.']}}`). */
const EXECUTE_FIELDS = new Set([
  'database_id',
  'sql',
  'client_id',
  'queryLimit',
  'sql_editor_id',
  'schema',
  'catalog',
  'tab',
  'ctas_method',
  'templateParams',
  'tmp_table_name',
  'select_as_cta',
  'runAsync',
  'expand_data',
]);

export function executeSql(store: FakeStore, body: Buffer): Answer {
  let request: { database_id?: unknown; sql?: unknown; schema?: unknown; queryLimit?: unknown };
  try {
    request = JSON.parse(body.toString()) as typeof request;
  } catch {
    throw new FakeHttpError(400, { message: 'Request is not JSON' });
  }
  const unknown = Object.keys(request).filter((k) => !EXECUTE_FIELDS.has(k));
  if (unknown.length) {
    throw new FakeHttpError(400, {
      message: Object.fromEntries(unknown.map((k) => [k, ['Unknown field.']])),
    });
  }
  if (typeof request.database_id !== 'number' || typeof request.sql !== 'string') {
    throw new FakeHttpError(400, {
      errors: [
        {
          message: 'The schema of the submitted payload is invalid.',
          error_type: 'INVALID_PAYLOAD_SCHEMA_ERROR',
          level: 'error',
          extra: { messages: { database_id: ['Missing data for required field.'] } },
        },
      ],
    });
  }
  const db = store.databases.get(request.database_id);
  if (!db) {
    throw new FakeHttpError(404, {
      errors: [
        {
          message: 'The database was not found.',
          error_type: 'DATABASE_NOT_FOUND_ERROR',
          level: 'error',
        },
      ],
    });
  }
  const sql = request.sql.trim();
  const from = /\bFROM\s+(?:\(\s*SELECT[\s\S]*?\bFROM\s+)?([`"A-Za-z0-9_.]+)/i.exec(sql);
  const limit = Number(/\bLIMIT\s+(\d+)/i.exec(sql)?.[1] ?? request.queryLimit ?? 1000);
  const name = from?.[1].replace(/[`"]/g, '');
  const schema = typeof request.schema === 'string' ? request.schema : null;
  const rows =
    name === undefined
      ? undefined
      : (db.tables?.[name] ?? (schema ? db.tables?.[`${schema}.${name}`] : undefined));
  if (!rows) {
    throw new FakeHttpError(400, {
      errors: [
        {
          message: `${db.backend} error: relation "${name ?? '?'}" does not exist`,
          error_type: 'GENERIC_DB_ENGINE_ERROR',
          level: 'error',
          extra: { engine_name: db.backend },
        },
      ],
    });
  }
  const selected = /^SELECT\s+([\s\S]*?)\s+FROM\b/i.exec(sql)?.[1].trim() ?? '*';
  const names =
    selected === '*'
      ? Object.keys(rows[0] ?? {})
      : selected.split(',').map((c) => c.trim().replace(/^["`]|["`]$/g, ''));
  const data = rows
    .slice(0, limit)
    .map((row) => Object.fromEntries(names.map((n) => [n, row[n] ?? null])));
  const query_id = ++queryIds;
  return {
    status: 200,
    body: {
      status: 'success',
      query_id,
      data,
      columns: names.map((n) => ({ name: n, column_name: n, type: null, is_dttm: false })),
      selected_columns: names.map((n) => ({ name: n, column_name: n, type: null, is_dttm: false })),
      expanded_columns: [],
      query: { queryId: query_id, sql, limit, rows: data.length, state: 'success' },
    },
  };
}
