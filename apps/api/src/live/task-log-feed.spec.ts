import type { LogEntry } from '@taskdeck/contracts';
import { TaskLogFeed, type FeedSubscribers, type StoredEntries } from './task-log-feed';
import { ReadGate } from './testing/read-gate';

const A = 'a0000000-0000-4000-8000-000000000000';
const B = 'b0000000-0000-4000-8000-000000000000';

function range(taskId: string, from: number, to: number): LogEntry[] {
  return Array.from({ length: to - from + 1 }, (_, i) => ({
    taskId,
    seq: from + i,
    timestamp: '2026-01-01T00:00:00.000Z',
    level: 'INFO' as const,
    source: 's',
    message: `m${from + i}`,
    metadata: null,
  }));
}

/** The database: what is committed, read in chunks of 3; reads can be held or made to fail. */
class Store implements StoredEntries {
  readonly committed = new Map<string, LogEntry[]>();
  readonly reads: { taskId: string; after: number; before: number | null }[] = [];
  lastSeqReads = 0;
  failing = false;
  readonly gate = new ReadGate();

  commit(entries: LogEntry[]): LogEntry[] {
    const taskId = entries[0].taskId;
    this.committed.set(taskId, [...(this.committed.get(taskId) ?? []), ...entries]);
    return entries;
  }

  async *entries(taskId: string, after: number, before: number | null) {
    this.reads.push({ taskId, after, before });
    await this.gate.pass();
    if (this.failing) throw new Error('database away');
    const rows = (this.committed.get(taskId) ?? []).filter(
      (e) => e.seq > after && (before === null || e.seq < before),
    );
    for (let i = 0; i < rows.length; i += 3) yield rows.slice(i, i + 3);
  }

  lastSeq(taskId: string): Promise<number> {
    this.lastSeqReads++;
    if (this.failing) return Promise.reject(new Error('database away'));
    const rows = this.committed.get(taskId) ?? [];
    return Promise.resolve(rows.length ? rows[rows.length - 1].seq : 0);
  }
}

class Subscribers implements FeedSubscribers {
  readonly got = new Map<string, number[]>();
  readonly watched = new Set<string>();
  readonly failures: string[] = [];

  deliver(taskId: string, entries: readonly LogEntry[]): void {
    this.got.set(taskId, [...(this.got.get(taskId) ?? []), ...entries.map((e) => e.seq)]);
  }

  watches(taskId: string): boolean {
    return this.watched.has(taskId);
  }

  failed(taskId: string): void {
    this.failures.push(taskId);
  }
}

const seqs = (from: number, to: number) => range(A, from, to).map((e) => e.seq);

async function settle(): Promise<void> {
  for (let i = 0; i < 20; i++) await new Promise((resolve) => setImmediate(resolve));
}

