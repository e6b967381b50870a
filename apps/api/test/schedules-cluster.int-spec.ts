// Schedules on three instances (an api instance and two workers, built server processes, each
// running the job queue's cron): an every-minute schedule makes exactly one task per tick, and a
// tick due while the schedule's previous run still runs is skipped with a WARNING.
// The queue's cron has one-minute resolution, so this waits for two whole minutes of ticks.
import type { Task, TaskSchedule } from '@taskdeck/contracts';
import { waitFor } from './utils/api-client';
import { runsOf, startCluster, type TestCluster } from './utils/cluster';
import { awayFromMinuteEnd } from './utils/minute';
import { createTestDatabase, dropTestDatabase } from './utils/test-database';
import { allTasks, waitForStatus } from './utils/tasks';

const MINUTE = 60_000;
const SLOW_MS = 75_000;

function byMinute(tasks: Task[]): Map<number, Task[]> {
  const perMinute = new Map<number, Task[]>();
  for (const task of tasks) {
    const minute = Math.floor(Date.parse(task.createdAt) / MINUTE) * MINUTE;
    perMinute.set(minute, [...(perMinute.get(minute) ?? []), task]);
  }
  return perMinute;
}

describe('schedules on three instances', () => {
  let databaseUrl: string;
  let cluster: TestCluster;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
    cluster = await startCluster({ databaseUrl, workers: 2 });
  });

  afterAll(async () => {
    await cluster?.stop();
    await dropTestDatabase(databaseUrl);
  });

  it('fires once per tick, and skips a tick while the previous run still runs', async () => {
    const { client } = cluster;
    const put = (name: string, params: Record<string, unknown>) =>
      client.request<TaskSchedule>('PUT', `/api/schedules/${name}`, {
        cron: '* * * * *',
        pluginId: 'debug',
        params,
      });
    await awayFromMinuteEnd();
    expect((await put('every-minute', { action: 'sleep', ms: 0 })).status).toBe(200);
    expect((await put('slow', { action: 'sleep', ms: SLOW_MS })).status).toBe(200);
    const setUpAt = Date.now();
    // Two whole minutes after the one the schedules were set up in. A tick's task is created a few
    // seconds into its minute (the cron pass runs every 5 s), so a second task for a minute would
    // exist before that minute ends.
    const firstWhole = Math.floor(setUpAt / MINUTE) * MINUTE + MINUTE;
    const closedBy = firstWhole + 2 * MINUTE;
    await waitFor(
      async () => (Date.now() >= closedBy ? true : undefined),
      4 * MINUTE,
      'two whole minutes of ticks',
    );
    const outputs = [cluster.api, ...cluster.workers].map((s) => s.output()).join('\n');

    const ticks = (await allTasks(client)).filter(
      (t) => t.createdBy === 'schedule' && Date.parse(t.createdAt) < closedBy,
    );
    const fast = ticks.filter((t) => (t.params as { ms: number }).ms === 0);
    const perMinute = byMinute(fast);
    for (const minute of [firstWhole, firstWhole + MINUTE]) {
      expect(perMinute.get(minute)?.length ?? 0).toBe(1);
    }
    for (const list of perMinute.values()) expect(list).toHaveLength(1);
    for (const task of fast) {
      expect((await waitForStatus(client, task.id, ['SUCCESS', 'FAILED'])).status).toBe('SUCCESS');
      expect((await runsOf(client, task)).on).toEqual([expect.stringMatching(/^worker-/)]);
    }

    // The slow schedule's runs never overlap: each tick during a run was skipped, and said so.
    const slow = ticks
      .filter((t) => (t.params as { ms: number }).ms === SLOW_MS)
      .sort((a, b) => Date.parse(a.createdAt) - Date.parse(b.createdAt));
    expect(slow.length).toBeGreaterThanOrEqual(1);
    for (let i = 1; i < slow.length; i++) {
      const gap = Date.parse(slow[i].createdAt) - Date.parse(slow[i - 1].createdAt);
      expect(gap).toBeGreaterThanOrEqual(SLOW_MS);
    }
    expect(outputs).toMatch(
      /schedule \\"slow\\": the run due now is skipped, the previous one \(task [0-9a-f-]{36}\) is still RUNNING/,
    );
    expect(outputs).not.toMatch(/schedule \\"every-minute\\": the run due now is skipped/);

    const schedules = await client.get<TaskSchedule[]>('/api/schedules');
    expect(schedules.body.map((s) => s.name)).toEqual(['every-minute', 'slow']);
    for (const name of ['every-minute', 'slow']) {
      expect((await client.delete(`/api/schedules/${name}`)).status).toBe(204);
    }
    expect((await client.get<TaskSchedule[]>('/api/schedules')).body).toEqual([]);
  }, 300_000); // up to 25 s to leave a minute's end, then up to three minutes of ticks
});
