// Two server instances on one database: a subscriber on one sees a task running on the other,
// without gaps or duplicates — through the PostgreSQL adapter, and through Redis when REDIS_URL
// is set.
import type { LogEntry, SubscribeRequest } from '@taskdeck/contracts';
import { ApiClient, waitFor } from './utils/api-client';
import { collector, type LogCollector } from './utils/socket-client';
import type { TestApp } from './utils/test-app';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { SOCKET_ADAPTERS, startTwoInstances, type TwoInstances } from './utils/two-instances';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(SOCKET_ADAPTERS)('two instances, $name', ({ env }) => {
  let instances: TwoInstances;
  let a: TestApp;
  let b: TestApp;
  let onA: ApiClient;
  let onB: ApiClient;

  beforeAll(async () => {
    instances = await startTwoInstances(env);
    ({ a, b } = instances);
    onA = new ApiClient(a.url, await a.tokenFor('admin'));
    onB = new ApiClient(b.url, await b.tokenFor('admin'));
  });
  afterAll(() => instances?.close());

  it('streams a task running on B to a subscriber on A, and applies settings and cancel across', async () => {
    expect((await onB.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' })).status).toBe(200);
    // The change reached A too (broadcast, not polled).
    await waitFor(
      async () => {
        const res = await onA.get<{ taskLogLevel: string }>('/api/settings/logging');
        return res.body.taskLogLevel === 'DEBUG' ? true : undefined;
      },
      5000,
      'the settings change on A',
    );

    const task = await startTask(onB, 'debug', {
      action: 'emit',
      count: 20_000,
      intervalMs: 0,
      sources: ['x', 'y'],
    });
    const client = await collector(a.url, await a.tokenFor('viewer'));
    const live = await collector(a.url, await a.tokenFor('viewer'));
    try {
      expect((await client.subscribe({ taskId: task.id, afterSeq: 0, sources: ['y'] })).ok).toBe(
        true,
      );
      expect((await live.subscribe({ taskId: task.id, sources: ['y'] })).ok).toBe(true);
      const done = await waitForStatus(onB, task.id, ['SUCCESS'], 60_000);
      expect(done.status).toBe('SUCCESS');
      const stored = await readAllLogs(onA, task.id, 'source=y');
      await waitFor(async () =>
        (client.entries.get(task.id)?.length ?? 0) >= stored.length ? true : undefined,
      );
      await sleep(300); // anything sent twice would arrive now
      expect(client.entries.get(task.id)).toEqual(stored);
      // The live-only subscriber on A also got B's batches, each once, in order.
      const liveSeqs = live.seqs(task.id);
      expect(liveSeqs).toEqual(
        stored.filter((e: LogEntry) => e.seq >= (liveSeqs[0] ?? Infinity)).map((e) => e.seq),
      );
      expect(client.tasks.some((e) => e.task.id === task.id && e.task.status === 'SUCCESS')).toBe(
        true,
      );

      // Cancel on A a task that runs on B.
      const sleeper = await startTask(onB, 'debug', { action: 'sleep', ms: 60_000 });
      await waitForStatus(onA, sleeper.id, ['RUNNING']);
      expect((await onA.post(`/api/tasks/${sleeper.id}/cancel`)).status).toBe(200);
      await waitForStatus(onA, sleeper.id, ['CANCELLED'], 10_000);
    } finally {
      client.close();
      live.close();
    }
  });

  it('subscribers joining mid-run on either instance each get their whole set exactly once', async () => {
    expect((await onB.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' })).status).toBe(200);
    // Paced so that the subscriptions below land while batches are being committed and carried.
    const task = await startTask(onB, 'debug', {
      action: 'emit',
      count: 20_000,
      ratePerSecond: 8000,
      sources: ['x', 'y'],
    });
    await waitForStatus(onB, task.id, ['RUNNING']);
    const filters: { request: Partial<SubscribeRequest>; query: string }[] = [
      { request: {}, query: '' },
      { request: { sources: ['y'] }, query: 'source=y' },
      { request: { level: 'WARNING' }, query: 'level=WARNING' },
    ];
    const joined: { client: LogCollector; filter: (typeof filters)[number] }[] = [];
    try {
      for (let i = 0; i < 12; i++) {
        const app = i % 2 === 0 ? a : b; // A: batches come through the adapter; B: committed here
        const client = await collector(app.url, await app.tokenFor('viewer'));
        const filter = filters[i % filters.length];
        joined.push({ client, filter });
        expect(
          (await client.subscribe({ taskId: task.id, afterSeq: 0, ...filter.request })).ok,
        ).toBe(true);
        await sleep(150);
      }
      await waitForStatus(onB, task.id, ['SUCCESS'], 60_000);
      for (const { client, filter } of joined) {
        const stored = await readAllLogs(onA, task.id, filter.query);
        await waitFor(
          async () =>
            (client.entries.get(task.id)?.length ?? 0) >= stored.length ? true : undefined,
          30_000,
          `${stored.length} entries for ${filter.query || 'no filter'}`,
        );
      }
      await sleep(300); // anything sent twice would arrive now
      for (const { client, filter } of joined) {
        const stored = await readAllLogs(onA, task.id, filter.query);
        expect(client.seqs(task.id)).toEqual(stored.map((e) => e.seq));
      }
    } finally {
      joined.forEach(({ client }) => client.close());
    }
  });
});
