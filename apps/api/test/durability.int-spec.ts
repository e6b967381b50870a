// History survives a crash, a task left RUNNING by a crash ends FAILED, and a database that goes
// away for a while under a running task loses no entry.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { LogEntry, Task } from '@taskdeck/contracts';
import {
  findFreePort,
  startEmbeddedPostgres,
  type EmbeddedPostgresHandle,
} from '../src/database/embedded-postgres';
import { ApiClient, waitFor } from './utils/api-client';
import { adminClient, startServerProcess } from './utils/server-process';
import { createTestDatabase, dropTestDatabase } from './utils/test-database';
import { startTestApp, type TestApp } from './utils/test-app';
import { range, readAllLogs, startTask, waitForStatus } from './utils/tasks';

describe('restart on the same database', () => {
  let databaseUrl: string;
  let app: TestApp | undefined;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });
  afterAll(async () => {
    await app?.close();
    await dropTestDatabase(databaseUrl);
  });

  it('serves finished logs after a crash, marks the task that was RUNNING as FAILED and runs the PENDING one', async () => {
    const first = await startServerProcess({ databaseUrl, env: { TASK_CONCURRENCY: '1' } });
    let finished: Task;
    let finishedLog: LogEntry[];
    let running: Task;
    let pending: Task;
    try {
      const client = await adminClient(first.url);
      finished = await startTask(client, 'debug', {
        action: 'emit',
        count: 500,
        sources: ['a', 'b'],
      });
      await waitForStatus(client, finished.id, ['SUCCESS']);
      finishedLog = await readAllLogs(client, finished.id);
      running = await startTask(client, 'debug', { action: 'sleep', ms: 600_000 });
      await waitForStatus(client, running.id, ['RUNNING']);
      // Behind it in the queue (one task at a time): it must survive the crash.
      pending = await startTask(client, 'debug', { action: 'sleep', ms: 10 });
    } finally {
      await first.kill('SIGKILL'); // a crash: no shutdown hooks run
    }

    app = await startTestApp({ databaseUrl });
    const client = await adminClient(app.url);
    expect(await readAllLogs(client, finished.id)).toEqual(finishedLog);
    const after = await waitForStatus(client, running.id, ['FAILED'], 15_000);
    expect(after.error).toMatch(/interrupted by server restart/);
    expect(after.finishedAt).not.toBeNull();
    const log = await readAllLogs(client, running.id);
    expect(log.map((e) => e.seq)).toEqual(range(1, log.length));
    expect(log.some((e) => e.level === 'ERROR' && /restart/.test(e.message))).toBe(true);
    const ran = await waitForStatus(client, pending.id, ['SUCCESS', 'FAILED', 'CANCELLED']);
    expect(ran.status).toBe('SUCCESS');
  });
});

describe('database unreachable under a running task', () => {
  let pg: EmbeddedPostgresHandle;
  let dataDir: string;
  let port: number;
  let app: TestApp | undefined;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-outage-pg-'));
    port = await findFreePort();
    pg = await startEmbeddedPostgres({ dataDir, port });
  });
  afterAll(async () => {
    await app?.close().catch(() => undefined);
    await pg.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('keeps entries while the database is down and stores every one once it is back', async () => {
    app = await startTestApp({ databaseUrl: pg.url, env: { TASK_LOG_FLUSH_MS: '10' } });
    const client = new ApiClient(app.url, await app.tokenFor('operator'));
    const admin = new ApiClient(app.url, await app.tokenFor('admin'));
    expect((await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' })).status).toBe(
      200,
    );
    const COUNT = 3000;
    const task = await startTask(client, 'debug', {
      action: 'emit',
      count: COUNT,
      intervalMs: 2,
      sources: ['x'],
    });
    await waitFor(async () => {
      const res = await client.get<{ total: number }>(`/api/tasks/${task.id}/logs/stats`);
      return res.body.total > 100 ? true : undefined;
    });

    await pg.stop();
    await new Promise((r) => setTimeout(r, 3000));
    const health = await fetch(`${app.url}/api/health`);
    expect(health.status).toBe(503);
    pg = await startEmbeddedPostgres({ dataDir, port });

    await waitForStatus(client, task.id, ['SUCCESS'], 90_000);
    const log = await readAllLogs(client, task.id);
    expect(log.map((e) => e.seq)).toEqual(range(1, log.length));
    const emitted = log
      .filter((e) => e.source === 'x')
      .map((e) => Number(/#(\d+)/.exec(e.message)?.[1]));
    expect(emitted).toEqual(range(0, COUNT - 1));
  });
});
