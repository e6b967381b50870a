// Issue 20: a task that logs faster than the database commits, or through a database outage, loses
// nothing — entries past the in-memory queue go to the spill on disk and are committed in order
// once the database takes them; a server killed with entries in the spill replays them at the next
// start. The built server as a child process, against a database behind a proxy that can stall (an
// outage as the server sees one that hangs). Every check counts from the database: all entries
// stored, `seq` dense, the counters equal to a GROUP BY of the rows.
import { mkdtemp, readFile, readdir, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogPage, Task } from '@taskdeck/contracts';
import { Client } from 'pg';
import { RESTART_ERROR } from '../src/task-manager/task-outcome';
import { ApiClient, waitFor } from './utils/api-client';
import { adminClient, startServerProcess, type ServerProcess } from './utils/server-process';
import { startStallingProxy, type StallingProxy } from './utils/stalling-proxy';
import { startTask, waitForStatus } from './utils/tasks';
import { createTestDatabase, dropTestDatabase } from './utils/test-database';

const ENTRIES = 1_000_000;
/** The in-memory bound of the measurements: "longer than the buffer holds" means past it. */
const OLD_BUFFER_ENTRIES = 200_000;
/** A spilled emit entry takes about this many bytes (payload 80 + JSON fields + 8-byte header). */
const MIN_SPILL_BYTES_PER_ENTRY = 150;

interface LogFacts {
  total: number;
  emitted: number;
  minSeq: number;
  maxSeq: number;
  distinctSeqs: number;
  countersMatchRows: boolean;
  droppedNotices: number;
}

