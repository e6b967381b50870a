// A table's column comments from PostgreSQL's catalog, and what a comment means for Superset:
// `Label|Description` gives both; a comment of several lines gives its first line as the label
// and the rest as the description; otherwise the comment is both.
import type { PostgresSession } from '../../integrations/connections/postgres-session';

/** Superset's verbose_name column is 1,024 characters. */
const MAX_VERBOSE_NAME = 1024;

export interface ColumnLabels {
  verboseName: string;
  description: string;
}

export function labelsFromComment(comment: string): ColumnLabels | null {
  const text = comment.trim();
  if (!text) return null;
  const bar = text.indexOf('|');
  const newline = text.indexOf('\n');
  const cut = bar >= 0 ? bar : newline;
  if (cut < 0) return { verboseName: text.slice(0, MAX_VERBOSE_NAME), description: text };
  const label = text.slice(0, cut).trim();
  const rest = text.slice(cut + 1).trim();
  return {
    verboseName: (label || rest).slice(0, MAX_VERBOSE_NAME),
    description: rest || label,
  };
}

export const COLUMN_COMMENTS_SQL = `
  SELECT a.attname AS name, col_description(c.oid, a.attnum) AS comment
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid
  WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'v', 'm', 'p', 'f')
    AND a.attnum > 0 AND NOT a.attisdropped
  ORDER BY a.attnum`;

/** Column name → its comment (null without one); undefined when there is no such table. */
export async function readColumnComments(
  session: PostgresSession,
  schema: string,
  table: string,
): Promise<Map<string, string | null> | undefined> {
  const rows = await session.query<{ name: string; comment: string | null }>(COLUMN_COMMENTS_SQL, [
    schema,
    table,
  ]);
  if (rows.length === 0) return undefined;
  return new Map(rows.map((r) => [r.name, r.comment]));
}
