// The read face of the task log: pages, stats, sources and downloads of the stored log.
import { createHash } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import {
  LOG_LEVELS,
  LOG_PAGE_DEFAULT_LIMIT,
  LOG_PAGE_MAX_LIMIT,
  type LogEntry,
  type LogPage,
  type LogStats,
} from '@taskdeck/contracts';
import type { Pool, QueryConfig, QueryResultRow } from 'pg';
import { Repository } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import { TaskLogCounterEntity } from '../entities/task-log-counter.entity';
import { TaskLogEntryEntity } from '../entities/task-log-entry.entity';
import { entriesQuery, pageQuery, type PageProbes, type SeqWindow } from './log-entries-query';
import { logPageJson, toLogEntry, type RawEntry, type RawLogPage } from './log-page-json';
import { parseLogFilter, type LogFilter, type LogFilterInput } from './log-filter';
import type { LevelRank } from '../level-rank';

export interface LogRangeInput extends LogFilterInput {
  /** Entries with seq > afterSeq (default 0). */
  afterSeq?: number;
  /** Entries with seq < beforeSeq; a page then holds the `limit` entries just before it. */
  beforeSeq?: number;
}

export interface LogPageInput extends LogRangeInput {
  /** 1–1000, default 100. */
  limit?: number;
}

/** Chunk size of streamEntries. */
export const STREAM_CHUNK = 2000;

/**
 * A row of pageQuery in array mode, as text: has_older, has_newer ('t' or 'f'), then the entry
 * (all null when the page is empty).
 */
type RawPageRow = [string, string, ...(RawEntry | [null, null, null, null, null, null])];

/** How pg hands rows over: objects with parsed values, or arrays of PostgreSQL's text. */
type RowMode = { rowMode?: 'array'; types?: QueryConfig['types'] };
const OBJECTS: RowMode = {};
export const TEXT_ROWS: RowMode = {
  rowMode: 'array',
  types: { getTypeParser: () => (text: string) => text },
};

/**
 * random_page_cost for searches: the usual value for SSDs and cached data, where a heap page read
 * in index order costs little more than one read in sequence.
 */
export const SEARCH_RANDOM_PAGE_COST = 1.1;

/** The task's highest stored seq: one probe of the primary key's end. */
const LAST_SEQ_SQL = 'SELECT max(seq) AS seq FROM task_log_entries WHERE task_id = $1';

/** The task's counters: one row per level and source (statsOfCounters sums them). */
export const STATS_SQL = 'SELECT level, source, count FROM task_log_counters WHERE task_id = $1';

export interface CounterRow {
  level: LevelRank;
  source: string;
  /** bigint, as text. */
  count: string;
}

/** LogStats from the rows of STATS_SQL. */
export function statsOfCounters(rows: readonly CounterRow[]): LogStats {
  const stats: LogStats = {
    total: 0,
    byLevel: { DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0 },
    bySource: {},
  };
  for (const row of rows) {
    const count = Number(row.count);
    stats.total += count;
    stats.byLevel[LOG_LEVELS[row.level]] += count;
    stats.bySource[row.source] = (stats.bySource[row.source] ?? 0) + count;
  }
  return stats;
}

@Injectable()
export class TaskLogReader {
  constructor(
    @InjectRepository(TaskLogEntryEntity) private readonly entries: Repository<TaskLogEntryEntity>,
    @InjectRepository(TaskLogCounterEntity)
    private readonly counters: Repository<TaskLogCounterEntity>,
  ) {}

  /**
   * One page by keyset, ascending seq. nextCursor: the last item's seq when more matching entries
   * follow; prevCursor: the first item's seq when older matching entries exist (with no items,
   * the cursor just past the window, so that paging can go on).
   */
  async page(taskId: string, input: LogPageInput): Promise<LogPage> {
    const raw = await this.rawPage(taskId, input);
    return {
      items: raw.entries.map((row) => toLogEntry(taskId, row)),
      nextCursor: raw.nextCursor,
      prevCursor: raw.prevCursor,
    };
  }

