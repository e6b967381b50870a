// One api instance and two workers (built server processes) on one database: every task runs
// exactly once, on a worker, never on the api instance; its live log reaches subscribers on the
// api instance; a worker killed mid-task leaves its tasks FAILED within the stated bound while the
// other worker runs the rest.
import type { Task } from '@taskdeck/contracts';
import { deadWorkerBoundSeconds } from '../src/task-manager/task-job-options';
import { ApiClient, waitFor } from './utils/api-client';
import { runsOf, startCluster, type TestCluster } from './utils/cluster';
import { collector, connect, connected } from './utils/socket-client';
import { createTestDatabase, dropTestDatabase } from './utils/test-database';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';

const HEARTBEAT_SECONDS = 10;
const CONCURRENCY = 4;
const FINAL: Task['status'][] = ['SUCCESS', 'FAILED', 'CANCELLED'];

/** Params of task i of the mixed batch: sleeps of 0–530 ms and bursts of log entries. */
function mixed(i: number): Record<string, unknown> {
  switch (i % 4) {
    case 0:
      return { action: 'sleep', ms: 0 };
    case 1:
      return { action: 'sleep', ms: 50 + (i % 7) * 80 };
    case 2:
      return { action: 'emit', count: 100 + (i % 5) * 200 };
    default:
      return { action: 'emit', count: 20, intervalMs: 10 };
  }
}

async function startAll(client: ApiClient, params: Record<string, unknown>[]): Promise<Task[]> {
  const tasks: Task[] = [];
  for (let i = 0; i < params.length; i += 20) {
    const chunk = params.slice(i, i + 20);
    tasks.push(...(await Promise.all(chunk.map((p) => startTask(client, 'debug', p)))));
  }
  return tasks;
}

describe('one api instance and two workers on one database', () => {
  let databaseUrl: string;
  let cluster: TestCluster;
  let client: ApiClient;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    cluster = await startCluster({
      databaseUrl,
      workers: 2,
      env: { TASK_HEARTBEAT_SECONDS: String(HEARTBEAT_SECONDS) },
      workerEnv: { TASK_CONCURRENCY: String(CONCURRENCY) },
    });
    client = cluster.client;
  });

  afterAll(async () => {
    await cluster?.stop();
    await dropTestDatabase(databaseUrl);
  });

  it('serves only GET /api/health on a worker', async () => {
    const worker = new ApiClient(cluster.workers[0].url);
    expect((await worker.get('/api/health')).status).toBe(200);
    expect((await worker.get('/api/plugins')).status).toBe(404);
    const login = await worker.post('/api/auth/login', { username: 'admin', password: 'x' });
    expect(login.status).toBe(404);
    expect((await worker.get('/')).status).toBe(404);
    const socket = connect(cluster.workers[0].url, 'any-token');
    try {
      await expect(connected(socket)).rejects.toBeDefined();
    } finally {
      socket.close();
    }
  });

  it('runs 200 tasks of mixed length exactly once each, on both workers and never on the api instance', async () => {
    const tasks = await startAll(
      client,
      Array.from({ length: 200 }, (_, i) => mixed(i)),
    );
    expect(new Set(tasks.map((t) => t.status))).toEqual(new Set(['PENDING']));
    for (const task of tasks) {
      expect((await waitForStatus(client, task.id, FINAL, 180_000)).status).toBe('SUCCESS');
    }
    const perInstance = new Map<string, number>();
    for (const task of tasks) {
      const runs = await runsOf(client, task);
      expect({ task: task.id, starts: runs.on.length, ends: runs.ends }).toEqual({
        task: task.id,
        starts: 1,
        ends: 1,
      });
      perInstance.set(runs.on[0], (perInstance.get(runs.on[0]) ?? 0) + 1);
    }
    expect([...perInstance.keys()].sort()).toEqual(['worker-1', 'worker-2']);
    expect(perInstance.get('worker-1')! + perInstance.get('worker-2')!).toBe(200);
  });

  it('streams the log of a task running on a worker to a subscriber on the api instance', async () => {
    const task = await startTask(client, 'debug', { action: 'emit', count: 3000, intervalMs: 1 });
    const subscriber = await collector(cluster.api.url, cluster.token);
    try {
      expect((await subscriber.subscribe({ taskId: task.id, afterSeq: 0 })).ok).toBe(true);
      expect((await waitForStatus(client, task.id, FINAL, 120_000)).status).toBe('SUCCESS');
      const stored = await readAllLogs(client, task.id);
      await waitFor(
        async () => (subscriber.seqs(task.id).length >= stored.length ? true : undefined),
        30_000,
        `${stored.length} entries on the api instance`,
      );
      expect(subscriber.entries.get(task.id)).toEqual(stored);
      expect((await runsOf(client, task)).on[0]).toMatch(/^worker-/);
      expect(
        subscriber.tasks.some((e) => e.task.id === task.id && e.task.status === 'SUCCESS'),
      ).toBe(true);
    } finally {
      subscriber.close();
    }
  });

  it('fails the tasks of a SIGKILLed worker within the bound; the other worker runs the rest', async () => {
    const tasks = await startAll(
      client,
      Array.from({ length: 4 * CONCURRENCY }, () => ({ action: 'sleep', ms: 4000 })),
    );
    // Wait until worker-2 runs some of them, then kill it.
    const seenOnWorker2 = await waitFor(
      async () => {
        const running: string[] = [];
        for (const task of tasks) {
          if ((await runsOf(client, task)).on[0] === 'worker-2') running.push(task.id);
        }
        return running.length >= 2 ? running : undefined;
      },
      60_000,
      'worker-2 to run tasks of the batch',
    );
    await cluster.workers[1].kill('SIGKILL');
    const killedAt = Date.now();

    const bound = deadWorkerBoundSeconds(HEARTBEAT_SECONDS) * 1000;
    const ended = await Promise.all(tasks.map((t) => waitForStatus(client, t.id, FINAL, 180_000)));
    // What worker-2 held when it died (running, or claimed a moment before) ended FAILED, in time.
    const failed = ended.filter((t) => t.status === 'FAILED');
    expect(failed.map((t) => t.id)).toEqual(expect.arrayContaining(seenOnWorker2));
    for (const task of failed) {
      expect(task.error).toMatch(/the worker running it \(worker-2\) stopped answering/);
      expect(Date.parse(task.finishedAt!) - killedAt).toBeLessThanOrEqual(bound);
      const errors = await readAllLogs(client, task.id, 'level=ERROR');
      expect(errors.map((e) => e.message)).toContainEqual(
        expect.stringMatching(/stopped answering: no heartbeat/),
      );
    }
    // Everything else, including the tasks still PENDING at the kill, ran on worker-1.
    const succeeded = ended.filter((t) => t.status === 'SUCCESS');
    expect(succeeded.length + failed.length).toBe(tasks.length);
    for (const task of succeeded) expect((await runsOf(client, task)).on).toEqual(['worker-1']);
    expect(succeeded.filter((t) => Date.parse(t.startedAt!) > killedAt).length).toBeGreaterThan(0);
  });
});
