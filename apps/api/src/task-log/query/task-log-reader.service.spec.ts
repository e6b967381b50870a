// Queries of the stored log against a real Postgres: filters, keyset paging both ways, stats from
// the counters, streaming, deletion in the caller's transaction, and the indexes the plans use.
import { LOG_LEVELS, type LogEntry } from '@taskdeck/contracts';
import { TaskLogCounterEntity } from '../entities/task-log-counter.entity';
import { TaskLogEntryEntity } from '../entities/task-log-entry.entity';
import { entriesQuery } from './log-entries-query';
import { parseLogFilter } from './log-filter';
import { TaskLogReader, statsOfCounters, type LogPageInput } from './task-log-reader.service';
import {
  createMigratedDatabase,
  mustSkipWithoutPostgres,
  type TestDatabase,
} from '../testing/pg-test-database';

const TASK = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';
const OTHER = '0b7f5c1e-2a3d-4e5f-8a9b-0c1d2e3f4a5b';
const COUNT = 2400;
const BIG = 'a5c2e0f1-3b4d-4c6e-9f8a-7b6c5d4e3f2a';

/** COUNT entries: source alpha/beta/gamma, level i % 4, some LOUD, some with %, _ and \ in them. */
async function seed(db: TestDatabase, taskId: string, count: number): Promise<void> {
  await db.client.query(
    `INSERT INTO task_log_entries (task_id, seq, ts, level, source, message, metadata)
     SELECT $1, i + 1, timestamptz '2026-11-25 06:00:00+00' + i * interval '1 millisecond', i % 4,
            (ARRAY['alpha', 'beta', 'gamma'])[i % 3 + 1],
            CASE WHEN i % 50 = 3 THEN 'LOUD Entry #' ELSE 'entry #' END || i
              || CASE WHEN i % 100 = 7 THEN ' 100% done_ok C:\\temp' ELSE '' END,
            CASE WHEN i % 10 = 0 THEN jsonb_build_object('i', i) END
     FROM generate_series(0, $2::int - 1) AS i`,
    [taskId, count],
  );
  await db.client.query(
    `INSERT INTO task_log_counters
     SELECT task_id, level, source, count(*) FROM task_log_entries WHERE task_id = $1 GROUP BY 1, 2, 3`,
    [taskId],
  );
}

const SUITE = 'TaskLogReader (Postgres)';