  /**
   * The same page as its JSON text (what GET /api/tasks/:id/logs answers), written from the rows'
   * text without parsing them into objects first; `items` is the number of entries.
   */
  async pageJson(taskId: string, input: LogPageInput): Promise<{ json: string; items: number }> {
    const raw = await this.rawPage(taskId, input);
    return { json: logPageJson(taskId, raw), items: raw.entries.length };
  }

  private async rawPage(taskId: string, input: LogPageInput): Promise<RawLogPage> {
    const filter = parseLogFilter(input);
    const limit = clampLimit(input.limit);
    const after = input.afterSeq ?? 0;
    const before = input.beforeSeq ?? null;
    const window: SeqWindow = { after, before };
    // Older entries exist below the window's start; newer ones (backwards pages only: forwards,
    // the extra row says it) from the window's end on.
    const older = after > 0 ? { after: 0, before: after + 1 } : null;
    const seqOf = (row: RawEntry | undefined): number | undefined =>
      row === undefined ? undefined : Number(row[0]);

    if (before === null) {
      const { rows, hasOlder } = await this.pageRows(taskId, filter, window, 'asc', limit + 1, {
        older,
        newer: null,
      });
      const entries = rows.slice(0, limit);
      return {
        entries,
        nextCursor: rows.length > limit ? seqOf(entries[entries.length - 1])! : null,
        prevCursor: hasOlder ? (seqOf(entries[0]) ?? after + 1) : null,
      };
    }

    const newer = { after: Math.max(0, before - 1), before: null };
    const { rows, hasOlder, hasNewer } = await this.pageRows(
      taskId,
      filter,
      window,
      'desc',
      limit + 1,
      { older, newer },
    );
    const entries = rows.slice(0, limit).reverse();
    return {
      entries,
      nextCursor: hasNewer ? (seqOf(entries[entries.length - 1]) ?? Math.max(0, before - 1)) : null,
      prevCursor: rows.length > limit || hasOlder ? (seqOf(entries[0]) ?? after + 1) : null,
    };
  }

  /** Every matching entry in ascending seq, in keyset chunks (for downloads). */
  async *streamEntries(
    taskId: string,
    input: LogRangeInput,
    chunkSize = STREAM_CHUNK,
  ): AsyncGenerator<LogEntry[], void, undefined> {
    const filter = parseLogFilter(input);
    const window: SeqWindow = { after: input.afterSeq ?? 0, before: input.beforeSeq ?? null };
    for (;;) {
      const rows = await this.rows(taskId, filter, window, 'asc', chunkSize);
      if (rows.length === 0) return;
      const chunk = rows.map((row) => toLogEntry(taskId, row));
      yield chunk;
      if (rows.length < chunkSize) return;
      window.after = chunk[chunk.length - 1].seq;
    }
  }

  /** The highest seq stored for the task; 0 when it has none. */
  async lastSeq(taskId: string): Promise<number> {
    const [row] = await this.prepared<{ seq: string | null }>(LAST_SEQ_SQL, [taskId]);
    return Number(row?.seq ?? 0);
  }

  /** From the counters only: never scans the log. */
  async stats(taskId: string): Promise<LogStats> {
    return statsOfCounters(await this.prepared<CounterRow>(STATS_SQL, [taskId]));
  }

  /** The task's distinct sources, sorted (code unit order, as the console sorts). */
  async sources(taskId: string): Promise<string[]> {
    const rows: { source: string }[] = await this.counters.query(
      'SELECT DISTINCT source FROM task_log_counters WHERE task_id = $1',
      [taskId],
    );
    return rows.map((row) => row.source).sort();
  }