describe('TaskLogFeed', () => {
  let store: Store;
  let subscribers: Subscribers;
  let feed: TaskLogFeed;

  /** A watcher arrives: the feed learns where the task stands. */
  async function watch(taskId: string): Promise<void> {
    await feed.track(taskId);
    subscribers.watched.add(taskId);
  }

  beforeEach(() => {
    store = new Store();
    subscribers = new Subscribers();
    feed = new TaskLogFeed(store, subscribers);
  });

  it('passes an in-order stream straight on, each seq once', async () => {
    await watch(A);
    feed.push(A, store.commit(range(A, 1, 5)));
    feed.push(A, store.commit(range(A, 6, 8)));
    feed.push(A, range(A, 4, 8)); // a batch seen twice, or after a fill
    expect(subscribers.got.get(A)).toEqual(seqs(1, 8));
    expect(feed.delivered(A)).toBe(8);
    expect(store.reads).toEqual([]);
  });

  it('reads a hole from the store and hands it on first; batches that come meanwhile wait', async () => {
    await watch(A);
    feed.push(A, store.commit(range(A, 1, 5)));
    store.commit(range(A, 6, 12)); // its batch is lost on the way
    store.gate.hold();
    feed.push(A, store.commit(range(A, 13, 14)));
    feed.push(A, store.commit(range(A, 15, 16)));
    await settle();
    expect(subscribers.got.get(A)).toEqual(seqs(1, 5));
    store.gate.release();
    await settle();
    expect(store.reads).toEqual([{ taskId: A, after: 5, before: 13 }]);
    expect(subscribers.got.get(A)).toEqual(seqs(1, 16));
    expect(feed.totals).toEqual({ holes: 1, filledEntries: 7 });
    feed.push(A, range(A, 6, 12)); // the lost batch turns up late
    expect(subscribers.got.get(A)).toEqual(seqs(1, 16));
  });

  it('fills no hole of a task nobody watches, and keeps nothing for a task it never tracked', () => {
    feed.push(A, store.commit(range(A, 1, 5)));
    feed.push(A, store.commit(range(A, 9, 10)));
    expect(store.reads).toEqual([]);
    expect(feed.delivered(A)).toBe(0);
    expect(subscribers.got.size).toBe(0);
  });

  it('starts a new watcher’s task from its last stored seq, read once for concurrent watchers', async () => {
    store.commit(range(A, 1, 40));
    await Promise.all([feed.track(A), feed.track(A), feed.track(A)]);
    subscribers.watched.add(A);
    expect(store.lastSeqReads).toBe(1);
    expect(feed.delivered(A)).toBe(40);
    // Batches 41–42 were lost before anyone here watched; the next one shows the hole from 40 on.
    store.commit(range(A, 41, 42));
    feed.push(A, store.commit(range(A, 43, 44)));
    await settle();
    expect(store.reads).toEqual([{ taskId: A, after: 40, before: 43 }]);
    expect(subscribers.got.get(A)).toEqual(seqs(41, 44));
  });

  it('reads every watched task up to what is stored when messages were lost', async () => {
    await watch(A);
    await watch(B);
    feed.push(A, store.commit(range(A, 1, 3)));
    store.commit(range(A, 4, 6)); // A's last batch, lost: no later batch would show it
    feed.catchUp();
    await settle();
    expect(subscribers.got.get(A)).toEqual(seqs(1, 6));
    expect(subscribers.got.get(B)).toBeUndefined();
    expect(store.reads).toHaveLength(2);
    expect(store.reads).toEqual(
      expect.arrayContaining([
        { taskId: A, after: 3, before: null },
        { taskId: B, after: 0, before: null },
      ]),
    );
  });

  it('catches up again after a read under way when messages are lost meanwhile', async () => {
    await watch(A);
    feed.push(A, store.commit(range(A, 1, 2)));
    store.commit(range(A, 3, 4));
    store.gate.hold();
    feed.push(A, store.commit(range(A, 5, 6)));
    await settle();
    store.commit(range(A, 7, 9)); // lost too, and the task's last
    feed.catchUp();
    store.gate.release();
    await settle();
    expect(subscribers.got.get(A)).toEqual(seqs(1, 9));
  });

  it('gives up a hole it cannot read: the watchers are told, the task is read afresh later', async () => {
    await watch(A);
    feed.push(A, store.commit(range(A, 1, 2)));
    store.commit(range(A, 3, 4));
    store.failing = true;
    feed.push(A, store.commit(range(A, 5, 6)));
    await settle();
    expect(subscribers.failures).toEqual([A]);
    expect(feed.delivered(A)).toBe(0);
    store.failing = false;
    await feed.track(A);
    expect(feed.delivered(A)).toBe(6);
  });

  it('hands on the batch after a hole the store no longer holds (a deleted task), reading once', async () => {
    await watch(A);
    feed.push(A, range(A, 1, 2));
    feed.push(A, range(A, 5, 6));
    await settle();
    expect(store.reads).toHaveLength(1);
    expect(subscribers.got.get(A)).toEqual([1, 2, 5, 6]);
  });

  it('forgets the least recently advanced task past its capacity, never a watched one', async () => {
    const C = 'c0000000-0000-4000-8000-000000000000';
    feed = new TaskLogFeed(store, subscribers, 2);
    await watch(A);
    feed.push(A, store.commit(range(A, 1, 1)));
    store.commit(range(B, 1, 2));
    await feed.track(B);
    expect(feed.delivered(B)).toBe(2);
    await feed.track(C);
    expect([feed.delivered(A), feed.delivered(B), feed.delivered(C)]).toEqual([1, 0, 0]);
    // A task nobody watches is read afresh when someone comes.
    store.commit(range(C, 1, 3));
    await feed.track(C);
    expect(feed.delivered(C)).toBe(3);
    feed.forget(A);
    expect(feed.delivered(A)).toBe(0);
  });
});
