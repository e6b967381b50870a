// The live stream over a real server and socket.io-client: server-side filters, exact delivery,
// reconnects without gaps or duplicates, auth, deletion, many subscribers.
import type { LogEntry, SubscribeAck } from '@taskdeck/contracts';
import { Encoder } from 'socket.io-parser';
import { ApiClient, waitFor } from './utils/api-client';
import { collector, connect, connected, type LogCollector } from './utils/socket-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { range, readAllLogs, startTask, waitForStatus } from './utils/tasks';

const SOURCES = ['plugin', 'git', 'storage'];

describe('live stream', () => {
  let t: TestApp;
  let operator: ApiClient;
  let admin: ApiClient;
  let viewerToken: string;

  beforeAll(async () => {
    t = await startTestApp();
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    viewerToken = await t.tokenFor('viewer');
    expect((await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' })).status).toBe(
      200,
    );
  });
  afterAll(() => t.close());

  /** Waits until the collector holds as many entries of the task as the REST API has for the filter. */
  async function receivedAll(
    client: LogCollector,
    taskId: string,
    query: string,
  ): Promise<LogEntry[]> {
    const stored = await readAllLogs(operator, taskId, query);
    await waitFor(
      async () => ((client.entries.get(taskId)?.length ?? 0) >= stored.length ? true : undefined),
      30_000,
      `${stored.length} entries for ${query || 'no filter'}`,
    );
    return stored;
  }

  it('refuses a missing or bad token with connect_error "Unauthorized"', async () => {
    for (const token of [undefined, 'nope', `${viewerToken}x`]) {
      const socket = connect(t.url, token);
      await expect(connected(socket)).rejects.toThrow('Unauthorized');
      socket.close();
    }
  });

  it('lets a viewer subscribe; a bad subscribe is refused with a reason and the socket stays usable', async () => {
    const task = await startTask(operator, 'debug', { action: 'emit', count: 10 });
    const client = await collector(t.url, viewerToken);
    try {
      const bad: SubscribeAck[] = [
        await client.subscribe({ taskId: 'nope' }),
        await client.subscribe({ taskId: task.id, level: 'LOUD' as never }),
        await client.subscribe({ taskId: task.id, sources: 'git' as never }),
        await client.subscribe({ taskId: task.id, afterSeq: -1 }),
        await client.subscribe({ taskId: '00000000-0000-4000-8000-000000000000' }),
      ];
      for (const ack of bad) expect(ack).toEqual({ ok: false, error: expect.any(String) });
      const ok = await client.subscribe({ taskId: task.id, afterSeq: 0 });
      expect(ok).toMatchObject({ ok: true, task: { id: task.id, pluginId: 'debug' } });
      await waitForStatus(operator, task.id, ['SUCCESS']);
      const stored = await receivedAll(client, task.id, '');
      expect(client.seqs(task.id)).toEqual(stored.map((e) => e.seq));
    } finally {
      client.close();
    }
  });

  it('answers every request that carries an ack, whatever its payload', async () => {
    const task = await startTask(operator, 'debug', { action: 'emit', count: 10 });
    const client = await collector(t.url, viewerToken);
    const ask = (event: 'subscribe' | 'unsubscribe', ...payload: unknown[]) =>
      client.socket.timeout(30_000).emitWithAck(event, ...payload) as Promise<unknown>;
    let deep: unknown = 'deep';
    for (let i = 0; i < 64; i++) deep = [deep];
    const notAnObject = 'subscribe needs an object {taskId, level?, sources?, afterSeq?}';
    try {
      for (const [payload, error] of [
        [[], notAnObject],
        [[null], notAnObject],
        [['x'], notAnObject],
        [[42], notAnObject],
        [[{ taskId: task.id }, 'a second argument'], notAnObject],
        [
          [JSON.parse(`{"taskId": "${task.id}", "__proto__": {"role": "admin"}}`)],
          'a key named __proto__ is not accepted',
        ],
        [[{ taskId: task.id, sources: deep }], 'nested deeper than 32 levels'],
        [[{ taskId: task.id, extra: 1 }], 'unknown field(s): extra'],
      ] as [unknown[], string][]) {
        expect({ payload, ack: await ask('subscribe', ...payload) }).toEqual({
          payload,
          ack: { ok: false, error },
        });
      }
      for (const payload of [[], [null], ['x'], [{ constructor: { prototype: {} } }]]) {
        expect(await ask('unsubscribe', ...payload)).toEqual({
          ok: false,
          error: expect.any(String),
        });
      }
      expect(await client.subscribe({ taskId: task.id, afterSeq: 0 })).toMatchObject({ ok: true });
      expect(await ask('unsubscribe', { taskId: task.id })).toEqual({ ok: true });
    } finally {
      client.close();
    }
  });

  it('filters on the server: source, level, and both, exactly and in order', async () => {
    const task = await startTask(operator, 'debug', {
      action: 'emit',
      count: 10_000,
      sources: SOURCES,
      intervalMs: 0,
    });
    const cases = [
      { request: { sources: ['plugin'] }, query: 'source=plugin' },
      { request: { level: 'WARNING' as const }, query: 'level=WARNING' },
      {
        request: { sources: ['plugin'], level: 'WARNING' as const },
        query: 'source=plugin&level=WARNING',
      },
    ];
    const clients = await Promise.all(cases.map(() => collector(t.url, viewerToken)));
    try {
      await Promise.all(
        clients.map(async (client, i) => {
          expect(
            (await client.subscribe({ taskId: task.id, afterSeq: 0, ...cases[i].request })).ok,
          ).toBe(true);
        }),
      );
      await waitForStatus(operator, task.id, ['SUCCESS']);
      for (const [i, { query }] of cases.entries()) {
        const stored = await receivedAll(clients[i], task.id, query);
        expect(clients[i].entries.get(task.id)).toEqual(stored);
      }
    } finally {
      clients.forEach((c) => c.close());
    }
  });

  it('cleans socket sources the way the REST filter does', async () => {
    const task = await startTask(operator, 'debug', {
      action: 'emit',
      count: 300,
      sources: SOURCES,
    });
    const client = await collector(t.url, viewerToken);
    try {
      const ack = await client.subscribe({
        taskId: task.id,
        afterSeq: 0,
        sources: [' plugin\t', ''],
      });
      expect(ack.ok).toBe(true);
      await waitForStatus(operator, task.id, ['SUCCESS']);
      const stored = await receivedAll(
        client,
        task.id,
        `source=${encodeURIComponent(' plugin\t')}`,
      );
      expect(stored.length).toBe(100);
      expect(client.entries.get(task.id)).toEqual(stored);
    } finally {
      client.close();
    }
  });

  it('a live-only subscription (no afterSeq) gets what is committed after it, in order, once', async () => {
    const task = await startTask(operator, 'debug', {
      action: 'emit',
      count: 3000,
      intervalMs: 1,
      sources: ['git'],
    });
    await waitForStatus(operator, task.id, ['RUNNING']);
    const client = await collector(t.url, viewerToken);
    try {
      expect((await client.subscribe({ taskId: task.id, sources: ['git'] })).ok).toBe(true);
      await waitForStatus(operator, task.id, ['SUCCESS'], 60_000);
      await new Promise((r) => setTimeout(r, 300));
      const seqs = client.seqs(task.id);
      expect(seqs.length).toBeGreaterThan(0);
      // From the first entry it got on, everything stored for its filter, each once, in order.
      const stored = await readAllLogs(operator, task.id, 'source=git');
      expect(seqs).toEqual(stored.filter((e) => e.seq >= seqs[0]).map((e) => e.seq));
    } finally {
      client.close();
    }
  });

  it('survives a reconnect storm: 20 reconnects during a 50,000-entry run, every seq exactly once', async () => {
    const task = await startTask(operator, 'debug', {
      action: 'emit',
      count: 50_000,
      intervalMs: 0,
    });
    const received: LogEntry[] = [];
    let lastSeq = 0;
    for (let round = 0; round < 21; round++) {
      const client = await collector(t.url, viewerToken);
      client.socket.on('logs', (event: { entries: LogEntry[] }) => {
        received.push(...event.entries);
        lastSeq = event.entries[event.entries.length - 1].seq;
      });
      expect((await client.subscribe({ taskId: task.id, afterSeq: lastSeq })).ok).toBe(true);
      if (round < 20) {
        const before = received.length;
        await waitFor(
          async () => (received.length > before || round > 10 ? true : undefined),
          10_000,
        );
        client.close();
      } else {
        await waitForStatus(operator, task.id, ['SUCCESS'], 120_000);
        const total = (await operator.get<{ total: number }>(`/api/tasks/${task.id}/logs/stats`))
          .body.total;
        await waitFor(
          async () => (received.length >= total ? true : undefined),
          30_000,
          `${total} entries`,
        );
        client.close();
        expect(received.map((e) => e.seq)).toEqual(range(1, total));
      }
    }
  });

  it('ends the subscriptions of a deleted task cleanly', async () => {
    const task = await startTask(operator, 'debug', { action: 'sleep', ms: 60_000 });
    await waitForStatus(operator, task.id, ['RUNNING']);
    const client = await collector(t.url, viewerToken);
    try {
      expect((await client.subscribe({ taskId: task.id, afterSeq: 0 })).ok).toBe(true);
      expect((await admin.delete(`/api/tasks/${task.id}`)).status).toBe(204);
      await new Promise((r) => setTimeout(r, 300));
      expect(client.socket.connected).toBe(true);
      expect(await client.subscribe({ taskId: task.id })).toEqual({
        ok: false,
        error: 'task not found',
      });
    } finally {
      client.close();
    }
  });

  it('subscribes from the handshake query and sends task events', async () => {
    const task = await startTask(operator, 'debug', { action: 'sleep', ms: 1500 });
    const client = await collector(t.url, viewerToken, {
      taskId: task.id,
      source: 'debug',
      level: 'INFO',
    });
    try {
      await waitForStatus(operator, task.id, ['SUCCESS']);
      await waitFor(async () =>
        client.tasks.some((e) => e.task.id === task.id && e.task.status === 'SUCCESS')
          ? true
          : undefined,
      );
      await waitFor(async () =>
        client.entries.get(task.id)?.some((e) => /slept/.test(e.message)) ? true : undefined,
      );
      expect(client.entries.get(task.id)!.every((e) => e.source === 'debug')).toBe(true);
    } finally {
      client.close();
    }
  });

  it('gives 200 subscribers over 10 filters each exactly its set', async () => {
    const task = await startTask(operator, 'debug', {
      action: 'emit',
      count: 5000,
      sources: SOURCES,
      intervalMs: 0,
    });
    const filters = [
      { query: '', request: {} },
      { query: 'level=INFO', request: { level: 'INFO' as const } },
      { query: 'level=WARNING', request: { level: 'WARNING' as const } },
      { query: 'level=ERROR', request: { level: 'ERROR' as const } },
      { query: 'source=plugin', request: { sources: ['plugin'] } },
      { query: 'source=git', request: { sources: ['git'] } },
      { query: 'source=storage,git', request: { sources: ['storage', 'git'] } },
      {
        query: 'source=plugin&level=ERROR',
        request: { sources: ['plugin'], level: 'ERROR' as const },
      },
      {
        query: 'source=git&level=WARNING',
        request: { sources: ['git'], level: 'WARNING' as const },
      },
      { query: 'source=debug', request: { sources: ['debug'] } },
    ];
    const clients: LogCollector[] = [];
    try {
      for (let i = 0; i < 200; i++) clients.push(await collector(t.url, viewerToken));
      await Promise.all(
        clients.map(async (client, i) => {
          const ack = await client.subscribe({
            taskId: task.id,
            afterSeq: 0,
            ...filters[i % 10].request,
          });
          expect(ack.ok).toBe(true);
        }),
      );
      await waitForStatus(operator, task.id, ['SUCCESS'], 60_000);
      for (const [f, filter] of filters.entries()) {
        const stored = await readAllLogs(operator, task.id, filter.query);
        for (let i = f; i < clients.length; i += 10) {
          await waitFor(async () =>
            (clients[i].entries.get(task.id)?.length ?? 0) >= stored.length ? true : undefined,
          );
          expect(clients[i].seqs(task.id)).toEqual(stored.map((e) => e.seq));
        }
      }
    } finally {
      clients.forEach((c) => c.close());
    }
  });

  it('encodes each live batch once per filter, not once per subscriber', async () => {
    const task = await startTask(operator, 'debug', { action: 'emit', count: 3000, intervalMs: 1 });
    const clients: LogCollector[] = [];
    const encode = jest.spyOn(Encoder.prototype, 'encode');
    try {
      for (let i = 0; i < 40; i++) clients.push(await collector(t.url, viewerToken));
      // Live only (no afterSeq): every entry reaches them through their room.
      await Promise.all(
        clients.map((c, i) =>
          c.subscribe({ taskId: task.id, ...(i % 2 ? { level: 'WARNING' as const } : {}) }),
        ),
      );
      let frames = 0;
      for (const client of clients) client.socket.on('logs', () => frames++);
      encode.mockClear();
      await waitForStatus(operator, task.id, ['SUCCESS'], 60_000);
      await new Promise((resolve) => setTimeout(resolve, 500));
      const logEncodes = encode.mock.calls.filter(
        ([packet]) => (packet as { data?: unknown[] }).data?.[0] === 'logs',
      ).length;
      expect(logEncodes).toBeGreaterThan(10);
      // 20 subscribers per filter: one encoding serves the room (per subscriber it would be 1 : 1).
      expect(frames / logEncodes).toBeGreaterThanOrEqual(15);
    } finally {
      encode.mockRestore();
      clients.forEach((c) => c.close());
    }
  });
});
