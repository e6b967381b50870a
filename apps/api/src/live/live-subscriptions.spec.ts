// The replay rule "backlog, then live, drop what was sent" on its own: a store, a fan-out that may
// lag behind it, and clients that record what reaches them.
import type { LogEntry, LogLevel, LogsEvent, Task } from '@taskdeck/contracts';
import { filterEntries, type LogSubscriptionFilter } from './log-subscription-filter';
import {
  BACKLOG_PAGE,
  LiveSubscriptions,
  type LiveClient,
  type LiveRooms,
  type LiveSources,
} from './live-subscriptions';
import { ReadGate } from './testing/read-gate';

const TASK = '5f0c1b3e-8d2a-4c47-9a1e-2b3c4d5e6f70';
const LEVELS: LogLevel[] = ['DEBUG', 'INFO', 'WARNING', 'ERROR'];
const SOURCES = ['git', 'llm'];

function entry(seq: number): LogEntry {
  return {
    taskId: TASK,
    seq,
    timestamp: '2026-01-01T00:00:00.000Z',
    level: LEVELS[seq % 4],
    source: SOURCES[seq % 2],
    message: `m${seq}`,
    metadata: null,
  };
}

function range(from: number, to: number): LogEntry[] {
  return Array.from({ length: to - from + 1 }, (_, i) => entry(from + i));
}

class Rooms implements LiveRooms {
  readonly members = new Map<string, Set<Client>>();
  readonly sent: { room: string; event: LogsEvent }[] = [];

  send(room: string, event: LogsEvent): void {
    this.sent.push({ room, event });
    for (const client of this.members.get(room) ?? []) client.received.push(event);
  }

  size(room: string): number {
    return this.members.get(room)?.size ?? 0;
  }
}

class Client implements LiveClient {
  readonly received: LogsEvent[] = [];
  closed = false;

  constructor(
    readonly id: string,
    private readonly rooms: Rooms,
  ) {}

  send(event: LogsEvent): void {
    this.received.push(event);
  }

  join(room: string): void {
    if (!this.rooms.members.has(room)) this.rooms.members.set(room, new Set());
    this.rooms.members.get(room)!.add(this);
  }

  leave(room: string): void {
    this.rooms.members.get(room)?.delete(this);
  }

  close(): void {
    this.closed = true;
  }

  seqs(): number[] {
    return this.received.flatMap((event) => event.entries.map((e) => e.seq));
  }
}

/** The stored log; a read can be held until the test lets it go. */
class Store implements LiveSources {
  readonly entries: LogEntry[] = [];
  readonly reads: number[] = [];
  failing = false;
  readonly gate = new ReadGate();

  task(taskId: string): Promise<Task | null> {
    return Promise.resolve(taskId === TASK ? ({ id: TASK, status: 'RUNNING' } as Task) : null);
  }

  async backlog(filter: LogSubscriptionFilter, afterSeq: number, limit: number) {
    await this.gate.pass();
    if (this.failing) throw new Error('database away');
    this.reads.push(afterSeq);
    const matching = filterEntries(
      this.entries.filter((e) => e.seq > afterSeq),
      filter,
    );
    const items = matching.slice(0, limit);
    return { items, nextCursor: matching.length > limit ? items[items.length - 1].seq : null };
  }
}

