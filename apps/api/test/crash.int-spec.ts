// The crash test (issue 16): SIGKILL while 8 tasks log, restart, and count what was lost — the
// entries the server had accepted (counted inside the server by a preloaded fixture, written just
// before it kills itself) against the entries stored after the restart. The loss must stay within
// one flush window's worth: no more than what was accepted after the last successful commit began
// (the window as it really was, T plus the commit's own time, so a slow disk does not fail it), and
// no more than what was held only in memory at the kill (neither committed nor written to the
// spill: the memory queue holds at most two batches, every batch takes it whole, and the spill's
// pending chunk is written before each batch forms — docs/architecture.md, "Durability"). What was
// in the spill is replayed at the restart, before the tasks are marked FAILED, so that the restart
// line stays the last. The interrupted tasks must end FAILED with the restart reason.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogPage, LogStats, LoginResponse, Task } from '@taskdeck/contracts';
import { RESTART_ERROR } from '../src/task-manager/task-outcome';
import { ApiClient, waitFor } from './utils/api-client';
import { startServerProcess, type ServerProcess } from './utils/server-process';
import { startTask, waitForStatus } from './utils/tasks';
import { createTestDatabase, dropTestDatabase } from './utils/test-database';
import { TEST_ADMIN } from './utils/test-app';

const TASKS = 8;
const FLUSH_MS = 20;

interface CrashReport {
  accepted: Record<string, number>;
  waitingInBuffer: number;
  volatileAtKill: number;
  spilledTotal: number;
  inSpillAtKill: number;
  shedByOverflow: number;
  acceptedSinceLastCommitBegan: number;
  msSinceLastCommitBegan: number;
  acceptedInLastWindow: number;
  acceptedInLastSecond: number;
}

interface CrashFigure {
  accepted: number;
  stored: number;
  lost: number;
  report: CrashReport;
}

async function admin(server: ServerProcess): Promise<ApiClient> {
  const res = await new ApiClient(server.url).post<LoginResponse>('/api/auth/login', TEST_ADMIN);
  return new ApiClient(server.url, res.body.accessToken);
}

/** Runs 8 emit tasks (paced at `ratePerTask` entries/s, or as fast as they can), kills, restarts. */
async function crashWhileLogging(
  databaseUrl: string,
  ratePerTask: number | undefined,
): Promise<{ figure: CrashFigure; server: ServerProcess }> {
  const workDir = await mkdtemp(join(tmpdir(), 'taskdeck-crash-'));
  const reportFile = join(workDir, 'report.json');
  const env = {
    // The restart uses the same data directory: its spill is replayed.
    DATA_DIR: join(workDir, 'data'),
    TASK_CONCURRENCY: String(TASKS),
    TASK_LOG_FLUSH_MS: String(FLUSH_MS),
    CRASH_REPORT_FILE: reportFile,
  };
  const first = await startServerProcess({
    databaseUrl,
    env,
    nodeArgs: ['-r', join(__dirname, 'fixtures/count-accepted-entries.cjs')],
  });
  const client = await admin(first);
  expect((await client.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' })).status).toBe(200);
  const tasks: Task[] = [];
  for (let i = 0; i < TASKS; i++) {
    const pace = ratePerTask ? { ratePerSecond: ratePerTask } : {};
    tasks.push(
      await startTask(client, 'debug', {
        action: 'emit',
        count: 1_000_000,
        sources: [`t${i}`],
        ...pace,
      }),
    );
  }
  for (const task of tasks) await waitForStatus(client, task.id, ['RUNNING']);
  // The crash comes in the middle of the stream, once every task has stored something.
  await waitFor(
    async () => {
      const totals = await Promise.all(
        tasks.map(
          async (t) => (await client.get<LogStats>(`/api/tasks/${t.id}/logs/stats`)).body.total,
        ),
      );
      return totals.every((n) => n > 3_000) ? true : undefined;
    },
    60_000,
    'every task to have stored 3,000 entries',
  );
  first.child.kill('SIGUSR2');
  await first.exited;
  expect(first.child.signalCode).toBe('SIGKILL');
  const report = JSON.parse(await readFile(reportFile, 'utf8')) as CrashReport;

  const server = await startServerProcess({ databaseUrl, env });
  const after = await admin(server);
  let accepted = 0;
  let stored = 0;
  for (const task of tasks) {
    const failed = await waitForStatus(after, task.id, ['FAILED'], 30_000);
    expect(failed.error).toContain(RESTART_ERROR);
    const total = (await after.get<LogStats>(`/api/tasks/${task.id}/logs/stats`)).body.total;
    // The restart adds one line to each interrupted task's log; what was stored before is the rest.
    const last = await after.get<LogPage>(
      `/api/tasks/${task.id}/logs?beforeSeq=${Number.MAX_SAFE_INTEGER}&limit=1`,
    );
    expect(last.body.items[0]?.message).toContain(RESTART_ERROR);
    accepted += report.accepted[task.id] ?? 0;
    stored += total - 1;
  }
  const figure = { accepted, stored, lost: accepted - stored, report };
  process.stdout.write(
    `\n[crash] ${TASKS} tasks ${ratePerTask ? `at ${ratePerTask} entries/s each` : 'at full rate'}: ` +
      `accepted ${accepted}, stored ${stored}, lost ${figure.lost}; accepted since the last commit began ` +
      `${report.acceptedSinceLastCommitBegan} (${report.msSinceLastCommitBegan} ms before the kill), in the last ` +
      `${FLUSH_MS} ms ${report.acceptedInLastWindow}, in the last second ${report.acceptedInLastSecond}; ` +
      `waiting ${report.waitingInBuffer}, of which only in memory ${report.volatileAtKill} and in the spill ${report.inSpillAtKill} ` +
      `(spilled in all ${report.spilledTotal}); shed by overflow before the kill ${report.shedByOverflow}\n`,
  );
  return { figure, server };
}

describe('crash while 8 tasks log', () => {
  let databaseUrl: string;
  const servers: ServerProcess[] = [];

  beforeEach(async () => {
    databaseUrl = await createTestDatabase();
  });
  afterEach(async () => {
    for (const server of servers.splice(0)) await server.kill('SIGTERM');
    await dropTestDatabase(databaseUrl);
  });

  it('at a rate the database keeps up with (8 × 1,500/s): loses at most one flush window; tasks FAILED with the restart reason', async () => {
    const { figure, server } = await crashWhileLogging(databaseUrl, 1_500);
    servers.push(server);
    expectWithinDesign(figure);
  });

  // At full rate 8 tasks could log ~300k entries/s against a commit rate of ~20–40k/s: debug emit
  // awaits context.yield(), so they go no faster than the log is stored; what overshoots goes to
  // the spill. Nothing is shed, and the kill loses only what was in memory.
  it('at full rate: loses at most one flush window; tasks FAILED with the restart reason', async () => {
    const { figure, server } = await crashWhileLogging(databaseUrl, undefined);
    servers.push(server);
    expectWithinDesign(figure);
  });
});

function expectWithinDesign(figure: CrashFigure): void {
  expect(figure.report.shedByOverflow).toBe(0);
  expect(figure.lost).toBeGreaterThanOrEqual(0);
  expect(figure.lost).toBeLessThanOrEqual(figure.report.acceptedSinceLastCommitBegan);
  expect(figure.lost).toBeLessThanOrEqual(figure.report.volatileAtKill);
}