(mustSkipWithoutPostgres(SUITE) ? describe.skip : describe)(SUITE, () => {
  let db: TestDatabase;
  let logs: TaskLogReader;
  let all: LogEntry[];

  /** Every page forward from the cursor, checking page size. */
  async function readForward(filter: LogPageInput, limit: number): Promise<LogEntry[]> {
    const out: LogEntry[] = [];
    let afterSeq = 0;
    for (;;) {
      const page = await logs.page(TASK, { ...filter, limit, afterSeq });
      expect(page.items.length).toBeLessThanOrEqual(limit);
      out.push(...page.items);
      if (page.nextCursor === null) return out;
      expect(page.nextCursor).toBe(page.items[page.items.length - 1].seq);
      afterSeq = page.nextCursor;
    }
  }

  const rank = (e: LogEntry) => LOG_LEVELS.indexOf(e.level);

  beforeAll(async () => {
    db = await createMigratedDatabase('tl_persist');
    logs = new TaskLogReader(
      db.dataSource.getRepository(TaskLogEntryEntity),
      db.dataSource.getRepository(TaskLogCounterEntity),
    );
    await db.client.query(
      `INSERT INTO tasks (id, plugin_id, status) VALUES ($1, 'debug', 'SUCCESS')`,
      [TASK],
    );
    await seed(db, TASK, COUNT);
    await seed(db, OTHER, 50);
    all = await readForward({}, 1000);
  }, 60_000);

  afterAll(async () => {
    await db?.drop();
  }, 60_000);

  it('returns the contract shape, ascending and dense', async () => {
    expect(all.map((e) => e.seq)).toEqual(Array.from({ length: COUNT }, (_, i) => i + 1));
    expect(all[0]).toEqual({
      taskId: TASK,
      seq: 1,
      timestamp: '2026-11-25T06:00:00.000Z',
      level: 'DEBUG',
      source: 'alpha',
      message: 'entry #0',
      metadata: { i: 0 },
    });
    expect(all[1].metadata).toBeNull();
    // Formatted by PostgreSQL: UTC, milliseconds, as Date.toISOString would write it.
    expect(all[1234].timestamp).toBe('2026-11-25T06:00:01.234Z');
    expect(all[1234].timestamp).toBe(
      new Date(Date.parse('2026-11-25T06:00:00Z') + 1234).toISOString(),
    );
    const first = await logs.page(TASK, {});
    expect(first.items).toHaveLength(100);
    expect(first.nextCursor).toBe(100);
    expect(first.prevCursor).toBeNull();
  });

  it('filters by minimum level, source(s) and search, alone and combined', async () => {
    const check = async (filter: LogPageInput, keep: (e: LogEntry) => boolean) => {
      const want = all.filter(keep).map((e) => e.seq);
      expect((await readForward(filter, 333)).map((e) => e.seq)).toEqual(want);
      return want.length;
    };
    for (const level of LOG_LEVELS) {
      await check({ level }, (e) => rank(e) >= LOG_LEVELS.indexOf(level));
    }
    expect(await check({ source: 'beta' }, (e) => e.source === 'beta')).toBe(COUNT / 3);
    expect(await check({ source: 'alpha,gamma' }, (e) => e.source !== 'beta')).toBe(
      (2 * COUNT) / 3,
    );
    expect(await check({ source: ['gamma', 'alpha'] }, (e) => e.source !== 'beta')).toBe(
      (2 * COUNT) / 3,
    );
    expect(await check({ source: 'nobody' }, () => false)).toBe(0);
    expect(
      await check({ search: 'loud entry' }, (e) => e.message.startsWith('LOUD')),
    ).toBeGreaterThan(0);
    for (const needle of ['100%', 'done_ok', 'C:\\temp', '%', '_', '\\']) {
      const hits = await check({ search: needle }, (e) => e.message.includes(needle));
      expect(hits).toBe(COUNT / 100);
    }
    expect(await check({ search: "' OR 1=1 --" }, () => false)).toBe(0);
    const combined = await check(
      { level: 'WARNING', source: 'alpha,beta', search: '#1' },
      (e) => rank(e) >= 2 && e.source !== 'gamma' && e.message.includes('#1'),
    );
    expect(combined).toBeGreaterThan(10);
  });

  it('pages backwards with beforeSeq and prevCursor, missing and repeating nothing', async () => {
    const filter: LogPageInput = { level: 'INFO', source: 'alpha,gamma' };
    const want = all.filter((e) => rank(e) >= 1 && e.source !== 'beta').map((e) => e.seq);
    const got: number[] = [];
    let beforeSeq = Number.MAX_SAFE_INTEGER;
    for (;;) {
      const page = await logs.page(TASK, { ...filter, limit: 41, beforeSeq });
      const seqs = page.items.map((e) => e.seq);
      expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
      got.unshift(...seqs);
      if (page.prevCursor === null) break;
      expect(page.prevCursor).toBe(seqs[0]);
      beforeSeq = page.prevCursor;
    }
    expect(got).toEqual(want);
  });

  it('sets both cursors around a page in the middle, and past either end', async () => {
    const middle = await logs.page(TASK, { afterSeq: 1000, limit: 10 });
    expect(middle.items.map((e) => e.seq)).toEqual([
      1001, 1002, 1003, 1004, 1005, 1006, 1007, 1008, 1009, 1010,
    ]);
    expect(middle.nextCursor).toBe(1010);
    expect(middle.prevCursor).toBe(1001);

    const tail = await logs.page(TASK, { beforeSeq: 1001, limit: 10 });
    expect(tail.items.map((e) => e.seq)).toEqual([
      991, 992, 993, 994, 995, 996, 997, 998, 999, 1000,
    ]);
    expect(tail.prevCursor).toBe(991);
    expect(tail.nextCursor).toBe(1000);

    const last = await logs.page(TASK, { beforeSeq: Number.MAX_SAFE_INTEGER, limit: 5 });
    expect(last.items.map((e) => e.seq)).toEqual([2396, 2397, 2398, 2399, 2400]);
    expect(last.nextCursor).toBeNull();

    const pastEnd = await logs.page(TASK, { afterSeq: COUNT });
    expect(pastEnd).toEqual({ items: [], nextCursor: null, prevCursor: COUNT + 1 });
    const beforeStart = await logs.page(TASK, { beforeSeq: 1 });
    expect(beforeStart).toEqual({ items: [], nextCursor: 0, prevCursor: null });
    const window = await logs.page(TASK, { afterSeq: 10, beforeSeq: 20, limit: 3 });
    expect(window.items.map((e) => e.seq)).toEqual([17, 18, 19]);
    expect(window).toMatchObject({ nextCursor: 19, prevCursor: 17 });
  });

  it('answers stats and sources from the counters', async () => {
    const stats = await logs.stats(TASK);
    expect(stats.total).toBe(COUNT);
    expect(stats.byLevel).toEqual({
      DEBUG: COUNT / 4,
      INFO: COUNT / 4,
      WARNING: COUNT / 4,
      ERROR: COUNT / 4,
    });
    expect(stats.bySource).toEqual({ alpha: COUNT / 3, beta: COUNT / 3, gamma: COUNT / 3 });
    expect(await logs.sources(TASK)).toEqual(['alpha', 'beta', 'gamma']);
    const unknown = '11111111-2222-4333-8444-555555555555';
    expect(await logs.stats(unknown)).toEqual({
      total: 0,
      byLevel: { DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0 },
      bySource: {},
    });
    expect(await logs.sources(unknown)).toEqual([]);
  });

  it('knows the highest seq stored for a task', async () => {
    expect(await logs.lastSeq(TASK)).toBe(COUNT);
    expect(await logs.lastSeq(OTHER)).toBe(50);
    expect(await logs.lastSeq('00000000-0000-4000-8000-000000000000')).toBe(0);
  });

  it('streams every matching entry in keyset chunks', async () => {
    const chunks: LogEntry[][] = [];
    for await (const chunk of logs.streamEntries(TASK, { source: 'beta', afterSeq: 100 }, 300)) {
      chunks.push(chunk);
    }
    expect(chunks.map((c) => c.length)).toEqual([300, 300, 167]);
    expect(chunks.flat()).toEqual(all.filter((e) => e.source === 'beta' && e.seq > 100));
  });

  describe('query plans on a larger task', () => {
    beforeAll(async () => {
      await seed(db, BIG, 60_000);
      await db.client.query('ANALYZE task_log_entries');
    }, 60_000);

    const plan = async (
      filter: Parameters<typeof parseLogFilter>[0],
      window = { after: 30_000, before: null },
    ) => {
      const { sql, params } = entriesQuery(BIG, parseLogFilter(filter), window, 'asc', 101);
      const rows = (await db.client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params)).rows;
      return rows.map((r) => r['QUERY PLAN']).join('\n');
    };

    it('pages by the primary key, never scanning the table', async () => {
      const text = await plan({});
      expect(text).toContain('task_log_entries_pkey');
      expect(text).not.toMatch(/Seq Scan|Sort/);
    });

    it('serves WARNING and ERROR from the partial index', async () => {
      expect(await plan({ level: 'WARNING' })).toContain('task_log_entries_warning_idx');
      expect(await plan({ level: 'ERROR' })).toContain('task_log_entries_warning_idx');
    });

    it('serves sources from the (task_id, source, seq) index', async () => {
      expect(await plan({ source: 'beta' })).toContain('task_log_entries_source_idx');
      const several = await plan({ source: 'alpha,beta' });
      expect(several).toContain('task_log_entries_source_idx');
      expect(several).not.toContain('Seq Scan');
    });

    it('can serve a search from the trigram index', async () => {
      const text = await plan({ search: 'entry #12345' }, { after: 0, before: null });
      expect(text).toContain('task_log_entries_message_trgm_idx');
    });
  });
});

describe('statsOfCounters', () => {
  it('sums the counter rows by level and by source, counts given as bigint text', () => {
    expect(
      statsOfCounters([
        { level: 0, source: 'git', count: '3' },
        { level: 3, source: 'git', count: '2' },
        { level: 1, source: 'storage', count: '9007199254740' },
        { level: 0, source: 'storage', count: '1' },
      ]),
    ).toEqual({
      total: 9007199254746,
      byLevel: { DEBUG: 4, INFO: 9007199254740, WARNING: 0, ERROR: 2 },
      bySource: { git: 5, storage: 9007199254741 },
    });
  });

  it('answers zeros for a task without counters', () => {
    expect(statsOfCounters([])).toEqual({
      total: 0,
      byLevel: { DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0 },
      bySource: {},
    });
  });
});