  private async rows(
    taskId: string,
    filter: LogFilter,
    window: SeqWindow,
    direction: 'asc' | 'desc',
    limit: number,
  ): Promise<RawEntry[]> {
    const { sql, params } = entriesQuery(taskId, filter, window, direction, limit);
    return this.query<RawEntry>(sql, params, filter, TEXT_ROWS);
  }

  /**
   * Runs a log read. Without a search it is a named prepared statement: PostgreSQL parses and plans
   * each shape once per connection instead of on every page (about half of a page's time). A
   * search stays unnamed, so that each pattern gets a plan made for it (trigram index or not).
   */
  private async query<T>(
    sql: string,
    params: unknown[],
    filter: LogFilter,
    mode: RowMode = OBJECTS,
  ): Promise<T[]> {
    if (filter.search !== null) return this.search<T>(sql, params, mode);
    return this.prepared<T>(sql, params, mode);
  }

  /**
   * A search, planned with SEARCH_RANDOM_PAGE_COST: at the default 4.0 (spinning disks) the planner
   * walks the task in seq order rather than fetch the trigram index's few matches from the heap,
   * for needles as rare as 0.1 % (100 ms instead of a few on a million-entry task).
   */
  private async search<T>(sql: string, params: unknown[], mode: RowMode): Promise<T[]> {
    const client = await this.pool().connect();
    let broken: Error | undefined;
    try {
      await client.query('BEGIN');
      await client.query(`SET LOCAL random_page_cost = ${SEARCH_RANDOM_PAGE_COST}`);
      const result = await client.query<T & QueryResultRow>({ text: sql, values: params, ...mode });
      await client.query('COMMIT');
      return result.rows;
    } catch (error) {
      await client.query('ROLLBACK').catch((rollback: Error) => (broken = rollback));
      throw error;
    } finally {
      client.release(broken);
    }
  }

  /** Runs `sql` as a named prepared statement on a pool connection (see query). */
  private async prepared<T>(sql: string, params: unknown[], mode: RowMode = OBJECTS): Promise<T[]> {
    const result = await this.pool().query<T & QueryResultRow>({
      name: statementName(sql),
      text: sql,
      values: params,
      ...mode,
    });
    return result.rows;
  }

  /** TypeORM's pg pool: reads take a connection for one statement, without a query runner. */
  private pool(): Pool {
    return (this.entries.manager.connection.driver as PostgresDriver).master as Pool;
  }

  /** A page's rows (in `direction` order, as text) and its probes, in one round trip. */
  private async pageRows(
    taskId: string,
    filter: LogFilter,
    window: SeqWindow,
    direction: 'asc' | 'desc',
    limit: number,
    probes: PageProbes,
  ): Promise<{ rows: RawEntry[]; hasOlder: boolean; hasNewer: boolean }> {
    const { sql, params } = pageQuery(taskId, filter, window, direction, limit, probes);
    // [has_older, has_newer, ...the entry]: see pageQuery; the entry is all null on an empty page.
    const result = await this.query<RawPageRow>(sql, params, filter, TEXT_ROWS);
    const first = result[0];
    return {
      rows: result.filter((row) => row[2] !== null).map((row) => row.slice(2) as RawEntry),
      hasOlder: first?.[0] === 't',
      hasNewer: first?.[1] === 't',
    };
  }
}

const statementNames = new Map<string, string>();

/**
 * Name of the prepared statement for `sql`: one per statement shape (filters present, direction,
 * probes; values are parameters), so a connection holds a few dozen at most, and so does the map.
 */
function statementName(sql: string): string {
  let name = statementNames.get(sql);
  if (name === undefined) {
    name = `taskdeck_log_${createHash('sha1').update(sql).digest('hex').slice(0, 20)}`;
    statementNames.set(sql, name);
  }
  return name;
}

function clampLimit(limit: number | undefined): number {
  if (limit === undefined || !Number.isFinite(limit)) return LOG_PAGE_DEFAULT_LIMIT;
  return Math.min(LOG_PAGE_MAX_LIMIT, Math.max(1, Math.trunc(limit)));
}
