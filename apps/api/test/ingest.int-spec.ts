// A debug emit of 100,000 entries over 3 sources: everything stored, seq exactly 1..100,000 for the
// emitted entries' span, and the per-task counters equal to a GROUP BY of the rows.
import type { LogStats } from '@taskdeck/contracts';
import { ApiClient } from './utils/api-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { startTask, waitForStatus } from './utils/tasks';

const COUNT = 100_000;
const SOURCES = ['superset_api', 'git', 'storage'];
const LEVELS = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];

describe('ingest of a 100,000-entry task', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp();
    // emit writes all four levels; store DEBUG too.
    const admin = new ApiClient(t.url, await t.tokenFor('admin'));
    expect((await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' })).status).toBe(
      200,
    );
  });
  afterAll(() => t.close());

  it('stores every entry with a dense seq and exact counters', async () => {
    const operator = new ApiClient(t.url, await t.tokenFor('operator'));
    const task = await startTask(operator, 'debug', {
      action: 'emit',
      count: COUNT,
      sources: SOURCES,
    });
    await waitForStatus(operator, task.id, ['SUCCESS'], 180_000);

    const [span] = await t.dataSource.query<
      { n: string; min: string; max: string; distinct: string }[]
    >(
      `SELECT count(*) AS n, min(seq) AS min, max(seq) AS max, count(DISTINCT seq) AS distinct
       FROM task_log_entries WHERE task_id = $1`,
      [task.id],
    );
    const total = Number(span.n);
    expect(Number(span.min)).toBe(1);
    expect(Number(span.max)).toBe(total);
    expect(Number(span.distinct)).toBe(total);

    // The emitted entries: exactly COUNT, #0..#COUNT-1, with the contract's source and level cycle.
    const emitted = await t.dataSource.query<
      { seq: string; level: number; source: string; i: string }[]
    >(
      `SELECT seq, level, source, substring(message from '#([0-9]+)') AS i
       FROM task_log_entries WHERE task_id = $1 AND source = ANY($2) ORDER BY seq`,
      [task.id, SOURCES],
    );
    expect(emitted).toHaveLength(COUNT);
    let previousSeq = 0;
    emitted.forEach((row, index) => {
      expect(Number(row.i)).toBe(index);
      expect(row.source).toBe(SOURCES[index % 3]);
      expect(row.level).toBe(index % 4);
      expect(Number(row.seq)).toBeGreaterThan(previousSeq);
      previousSeq = Number(row.seq);
    });

    // Counters equal a GROUP BY of the rows, and the stats route says the same.
    const grouped = await t.dataSource.query<{ level: number; source: string; n: string }[]>(
      `SELECT level, source, count(*) AS n FROM task_log_entries WHERE task_id = $1 GROUP BY 1, 2 ORDER BY 1, 2`,
      [task.id],
    );
    const counters = await t.dataSource.query<{ level: number; source: string; n: string }[]>(
      `SELECT level, source, count AS n FROM task_log_counters WHERE task_id = $1 ORDER BY 1, 2`,
      [task.id],
    );
    expect(counters).toEqual(grouped);

    const stats = (await operator.get<LogStats>(`/api/tasks/${task.id}/logs/stats`)).body;
    expect(stats.total).toBe(total);
    for (const g of grouped) {
      expect(stats.bySource[g.source]).toBeGreaterThanOrEqual(Number(g.n));
    }
    expect(LEVELS.reduce((sum, l) => sum + stats.byLevel[l as keyof LogStats['byLevel']], 0)).toBe(
      total,
    );
    expect(stats.byLevel.DEBUG).toBeGreaterThanOrEqual(COUNT / 4);
  });
});