async function logFacts(databaseUrl: string, taskId: string): Promise<LogFacts> {
  const db = new Client({ connectionString: databaseUrl });
  await db.connect();
  try {
    const seqs = await db.query<{
      total: string;
      emitted: string;
      min: string;
      max: string;
      distinct: string;
    }>(
      `SELECT count(*) AS total, count(*) FILTER (WHERE source = 'emit') AS emitted,
              min(seq) AS min, max(seq) AS max, count(DISTINCT seq) AS distinct
         FROM task_log_entries WHERE task_id = $1`,
      [taskId],
    );
    // The counters against a GROUP BY of the rows: no difference either way.
    const diff = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM (
         (SELECT level, source, count FROM task_log_counters WHERE task_id = $1
          EXCEPT SELECT level, source, count(*) FROM task_log_entries WHERE task_id = $1 GROUP BY 1, 2)
         UNION ALL
         (SELECT level, source, count(*) FROM task_log_entries WHERE task_id = $1 GROUP BY 1, 2
          EXCEPT SELECT level, source, count FROM task_log_counters WHERE task_id = $1)
       ) d`,
      [taskId],
    );
    const notices = await db.query<{ n: string }>(
      `SELECT count(*) AS n FROM task_log_entries
        WHERE task_id = $1 AND source = 'taskdeck' AND message LIKE '%dropped%'`,
      [taskId],
    );
    const row = seqs.rows[0];
    return {
      total: Number(row.total),
      emitted: Number(row.emitted),
      minSeq: Number(row.min),
      maxSeq: Number(row.max),
      distinctSeqs: Number(row.distinct),
      countersMatchRows: Number(diff.rows[0].n) === 0,
      droppedNotices: Number(notices.rows[0].n),
    };
  } finally {
    await db.end();
  }
}

function expectWhole(facts: LogFacts): void {
  expect(facts.minSeq).toBe(1);
  expect(facts.maxSeq).toBe(facts.total);
  expect(facts.distinctSeqs).toBe(facts.total);
  expect(facts.countersMatchRows).toBe(true);
  expect(facts.droppedNotices).toBe(0);
}

async function spillBytes(dataDir: string): Promise<number> {
  const dir = join(dataDir, 'log-spill');
  let total = 0;
  for (const name of await readdir(dir).catch(() => [] as string[])) {
    if (name.startsWith('seg-')) {
      total += (await stat(join(dir, name)).catch(() => null))?.size ?? 0;
    }
  }
  return total;
}

async function storedTotal(client: ApiClient, taskId: string): Promise<number> {
  return (await client.get<{ total: number }>(`/api/tasks/${taskId}/logs/stats`)).body.total;
}

describe('the task log spill (issue 20)', () => {
  let databaseUrl: string;
  let proxy: StallingProxy;
  let dataDir: string;
  const servers: ServerProcess[] = [];
  const env = (): Record<string, string> => ({
    DATA_DIR: dataDir,
    // The outage must not look like a dead worker: its job keeps its heartbeat for this long.
    TASK_HEARTBEAT_SECONDS: '600',
  });

  beforeEach(async () => {
    databaseUrl = await createTestDatabase();
    proxy = await startStallingProxy(databaseUrl);
    dataDir = join(await mkdtemp(join(tmpdir(), 'taskdeck-spill-')), 'data');
  });
  afterEach(async () => {
    proxy.resume();
    for (const server of servers.splice(0)) await server.kill('SIGTERM');
    await proxy.close();
    await dropTestDatabase(databaseUrl);
  });

  async function emitTask(client: ApiClient, params: Record<string, unknown>): Promise<Task> {
    expect((await client.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' })).status).toBe(
      200,
    );
    return startTask(client, 'debug', {
      action: 'emit',
      count: ENTRIES,
      sources: ['emit'],
      yield: false,
      ...params,
    });
  }

  it('1,000,000 entries at full speed from a task that does not yield: all stored, seq dense, counters exact', async () => {
    const server = await startServerProcess({ databaseUrl: proxy.url, env: env() });
    servers.push(server);
    const client = await adminClient(server.url);
    const task = await emitTask(client, {});
    const done = await waitForStatus(client, task.id, ['SUCCESS', 'FAILED'], 240_000);
    expect(done.status).toBe('SUCCESS');
    const facts = await logFacts(databaseUrl, task.id);
    expect(facts.emitted).toBe(ENTRIES);
    expectWhole(facts);
    // Committed: the spill deleted its segments.
    expect(await spillBytes(dataDir)).toBe(0);
  }, 300_000);

  it('1,000,000 entries with the database stalled for longer than the in-memory queue holds: all stored', async () => {
    const server = await startServerProcess({ databaseUrl: proxy.url, env: env() });
    servers.push(server);
    const client = await adminClient(server.url);
    const task = await emitTask(client, { ratePerSecond: 100_000 });
    await waitFor(
      async () => ((await storedTotal(client, task.id)) > 5_000 ? true : undefined),
      60_000,
      'the first entries to be stored',
    );
    proxy.stall();
    // Past what the buffer held before the spill (200,000 entries), on disk.
    await waitFor(
      async () =>
        (await spillBytes(dataDir)) > 1.5 * OLD_BUFFER_ENTRIES * MIN_SPILL_BYTES_PER_ENTRY
          ? true
          : undefined,
      120_000,
      'the spill to hold more than the old buffer',
    );
    proxy.resume();
    const done = await waitForStatus(client, task.id, ['SUCCESS', 'FAILED'], 240_000);
    expect(done.status).toBe('SUCCESS');
    const facts = await logFacts(databaseUrl, task.id);
    expect(facts.emitted).toBe(ENTRIES);
    expectWhole(facts);
    expect(await spillBytes(dataDir)).toBe(0);
  }, 420_000);

  it('SIGKILL during an outage, then a restart: the spill is replayed before the task is FAILED; only what was in memory is lost', async () => {
    const reportFile = join(dataDir, '..', 'report.json');
    const first = await startServerProcess({
      databaseUrl: proxy.url,
      env: { ...env(), CRASH_REPORT_FILE: reportFile },
      nodeArgs: ['-r', join(__dirname, 'fixtures/count-accepted-entries.cjs')],
    });
    const client = await adminClient(first.url);
    const task = await emitTask(client, { ratePerSecond: 50_000 });
    await waitFor(
      async () => ((await storedTotal(client, task.id)) > 5_000 ? true : undefined),
      60_000,
      'the first entries to be stored',
    );
    proxy.stall();
    await waitFor(
      async () =>
        (await spillBytes(dataDir)) > 100_000 * MIN_SPILL_BYTES_PER_ENTRY ? true : undefined,
      120_000,
      'the spill to hold 100,000 entries',
    );
    first.child.kill('SIGUSR2');
    await first.exited;
    expect(first.child.signalCode).toBe('SIGKILL');
    const report = JSON.parse(await readFile(reportFile, 'utf8')) as {
      accepted: Record<string, number>;
      volatileAtKill: number;
      inSpillAtKill: number;
    };
    proxy.resume();

    const server = await startServerProcess({ databaseUrl, env: env() });
    servers.push(server);
    const after = await adminClient(server.url);
    const failed = await waitForStatus(after, task.id, ['FAILED'], 120_000);
    expect(failed.error).toContain(RESTART_ERROR);
    const facts = await logFacts(databaseUrl, task.id);
    expectWhole(facts);
    const accepted = report.accepted[task.id];
    const stored = facts.total - 1; // the restart's line
    const lost = accepted - stored;
    process.stdout.write(
      `\n[spill] killed in an outage: accepted ${accepted}, in the spill ${report.inSpillAtKill}, only in memory ${report.volatileAtKill}; stored ${stored}, lost ${lost}\n`,
    );
    expect(report.inSpillAtKill).toBeGreaterThan(50_000);
    expect(lost).toBeGreaterThanOrEqual(0);
    expect(lost).toBeLessThanOrEqual(report.volatileAtKill);
    // The restart's line is the last one: the replay came first.
    const last = await after.get<LogPage>(
      `/api/tasks/${task.id}/logs?beforeSeq=${Number.MAX_SAFE_INTEGER}&limit=1`,
    );
    expect(last.body.items[0]?.message).toContain(RESTART_ERROR);
    expect(await spillBytes(dataDir)).toBe(0);
  }, 300_000);
});
