// Filters of a task log query → parameterised keyset SQL shaped for the migration's indexes:
// PK (task_id, seq); (task_id, source, seq); (task_id, seq) WHERE level >= 2; trigram GIN on message.
import type { LogFilter } from './log-filter';

/** Seq bounds, both exclusive: after ≤ 0 and before null mean unbounded. */
export interface SeqWindow {
  after: number;
  before: number | null;
}

export interface SqlQuery {
  sql: string;
  params: unknown[];
}

/**
 * The columns of a LogEntry, the timestamp already in its ISO 8601 form (UTC, milliseconds, as
 * stored): PostgreSQL formats it for less than the driver's Date parsing plus toISOString costs.
 */
export const ENTRY_COLUMNS = `seq, to_char(ts AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS ts, level, source, message, metadata`;

/** ILIKE pattern matching `text` literally anywhere (backslash is ILIKE's default escape). */
export function containsPattern(text: string): string {
  return `%${text.replace(/[\\%_]/g, '\\$&')}%`;
}

/** Bind parameters shared by the parts of one statement: `add` returns the placeholder. */
class SqlParams {
  readonly values: unknown[];

  constructor(first: unknown) {
    this.values = [first];
  }

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Up to `limit` matching entries inside the window, nearest to its start (asc) or end (desc). */
export function entriesQuery(
  taskId: string,
  filter: LogFilter,
  window: SeqWindow,
  direction: 'asc' | 'desc',
  limit: number,
): SqlQuery {
  const params = new SqlParams(taskId);
  return { sql: entriesSql(params, filter, window, direction, limit), params: params.values };
}

/** Whether a matching entry exists in `older` and in `newer` (null: not asked, false). */
export interface PageProbes {
  older: SeqWindow | null;
  newer: SeqWindow | null;
}

/**
 * One page and its cursor probes in one statement (one round trip): a single row of
 * `has_older, has_newer` joined to the page's rows, which has null entry columns when the page is
 * empty. Rows come in `direction` order.
 */
export function pageQuery(
  taskId: string,
  filter: LogFilter,
  window: SeqWindow,
  direction: 'asc' | 'desc',
  limit: number,
  probes: PageProbes,
): SqlQuery {
  const params = new SqlParams(taskId);
  const exists = (probe: SeqWindow | null): string =>
    probe ? `EXISTS (${entriesSql(params, filter, probe, 'desc', 1)})` : 'false';
  const hasOlder = exists(probes.older);
  const hasNewer = exists(probes.newer);
  const rows = entriesSql(params, filter, window, direction, limit);
  return {
    sql: `SELECT probe.has_older, probe.has_newer, e.*
      FROM (SELECT ${hasOlder} AS has_older, ${hasNewer} AS has_newer) AS probe
      LEFT JOIN LATERAL (${rows}) AS e ON true
      ORDER BY e.seq ${direction === 'asc' ? 'ASC' : 'DESC'}`,
    params: params.values,
  };
}

function entriesSql(
  params: SqlParams,
  filter: LogFilter,
  window: SeqWindow,
  direction: 'asc' | 'desc',
  limit: number,
): string {
  const param = (value: unknown): string => params.add(value);
  const where = ['task_id = $1'];
  if (window.after > 0) where.push(`seq > ${param(window.after)}`);
  if (window.before !== null) where.push(`seq < ${param(window.before)}`);
  // A literal, not a parameter: the planner can then prove `level >= 2` and use the partial index.
  const minLevel = Number(filter.minLevel);
  if (!Number.isInteger(minLevel) || minLevel < 0 || minLevel > 3) {
    throw new RangeError('minLevel must be 0..3');
  }
  if (minLevel > 0) where.push(`level >= ${minLevel}`);
  if (filter.search !== null) where.push(`message ILIKE ${param(containsPattern(filter.search))}`);
  const order = direction === 'asc' ? 'ASC' : 'DESC';
  const sources = filter.sources;

  if (sources && sources.length > 1 && filter.search === null) {
    // One ordered (task_id, source, seq) scan per source, each stopping at `limit`, then merged:
    // `source = ANY(...)` would read every matching row and sort them.
    const sourcesParam = param(sources);
    const limitParam = param(limit);
    return `SELECT e.* FROM unnest(${sourcesParam}::text[]) AS wanted(name)
        CROSS JOIN LATERAL (
          SELECT ${ENTRY_COLUMNS} FROM task_log_entries
          WHERE ${where.join(' AND ')} AND source = wanted.name
          ORDER BY seq ${order} LIMIT ${limitParam}
        ) e
        ORDER BY e.seq ${order} LIMIT ${limitParam}`;
  }
  if (sources) {
    where.push(
      sources.length === 1
        ? `source = ${param(sources[0])}`
        : `source = ANY(${param(sources)}::text[])`,
    );
  }
  return `SELECT ${ENTRY_COLUMNS} FROM task_log_entries WHERE ${where.join(' AND ')} ORDER BY seq ${order} LIMIT ${param(limit)}`;
}
