// The planner's choice for a search page, on a real Postgres: a rare needle is found through the
// trigram index, a common one by walking the task in seq order. Both depend on the estimate of the
// ILIKE's selectivity, which the message column's 1,000-bucket histogram (migration
// MessageStatistics) keeps near the truth, and on the cost of a heap page fetched in index order
// (SEARCH_RANDOM_PAGE_COST).
import { pageQuery } from './log-entries-query';
import { parseLogFilter } from './log-filter';
import { SEARCH_RANDOM_PAGE_COST } from './task-log-reader.service';
import {
  createMigratedDatabase,
  mustSkipWithoutPostgres,
  type TestDatabase,
} from '../testing/pg-test-database';

const SUITE = 'search plans (Postgres)';
const TASK = '00000000-0000-4000-8000-000000005ea1';
const ROWS = 100_000;

(mustSkipWithoutPostgres(SUITE) ? describe.skip : describe)(SUITE, () => {
  let db: TestDatabase;

  beforeAll(async () => {
    db = await createMigratedDatabase('tl_search_plan');
    // One task of ROWS entries, 0.1 % of them with the needle, plus as many spread over 100 others.
    await db.client.query(
      `INSERT INTO task_log_entries (task_id, seq, ts, level, source, message)
       SELECT task, seq, now(), 1, 'worker',
              CASE WHEN (seq * 7919) % 1000 = 0 THEN 'lease conflict on shard ' || seq % 64
                   ELSE 'processed batch ' || (seq * 104729) % 100000 || ' of job ' || seq % 977 END
       FROM (SELECT CASE WHEN g <= $2 THEN $1::uuid
                         ELSE ('00000000-0000-4000-8000-' || lpad(((g - $2) % 100 + 1)::text, 12, '0'))::uuid END AS task,
                    CASE WHEN g <= $2 THEN g ELSE (g - $2) / 100 + 1 END AS seq
             FROM generate_series(1, 2 * $2::bigint) AS g) AS rows`,
      [TASK, ROWS],
    );
    await db.client.query('ANALYZE task_log_entries');
  }, 120_000);
  afterAll(async () => {
    await db?.drop();
  }, 60_000);

  const plan = async (search: string): Promise<string> => {
    const { sql, params } = pageQuery(
      TASK,
      parseLogFilter({ search }),
      { after: 0, before: null },
      'asc',
      101,
      { older: null, newer: null },
    );
    // As TaskLogReader plans a search.
    await db.client.query('BEGIN');
    try {
      await db.client.query(`SET LOCAL random_page_cost = ${SEARCH_RANDOM_PAGE_COST}`);
      const rows = await db.client.query<{ 'QUERY PLAN': string }>(`EXPLAIN ${sql}`, params);
      return rows.rows.map((r) => r['QUERY PLAN']).join('\n');
    } finally {
      await db.client.query('COMMIT');
    }
  };

  it('keeps the fine histogram on message', async () => {
    const { rows } = await db.client.query<{ target: number }>(
      `SELECT attstattarget AS target FROM pg_attribute
       WHERE attrelid = 'task_log_entries'::regclass AND attname = 'message'`,
    );
    expect(rows[0].target).toBe(1000);
  });

  it('finds a rare needle through the trigram index', async () => {
    expect(await plan('lease conflict')).toContain('task_log_entries_message_trgm_idx');
  });

  it('walks the task in seq order for a needle most entries have', async () => {
    const common = await plan('processed batch');
    expect(common).not.toContain('task_log_entries_message_trgm_idx');
    expect(common).toContain('task_log_entries_pkey');
  });
});