/** Lets the replay (started on setImmediate, awaiting its pages) run to where it waits. */
async function settle(): Promise<void> {
  for (let i = 0; i < 10; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('LiveSubscriptions', () => {
  let rooms: Rooms;
  let store: Store;
  let delivered: number;
  let live: LiveSubscriptions;

  /** Stores entries (the commit). */
  const commit = (entries: LogEntry[]) => store.entries.push(...entries);
  /** The fan-out passes a committed batch on (it never runs ahead of the store). */
  const deliver = (entries: LogEntry[]) => {
    delivered = entries[entries.length - 1].seq;
    live.deliver(TASK, entries);
  };
  const client = (id: string) => {
    const c = new Client(id, rooms);
    live.connect(c);
    return c;
  };

  beforeEach(() => {
    rooms = new Rooms();
    store = new Store();
    delivered = 0;
    live = new LiveSubscriptions(store, rooms, {
      delivered: () => delivered,
      track: () => Promise.resolve(),
    });
  });

  it('puts a live-only subscription in its room at once; a batch is filtered once per room', async () => {
    const [a, b, c] = [client('a'), client('b'), client('c')];
    for (const [who, request] of [
      [a, { sources: ['git'] }],
      [b, { sources: ['git'] }],
      [c, { level: 'WARNING' }],
    ] as const) {
      expect(await live.subscribe(who.id, { taskId: TASK, ...request })).toMatchObject({
        ok: true,
      });
    }
    expect(live.watches(TASK)).toBe(true);
    commit(range(1, 8));
    deliver(range(1, 8));
    expect(rooms.sent).toHaveLength(2);
    expect(a.seqs()).toEqual([2, 4, 6, 8]);
    expect(b.seqs()).toEqual([2, 4, 6, 8]);
    expect(c.seqs()).toEqual([2, 3, 6, 7]);
    expect(store.reads).toEqual([]);
  });

  it('acks first, then sends the stored entries after the cursor page by page, then live ones', async () => {
    const total = 2 * BACKLOG_PAGE + 500;
    commit(range(1, total));
    delivered = total;
    const a = client('a');
    const ack = await live.subscribe(a.id, { taskId: TASK, afterSeq: 100 });
    expect(ack).toEqual({ ok: true, task: expect.objectContaining({ id: TASK }) });
    expect(a.received).toEqual([]);
    await settle();
    expect(store.reads).toEqual([100, 100 + BACKLOG_PAGE, 100 + 2 * BACKLOG_PAGE]);
    commit(range(total + 1, total + 10));
    deliver(range(total + 1, total + 10));
    expect(a.seqs()).toEqual(range(101, total + 10).map((e) => e.seq));
  });

  it('queues what is delivered during the backlog and drops the seqs the backlog already sent', async () => {
    commit(range(1, 10));
    delivered = 10;
    const a = client('a');
    store.gate.hold();
    await live.subscribe(a.id, { taskId: TASK, afterSeq: 0 });
    await settle();
    // Committed and delivered while the read waits: both in the store and in the queue.
    commit(range(11, 12));
    deliver(range(11, 12));
    store.gate.release();
    await settle();
    commit(range(13, 14));
    deliver(range(13, 14));
    expect(a.seqs()).toEqual(range(1, 14).map((e) => e.seq));
  });

  it('stays queued while the store is ahead of the fan-out, and goes live once it has caught up', async () => {
    // Entries 11–20 are committed (on another instance, say) but their batches are on their way.
    commit(range(1, 20));
    delivered = 10;
    const a = client('a');
    await live.subscribe(a.id, { taskId: TASK, afterSeq: 0 });
    await settle();
    expect(a.seqs()).toEqual(range(1, 20).map((e) => e.seq));
    deliver(range(11, 15));
    expect(rooms.size(`logs:${TASK}:0:*`)).toBe(0);
    deliver(range(16, 20));
    expect(rooms.size(`logs:${TASK}:0:*`)).toBe(1);
    commit(range(21, 22));
    deliver(range(21, 22));
    expect(a.seqs()).toEqual(range(1, 22).map((e) => e.seq));
  });

  it('replaces a subscription to the same task', async () => {
    const a = client('a');
    await live.subscribe(a.id, { taskId: TASK, sources: ['git'] });
    await live.subscribe(a.id, { taskId: TASK, sources: ['llm'] });
    deliver(range(1, 4));
    expect(a.received.flatMap((e) => e.entries.map((x) => x.source))).toEqual(['llm', 'llm']);
  });

  it('ends delivery on unsubscribe and disconnect, and forgets rooms left empty', async () => {
    const [a, b] = [client('a'), client('b')];
    await live.subscribe(a.id, { taskId: TASK });
    await live.subscribe(b.id, { taskId: TASK, level: 'ERROR' });
    expect(live.unsubscribe(a.id, { taskId: TASK.toUpperCase() })).toEqual({ ok: true });
    live.disconnect(b.id);
    expect(live.watches(TASK)).toBe(false);
    deliver(range(1, 4));
    expect([a.received, b.received, rooms.sent]).toEqual([[], [], []]);
    expect(live.unsubscribe(a.id, { nope: 1 })).toEqual({
      ok: false,
      error: 'unsubscribe needs {taskId}',
    });
  });

  it('refuses a bad request, an unknown task and an unknown client with a reason', async () => {
    const a = client('a');
    expect(await live.subscribe(a.id, { taskId: 'x' })).toEqual({
      ok: false,
      error: 'taskId must be a UUID',
    });
    expect(await live.subscribe(a.id, { taskId: '00000000-0000-4000-8000-000000000000' })).toEqual({
      ok: false,
      error: 'task not found',
    });
    expect(await live.subscribe('gone', { taskId: TASK })).toEqual({
      ok: false,
      error: 'not connected',
    });
    expect(live.watches(TASK)).toBe(false);
  });

  it('refuses a subscription while the feed cannot tell where the task stands', async () => {
    const blind = new LiveSubscriptions(store, rooms, {
      delivered: () => 0,
      track: () => Promise.reject(new Error('database away')),
    });
    const a = new Client('a', rooms);
    blind.connect(a);
    expect(await blind.subscribe(a.id, { taskId: TASK })).toEqual({
      ok: false,
      error: 'the task log cannot be read now',
    });
    expect(blind.watches(TASK)).toBe(false);
  });

  it('closes the connections of a task’s watchers on request, and only theirs', async () => {
    const [a, b] = [client('a'), client('b')];
    await live.subscribe(a.id, { taskId: TASK, level: 'ERROR' });
    live.closeWatchers(TASK);
    expect([a.closed, b.closed]).toEqual([true, false]);
  });

  it('closes the client when its backlog cannot be read (it resumes from its cursor)', async () => {
    store.failing = true;
    const a = client('a');
    expect((await live.subscribe(a.id, { taskId: TASK, afterSeq: 0 })).ok).toBe(true);
    await settle();
    expect(a.closed).toBe(true);
    expect(a.received).toEqual([]);
  });

  it('ends the subscriptions of a deleted task, one still catching up included', async () => {
    commit(range(1, 5));
    const [a, b] = [client('a'), client('b')];
    await live.subscribe(a.id, { taskId: TASK });
    store.gate.hold();
    await live.subscribe(b.id, { taskId: TASK, afterSeq: 0 });
    await settle();
    live.endTask(TASK);
    store.gate.release();
    await settle();
    deliver(range(1, 5));
    expect([a.received, b.received]).toEqual([[], []]);
    expect(live.watches(TASK)).toBe(false);
  });
});
