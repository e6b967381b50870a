// The flusher: group commit of buffered task log entries, one batch in flight, seq numbered per task
// when a batch is formed, published on committed$ only after the commit (persist, then publish).
// Internal to task-log: the rest of the server writes through TaskLogWriter.
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { Subject, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { RateLimitedWarning } from '../../common/rate-limited-warning';
import { taskLogConfig } from '../../config/task-log.config';
import {
  assignSeqs,
  distinctTaskIds,
  encodeBatch,
  toCommittedLogs,
  withoutTask,
  type CommittedLogs,
  type PendingBatch,
} from './log-batch';
import { LogBatchStore } from './log-batch-store';
import { LogSpill, type SpillCursor } from './log-spill';
import { LogBuffer } from './log-buffer';
import { type LogRecord } from './log-record';
import { droppedNotices } from './dropped-notice';
import { describeWriteFailure, retryDelayMs } from './write-failure';

/** Where log calls put their records. */
export interface LogRecordSink {
  append(record: LogRecord): void;
}

/** How long the final flush at shutdown keeps retrying. */
export const SHUTDOWN_FLUSH_MS = 10_000;
/** Write failures are logged at most this often. */
const WARN_EVERY_MS = 10_000;
/** A batch the database refuses for its data (not its connection) this often is dropped. */
const MAX_REFUSALS = 3;
/** The in-memory queue holds this many batches at most while the spill takes the rest. */
const MEMORY_BATCHES = 2;
/** yield() waits while this many batches (memory and spill together) wait. */
const YIELD_BATCHES = 1;
const RESOLVED = Promise.resolve();

/** Unreported drops are announced after a commit once the buffer is this empty, or this late. */
const NOTICE_BELOW_FILL = 0.5;
const NOTICE_AFTER_MS = 5_000;

/**
 * Seq numbering: a task's numbering continues from its stored total (task_log_counters, guarded
 * by the primary key's max(seq)), loaded
 * by openTask or — for a task never opened or already closed — lazily when a batch with its
 * entries is formed. A batch is formed only after the previous one committed, so that total is
 * never stale on this instance.
 */
@Injectable()
export class LogFlusher implements LogRecordSink, OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(LogFlusher.name);
  private readonly buffer: LogBuffer;
  private readonly store: LogBatchStore;
  /** Null: no spill configured; closed (not usable) until onModuleInit opened it. */
  private readonly spill: LogSpill | null;
  private spillId: string | null = null;
  /** Tasks deleted while spilled records of theirs wait: those are skipped when read. */
  private readonly discarded = new Set<string>();
  /** Entries the memory queue holds before new ones go to the spill (when there is one). */
  private readonly memoryHigh: number;
  private readonly memoryHighBytes: number;
  private readonly yieldHigh: number;
  private roomWaiters: {
    resolve: () => void;
    reject: (error: Error) => void;
    signal?: AbortSignal;
    onAbort?: () => void;
  }[] = [];
  /** Last seq given out per open task. */
  private readonly lastSeq = new Map<string, number>();
  private readonly committed = new Subject<CommittedLogs>();
  /** Every commit, after it happened: the entries per task in ascending seq. */
  readonly committed$: Observable<CommittedLogs> = this.committed.asObservable();

  private committedCount = 0;
  private batch: PendingBatch | null = null;
  private attempt: Promise<unknown> | null = null;
  private draining = false;
  private kickPending = false;
  private timer: NodeJS.Timeout | null = null;
  private flushTarget = 0;
  private waiters: { target: number; resolve: () => void }[] = [];
  private failures = 0;
  private readonly writeFailures = new RateLimitedWarning(this.logger, WARN_EVERY_MS);
  private wakeRetry: (() => void) | null = null;
  private stopped = false;

  constructor(
    @InjectDataSource() dataSource: DataSource,
    @Inject(taskLogConfig.KEY) private readonly cfg: ConfigType<typeof taskLogConfig>,
  ) {
    this.buffer = new LogBuffer(cfg.bufferCapacity, cfg.bufferMaxBytes);
    this.store = new LogBatchStore(dataSource);
    this.memoryHigh = Math.min(cfg.bufferCapacity, MEMORY_BATCHES * cfg.batchSize);
    this.memoryHighBytes = Math.floor(cfg.bufferMaxBytes / 2);
    this.yieldHigh = Math.min(cfg.bufferCapacity, YIELD_BATCHES * cfg.batchSize);
    this.spill =
      cfg.spillMaxBytes > 0 && cfg.spillDir
        ? new LogSpill(cfg.spillDir, cfg.spillMaxBytes, (records, cause) =>
            this.onSpillLost(records, cause),
          )
        : null;
  }

  /**
   * Opens the spill: what a killed process left in it is queued first, ahead of anything logged
   * from now on (so that the restart's own lines, e.g. "interrupted by server restart", come
   * after it). A spill that cannot be opened leaves the log as without one, with a warning.
   */
  async onModuleInit(): Promise<void> {
    if (!this.spill) return;
    try {
      const spillId = LogSpill.identify(this.spill.dir);
      const cursor = await this.store.loadSpillCursor(spillId);
      const { replayed, tornBytes } = this.spill.open(cursor);
      this.spillId = spillId;
      if (tornBytes > 0) {
        this.logger.warn(
          `the task log spill ended in ${tornBytes} bytes of a record torn by a crash: ignored`,
        );
      }
      if (replayed > 0) {
        this.logger.log(
          `replaying ${replayed} task log entries from the spill (${this.spill.dir}) left by the previous run`,
        );
        this.kick();
      }
    } catch (error) {
      this.logger.warn(
        `the task log spill is off (${this.spill.dir}): ${String(error)}; past the in-memory bound entries are dropped, lowest level first`,
      );
    }
  }

  /** Entries the spill holds and bytes it uses on disk (0 without a spill). */
  get spillStats(): { entries: number; bytes: number; spilledTotal: number } {
    return {
      entries: this.spill?.length ?? 0,
      bytes: this.spill?.byteSize ?? 0,
      spilledTotal: this.spill?.spilledTotal ?? 0,
    };
  }

  /** Entries accepted and held only in memory: what a process kill now would lose. */
  get volatileCount(): number {
    const batchInMemory = this.batch
      ? Math.min(this.batch.records.length, this.batch.fromMemory ?? this.batch.records.length)
      : 0;
    return this.buffer.length + batchInMemory + (this.spill?.pendingCount ?? 0);
  }

  /**
   * Backpressure for plugins (TaskContext.yield): resolves at once while fewer than a batch of
   * entries wait, else once the flusher took them; rejects with the signal's reason when it aborts.
   */
  waitForRoom(signal?: AbortSignal): Promise<void> {
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    if (this.hasRoom() || this.stopped) return RESOLVED;
    return new Promise((resolve, reject) => {
      const waiter: (typeof this.roomWaiters)[number] = { resolve, reject, signal };
      if (signal) {
        waiter.onAbort = () => {
          this.roomWaiters = this.roomWaiters.filter((w) => w !== waiter);
          reject(abortReason(signal));
        };
        signal.addEventListener('abort', waiter.onAbort, { once: true });
      }
      this.roomWaiters.push(waiter);
      this.kick();
    });
  }

  /** Entries committed by this writer since it started (a running total). */
  get committedRows(): number {
    return this.committedCount;
  }

  /** Entries accepted but not committed yet (buffered plus the batch in flight). */
  get pendingCount(): number {
    return this.buffer.length + (this.batch?.records.length ?? 0) + (this.spill?.length ?? 0);
  }

  /**
   * The hot path: O(1) (amortised: the spill writes in chunks), never awaits. Past the memory
   * queue's high-water mark — and for as long as the spill holds anything, so that it drains —
   * records go to the spill; without a usable spill they stay in memory up to its bound.
   */
  append(record: LogRecord): void {
    const spill = this.spill;
    let stamped = false;
    if (
      spill !== null &&
      (spill.length > 0 ||
        this.buffer.length >= this.memoryHigh ||
        this.buffer.byteSize >= this.memoryHighBytes) &&
      spill.usable
    ) {
      this.buffer.stamp(record);
      stamped = true;
      if (!spill.append(record)) this.buffer.push(record, true);
    } else {
      this.buffer.push(record);
    }
    if (this.draining || this.kickPending || this.stopped) return;
    if (stamped || this.buffer.length >= this.cfg.batchSize) this.kick();
    else this.timer ??= setTimeout(() => this.onTimer(), this.cfg.flushIntervalMs);
  }

  /**
   * Loads where the task's numbering continues; call before the task logs. Rejects when the
   * database does not answer (the numbering is then loaded when its first batch forms).
   */
  async openTask(taskId: string): Promise<void> {
    if (this.lastSeq.has(taskId)) return;
    const totals = await this.store.loadTotals([taskId], true);
    // A batch formed meanwhile may have loaded it already (and numbered from it).
    if (!this.lastSeq.has(taskId)) this.lastSeq.set(taskId, totals.get(taskId) ?? 0);
  }

  /** Resolves once every entry logged so far (this task's included) is committed; forgets the task. */
  async closeTask(taskId: string): Promise<void> {
    await this.flush();
    this.lastSeq.delete(taskId);
  }

  /**
   * For a task being deleted: drops its buffered entries and numbering, and takes its entries out
   * of the batch in flight, waiting for a write attempt under way. Delete its rows after this.
   */
  async discardTask(taskId: string): Promise<void> {
    this.buffer.removeTask(taskId);
    if (this.spill && this.spill.length > 0) this.discarded.add(taskId);
    this.lastSeq.delete(taskId);
    // Only the attempt under way can hold this task's rows: later batches come from the purged buffer.
    await this.attempt?.catch(() => undefined);
    if (this.batch) this.batch = withoutTask(this.batch, taskId);
    this.resolveWaiters();
  }

  /** Resolves once everything appended before the call is committed (or dropped as overflow). */
  flush(): Promise<void> {
    const target = this.buffer.appendedPos;
    if (this.settledPos() >= target) return Promise.resolve();
    if (this.stopped) {
      // After the final flush nothing is written any more; waiting would hang the caller.
      this.logger.warn(
        `flush after shutdown: ${this.pendingCount} task log entries will not be stored`,
      );
      return Promise.resolve();
    }
    this.flushTarget = Math.max(this.flushTarget, target);
    return new Promise((resolve) => {
      this.waiters.push({ target, resolve });
      this.kick();
    });
  }

  async beforeApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const flushed = await Promise.race([
      this.flush().then(() => true),
      new Promise<false>(
        (resolve) => (timer = setTimeout(() => resolve(false), SHUTDOWN_FLUSH_MS)),
      ),
    ]);
    clearTimeout(timer);
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wakeRetry?.();
    await this.attempt?.catch(() => undefined);
    this.store.release();
    for (const waiter of this.roomWaiters.splice(0)) this.releaseRoomWaiter(waiter);
    if (!flushed) {
      const kept = this.spillLeftovers();
      const lost = this.volatileCount;
      const inSpill = this.spill?.length ?? 0;
      if (lost > 0) {
        this.logger.error(
          `stopping with ${lost} task log entries not stored: the database did not take them within ${SHUTDOWN_FLUSH_MS} ms`,
        );
      }
      if (inSpill > 0) {
        this.logger.warn(
          `${inSpill} task log entries stay in the spill (${this.spill?.dir}${kept ? `, ${kept} of them moved there at shutdown` : ''}): they are stored at the next start`,
        );
      }
    }
    this.spill?.close();
  }

  /**
   * At a shutdown the database did not let finish: what only memory holds (the batch in flight and
   * the memory queue, in call order) goes to the spill, to be stored at the next start — when that
   * keeps call order, i.e. the spill holds nothing unread. Returns how many went.
   */
  private spillLeftovers(): number {
    const spill = this.spill;
    if (!spill || spill.length > 0 || !spill.usable || this.batch?.spillCursor) return 0;
    const records = this.batch?.records ?? [];
    this.batch = null;
    const queued = this.buffer.take(this.buffer.length);
    let kept = 0;
    const left: LogRecord[] = [];
    for (const record of [records, queued].flat()) {
      if (left.length === 0 && spill.append(record)) kept++;
      else left.push(record); // past the cap: the rest stays (and is lost) in order
    }
    for (const record of left) this.buffer.push(record, true);
    spill.writePending();
    return kept;
  }

  private onTimer(): void {
    this.timer = null;
    void this.drain();
  }

  /** Starts the drain loop on the next turn of the event loop (never inside a log call). */
  private kick(): void {
    if (this.draining || this.kickPending || this.stopped) return;
    this.kickPending = true;
    setImmediate(() => {
      this.kickPending = false;
      void this.drain();
    });
  }

  /** Pos below which every entry is committed or dropped. */
  private settledPos(): number {
    const first = this.batch?.records[0];
    let settled = first ? Math.min(first.pos, this.buffer.oldestPos) : this.buffer.oldestPos;
    const spilled = this.spill && this.spill.length > 0 ? this.spill.peek() : undefined;
    if (spilled) settled = Math.min(settled, spilled.pos);
    return settled;
  }

  private isDue(): boolean {
    if (this.spill && this.spill.length > 0) return true;
    const oldest = this.buffer.peekOldest();
    if (!oldest) return false;
    return (
      this.buffer.length >= this.cfg.batchSize ||
      this.flushTarget > oldest.pos ||
      Date.now() - oldest.ts >= this.cfg.flushIntervalMs
    );
  }

  private async drain(): Promise<void> {
    if (this.draining || this.stopped) return;
    this.draining = true;
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    try {
      while (!this.stopped) {
        if (!this.batch) {
          if (!this.isDue()) break;
          this.batch = this.takeBatch();
          this.releaseRoomWaiters();
        }
        const batch = this.batch;
        this.attempt = this.write(batch);
        const outcome = await this.attempt.then(
          () => null,
          (error: unknown) => error,
        );
        this.attempt = null;
        if (outcome === null) this.afterCommit(batch);
        else if (this.onFailure(batch, outcome)) await this.sleep(retryDelayMs(this.failures));
        this.resolveWaiters();
      }
    } finally {
      this.draining = false;
      this.resolveWaiters();
      this.scheduleRest();
    }
  }

  /** After the loop stops: a timer for entries that are not due yet. */
  private scheduleRest(): void {
    if (this.stopped || this.timer) return;
    if (this.spill && this.spill.length > 0) return this.kick();
    const oldest = this.buffer.peekOldest();
    if (!oldest) return;
    if (this.isDue()) return this.kick();
    const wait = Math.min(
      this.cfg.flushIntervalMs,
      Math.max(0, this.cfg.flushIntervalMs - (Date.now() - oldest.ts)),
    );
    this.timer = setTimeout(() => this.onTimer(), wait);
  }

  private async write(batch: PendingBatch): Promise<void> {
    if (!batch.seqs) {
      const unknown = distinctTaskIds(batch.records).filter((id) => !this.lastSeq.has(id));
      if (unknown.length > 0) {
        const totals = await this.store.loadTotals(unknown);
        for (const id of unknown) {
          if (!this.lastSeq.has(id)) this.lastSeq.set(id, totals.get(id) ?? 0);
        }
      }
      batch.seqs = assignSeqs(batch.records, this.lastSeq);
    }
    const cursor =
      batch.spillCursor && this.spillId ? { spillId: this.spillId, ...batch.spillCursor } : null;
    if (batch.records.length === 0 && !cursor) return;
    const encoded = encodeBatch(batch.records, batch.seqs);
    await this.store.write(encoded.copyPieces, encoded.counters, cursor);
    this.committedCount += batch.records.length;
    // Committed: publish before anything else can run.
    if (this.committed.observed) {
      try {
        this.committed.next(toCommittedLogs(batch.records, batch.seqs, encoded.timestamps));
      } catch (error) {
        this.logger.error(`a committed$ subscriber failed: ${String(error)}`);
      }
    }
  }

  private afterCommit(batch: PendingBatch): void {
    this.batch = null;
    if (batch.spillCursor) {
      this.spill?.committed(batch.spillCursor);
      if (this.spill?.length === 0) this.discarded.clear();
    }
    if (this.failures > 0) {
      this.logger.log(`task log writes resumed after ${this.failures} failed attempts`);
      this.failures = 0;
    }
    const since = this.buffer.droppedSinceMs;
    if (since === null) return;
    const eased =
      (this.spill?.length ?? 0) === 0 &&
      this.buffer.length < this.buffer.capacity * NOTICE_BELOW_FILL &&
      this.buffer.byteSize < this.buffer.maxBytes * NOTICE_BELOW_FILL;
    if (eased || Date.now() - since >= NOTICE_AFTER_MS) {
      for (const notice of droppedNotices(this.buffer.takeDropped())) this.buffer.push(notice);
    }
  }

  /** Decides what a failed attempt means; true when the batch waits for a retry. */
  private onFailure(batch: PendingBatch, error: unknown): boolean {
    const failure = describeWriteFailure(error);
    if (failure.kind === 'stale-seq') {
      // Rows with our seqs exist already (another writer numbered this task): renumber from the store.
      this.logger.warn(`task log seq conflict, renumbering the batch: ${failure.message}`);
      for (const id of distinctTaskIds(batch.records)) this.lastSeq.delete(id);
      batch.seqs = null;
      return this.noteFailure(failure.message);
    }
    if (failure.kind === 'refused' && ++batch.refusals >= MAX_REFUSALS) {
      this.logger.error(
        `dropping ${batch.records.length} task log entries the database refused ${MAX_REFUSALS} times: ${failure.message}`,
      );
      for (const record of batch.records) this.buffer.countDropped(record);
      // Their seqs were never stored: continue each task's numbering from the store.
      for (const id of distinctTaskIds(batch.records)) this.lastSeq.delete(id);
      this.batch = null;
      return false;
    }
    return this.noteFailure(failure.message);
  }

  private noteFailure(message: string): true {
    this.failures++;
    this.writeFailures.warn(
      () =>
        `task log write failed (attempt ${this.failures}, ${this.pendingCount} entries waiting), retrying: ${message}`,
    );
    return true;
  }

  /** The back-off wait; shutdown cuts it short. */
  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeRetry = null;
        resolve();
      };
      const timer = setTimeout(done, ms);
      this.wakeRetry = done;
    });
  }

  /**
   * The next batch, oldest first across the memory queue and the spill (merged by pos: each is in
   * call order). Takes the whole memory queue when nothing is spilled (it is bounded by the
   * high-water mark then), so that no entry in memory is older than the batch being committed.
   */
  private takeBatch(): PendingBatch {
    const spill = this.spill && this.spill.length > 0 ? this.spill : null;
    if (!spill) {
      const n = Math.min(Math.max(this.cfg.batchSize, this.buffer.length), this.memoryHigh);
      return { records: this.buffer.take(n), seqs: null, refusals: 0 };
    }
    // On disk from here: whatever was accepted before this batch formed survives a kill.
    spill.writePending();
    const n = this.cfg.batchSize;
    const records: LogRecord[] = [];
    let spillCursor: SpillCursor | null = null;
    let memoryTaken = 0;
    while (records.length < n) {
      const fromSpill = spill.peek();
      const fromMemory = this.buffer.peekOldest();
      if (!fromSpill && !fromMemory) break;
      if (fromMemory && (!fromSpill || fromMemory.pos < fromSpill.pos)) {
        const taken = this.buffer.take(n - records.length, fromSpill ? fromSpill.pos : Infinity);
        for (const record of taken) records.push(record);
        memoryTaken += taken.length;
        continue;
      }
      const taken = spill.take(n - records.length, fromMemory ? fromMemory.pos : Infinity);
      if (taken.records.length === 0) break;
      spillCursor = taken.after;
      for (const record of taken.records) {
        if (this.discarded.size === 0 || !this.discarded.has(record.taskId)) records.push(record);
      }
    }
    return { records, seqs: null, refusals: 0, spillCursor, fromMemory: memoryTaken };
  }

  /** Records the spill took and then could not write: counted as dropped, reported in the log. */
  private onSpillLost(records: LogRecord[], cause: unknown): void {
    for (const record of records) this.buffer.countDropped(record);
    this.logger.error(
      `the task log spill (${this.spill?.dir}) failed, ${records.length} entries were dropped and reported; past the in-memory bound entries are dropped until it works again: ${String(cause)}`,
    );
  }

  private hasRoom(): boolean {
    return (
      this.buffer.length + (this.spill?.length ?? 0) < this.yieldHigh &&
      this.buffer.byteSize < this.memoryHighBytes
    );
  }

  private releaseRoomWaiters(): void {
    if (this.roomWaiters.length === 0 || !this.hasRoom()) return;
    for (const waiter of this.roomWaiters.splice(0)) this.releaseRoomWaiter(waiter);
  }

  private releaseRoomWaiter(waiter: (typeof this.roomWaiters)[number]): void {
    if (waiter.onAbort) waiter.signal?.removeEventListener('abort', waiter.onAbort);
    waiter.resolve();
  }

  private resolveWaiters(): void {
    this.releaseRoomWaiters();
    if (this.waiters.length === 0) return;
    const settled = this.settledPos();
    const waiting: typeof this.waiters = [];
    for (const waiter of this.waiters) {
      if (waiter.target <= settled) waiter.resolve();
      else waiting.push(waiter);
    }
    this.waiters = waiting;
    if (waiting.length === 0 && settled >= this.flushTarget) this.flushTarget = 0;
  }
}

function abortReason(signal: AbortSignal): Error {
  return signal.reason instanceof Error
    ? signal.reason
    : new DOMException('the task was cancelled', 'AbortError');
}
