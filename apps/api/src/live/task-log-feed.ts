// Per task, hands committed entries to the subscriptions here in ascending seq, each once and
// without a hole. Batches come from this instance's writer (always in order) and from the others
// through the ClusterBus, which keeps each sender's order but can lose a message: one that does
// not come in time is skipped, and a sender sends no log batches while it believes it is alone.
//
// A batch that starts above the next expected seq shows a hole. The seqs in it are committed (a
// task's entries commit in seq order, and a batch is sent only after its commit), so they are read
// from the database and handed on first; batches arriving meanwhile wait behind the read. When the
// bus reports lost messages, every watched task is read up to what is stored, for a batch that
// was the last of its task (no later one would show the hole). Holes of tasks nobody here watches
// are not filled: there is nobody to give them to.
import { Logger } from '@nestjs/common';
import type { LogEntry } from '@taskdeck/contracts';

/** Tasks remembered; forgetting one costs only a read of its last seq when it is watched again. */
export const FEED_CAPACITY = 10_000;

/** What the feed reads from the database. */
export interface StoredEntries {
  /** The task's entries with afterSeq < seq (and seq < beforeSeq when given), ascending, in chunks. */
  entries(taskId: string, afterSeq: number, beforeSeq: number | null): AsyncIterable<LogEntry[]>;
  /** The task's highest stored seq; 0 when it has none. */
  lastSeq(taskId: string): Promise<number>;
}

/** Where the entries go. */
export interface FeedSubscribers {
  deliver(taskId: string, entries: readonly LogEntry[]): void;
  watches(taskId: string): boolean;
  /** A hole could not be read: the task's watchers must resume from their own cursors. */
  failed(taskId: string, error: unknown): void;
}

interface TaskState {
  /** Highest seq handed on. */
  delivered: number;
  /** Batches waiting behind a read of the store; null when no read runs. */
  waiting: LogEntry[][] | null;
  /** Read up to what is stored once the read under way ends. */
  catchUp: boolean;
}

export class TaskLogFeed {
  private readonly logger = new Logger(TaskLogFeed.name);
  /** Least recently advanced first. */
  private readonly tasks = new Map<string, TaskState>();
  private readonly tracking = new Map<string, Promise<void>>();
  /** Holes read from the store, and the entries they held (for diagnostics and tests). */
  readonly totals = { holes: 0, filledEntries: 0 };

  constructor(
    private readonly store: StoredEntries,
    private readonly subscribers: FeedSubscribers,
    private readonly capacity = FEED_CAPACITY,
  ) {}

  /** The highest seq of the task handed on here; 0 before any. */
  delivered(taskId: string): number {
    return this.tasks.get(taskId)?.delivered ?? 0;
  }

  /**
   * Makes sure the feed knows where the task's stream stands before someone here relies on it:
   * for a task nobody watches yet, that is read from the store (what was handed on while nobody
   * watched may have holes, which were not filled).
   */
  track(taskId: string): Promise<void> {
    if (this.tasks.has(taskId) && this.subscribers.watches(taskId)) return Promise.resolve();
    let reading = this.tracking.get(taskId);
    if (!reading) {
      reading = this.store.lastSeq(taskId).then(
        (lastSeq) => {
          this.tracking.delete(taskId);
          const state = this.tasks.get(taskId);
          if (state) state.delivered = Math.max(state.delivered, lastSeq);
          else this.remember(taskId, { delivered: lastSeq, waiting: null, catchUp: false });
        },
        (error: unknown) => {
          this.tracking.delete(taskId);
          throw error;
        },
      );
      this.tracking.set(taskId, reading);
    }
    return reading;
  }

  /** One committed batch of the task, ascending. */
  push(taskId: string, entries: readonly LogEntry[]): void {
    if (!entries.length) return;
    const state = this.tasks.get(taskId);
    if (!state) {
      // Nobody here has tracked the task: nobody waits for it (track() reads it when someone does).
      if (!this.subscribers.watches(taskId)) return;
      this.remember(taskId, { delivered: entries[0].seq - 1, waiting: null, catchUp: false });
      return this.push(taskId, entries);
    }
    if (state.waiting) {
      state.waiting.push(entries as LogEntry[]);
      return;
    }
    if (entries[0].seq > state.delivered + 1 && this.subscribers.watches(taskId)) {
      state.waiting = [entries as LogEntry[]];
      void this.fill(taskId, state, entries[0].seq);
      return;
    }
    this.pass(taskId, state, entries);
  }

  /** Messages were lost: every watched task is read up to what is stored. */
  catchUp(): void {
    for (const [taskId, state] of this.tasks) {
      if (!this.subscribers.watches(taskId)) continue;
      if (state.waiting) {
        state.catchUp = true;
        continue;
      }
      state.waiting = [];
      void this.fill(taskId, state, null);
    }
  }

  /** A deleted task. */
  forget(taskId: string): void {
    this.tasks.delete(taskId);
  }

  /** Hands on the entries above the delivered seq; returns how many. */
  private pass(taskId: string, state: TaskState, entries: readonly LogEntry[]): number {
    let start = 0;
    while (start < entries.length && entries[start].seq <= state.delivered) start++;
    if (start >= entries.length) return 0;
    const fresh = start ? entries.slice(start) : entries;
    state.delivered = fresh[fresh.length - 1].seq;
    this.remember(taskId, state);
    this.subscribers.deliver(taskId, fresh);
    return fresh.length;
  }

  /**
   * Reads the stored entries after the delivered seq (up to `before`, or all), hands them on,
   * then what waited meanwhile.
   */
  private async fill(taskId: string, state: TaskState, before: number | null): Promise<void> {
    const current = () => this.tasks.get(taskId) === state;
    let filled = 0;
    try {
      for await (const chunk of this.store.entries(taskId, state.delivered, before)) {
        if (!current()) return;
        filled += this.pass(taskId, state, chunk);
      }
    } catch (error) {
      if (!current()) return;
      this.tasks.delete(taskId);
      this.subscribers.failed(taskId, error);
      return;
    }
    if (!current()) return;
    if (filled) {
      this.totals.holes++;
      this.totals.filledEntries += filled;
      this.logger.debug(`task ${taskId}: ${filled} entries missed on the way read from the store`);
    }
    const [first, ...rest] = state.waiting ?? [];
    state.waiting = null;
    // The batch that showed the hole follows what was read, whatever the store had: seqs it did
    // not have are gone (a deleted task), and asking again would not bring them back.
    if (first) this.pass(taskId, state, first);
    for (const batch of rest) this.push(taskId, batch);
    if (state.catchUp && !state.waiting) {
      state.catchUp = false;
      state.waiting = [];
      void this.fill(taskId, state, null);
    }
  }

  /** Keeps the task as the most recently advanced; past capacity, forgets the least recent. */
  private remember(taskId: string, state: TaskState): void {
    this.tasks.delete(taskId);
    this.tasks.set(taskId, state);
    if (this.tasks.size <= this.capacity) return;
    for (const [id, candidate] of this.tasks) {
      if (!candidate.waiting && !this.subscribers.watches(id)) {
        this.tasks.delete(id);
        return;
      }
    }
  }
}
