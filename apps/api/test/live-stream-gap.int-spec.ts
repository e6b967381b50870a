// Two instances on one database, and one log batch held up between them for longer than the
// receiving instance waits for it: its subscribers still get every entry once and in order, the
// missing ones read from the database. Through the PostgreSQL adapter, and Redis when REDIS_URL is
// set.
import type { LogEntry } from '@taskdeck/contracts';
import { Namespace } from 'socket.io';
import type { ClusterEnvelope } from '../src/cluster/cluster-bus.service';
import { LIVE_LOGS, LiveStream } from '../src/live/live-stream.service';
import type { CommittedLogs } from '../src/task-log/ingest/task-log-writer.service';
import { ApiClient, waitFor } from './utils/api-client';
import { collector, type LogCollector } from './utils/socket-client';
import type { TestApp } from './utils/test-app';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { SOCKET_ADAPTERS, startTwoInstances, type TwoInstances } from './utils/two-instances';

/** Longer than the inbox waits for a missing message (1 s). */
const HOLD_MS = 3000;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each(SOCKET_ADAPTERS)(
  'two instances, one batch held up between them, $name',
  ({ env }) => {
    let instances: TwoInstances;
    let a: TestApp;
    let b: TestApp;
    let onB: ApiClient;

    beforeAll(async () => {
      instances = await startTwoInstances(env);
      ({ a, b } = instances);
      onB = new ApiClient(b.url, await b.tokenFor('admin'));
      expect((await onB.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' })).status).toBe(
        200,
      );
    });
    afterAll(() => instances?.close());

    it('fills the hole from the database: every subscriber on A gets each entry once, in order', async () => {
      // Paced, so that B keeps sending while one of its batches is held up.
      const task = await startTask(onB, 'debug', {
        action: 'emit',
        count: 20_000,
        ratePerSecond: 4000,
        sources: ['x', 'y'],
      });
      const send = Namespace.prototype.serverSideEmit;
      /** Set once the first subscribers are in: the next batch of the task from B is held up. */
      let armed = false;
      let held: number[] = [];
      const hold = jest.spyOn(Namespace.prototype, 'serverSideEmit').mockImplementation(function (
        this: Namespace,
        event: string | symbol,
        ...args: unknown[]
      ) {
        const { message } = args[0] as ClusterEnvelope;
        const batch = (message.data as CommittedLogs | null)?.batches?.find(
          (x) => x.taskId === task.id,
        );
        if (
          armed &&
          !held.length &&
          message.type === LIVE_LOGS &&
          message.from === 'instance-b' &&
          batch
        ) {
          held = batch.entries.map((e) => e.seq);
          setTimeout(() => send.call(this, event, ...args), HOLD_MS);
          return true;
        }
        return send.call(this, event, ...args);
      });

      const clients: LogCollector[] = [];
      try {
        const viewer = await a.tokenFor('viewer');
        const fromStart = await collector(a.url, viewer);
        const liveOnly = await collector(a.url, viewer);
        clients.push(fromStart, liveOnly);
        expect((await fromStart.subscribe({ taskId: task.id, afterSeq: 0 })).ok).toBe(true);
        expect((await liveOnly.subscribe({ taskId: task.id, sources: ['y'] })).ok).toBe(true);
        armed = true;

        await waitFor(async () => (held.length ? true : undefined), 30_000, 'a batch held up');
        // One more subscriber while the batch is still on its way.
        const during = await collector(a.url, viewer);
        clients.push(during);
        expect((await during.subscribe({ taskId: task.id, afterSeq: 0 })).ok).toBe(true);

        await waitForStatus(onB, task.id, ['SUCCESS'], 60_000);
        const stored = await readAllLogs(onB, task.id);
        const storedY = await readAllLogs(onB, task.id, 'source=y');
        await waitFor(
          async () =>
            (fromStart.entries.get(task.id)?.length ?? 0) >= stored.length &&
            (during.entries.get(task.id)?.length ?? 0) >= stored.length
              ? true
              : undefined,
          30_000,
          `${stored.length} entries on each subscriber`,
        );
        await sleep(HOLD_MS); // the held batch arrives late: nothing of it may be sent again
        const seqs = (entries: LogEntry[]) => entries.map((e) => e.seq);
        expect(fromStart.seqs(task.id)).toEqual(seqs(stored));
        expect(during.seqs(task.id)).toEqual(seqs(stored));
        const liveSeqs = liveOnly.seqs(task.id);
        expect(liveSeqs[0]).toBeLessThanOrEqual(held[held.length - 1]);
        expect(liveSeqs).toEqual(seqs(storedY.filter((e) => e.seq >= liveSeqs[0])));
        expect(a.app.get(LiveStream).totals.filledEntries).toBeGreaterThan(0);
      } finally {
        hold.mockRestore();
        clients.forEach((client) => client.close());
      }
    });
  },
);
