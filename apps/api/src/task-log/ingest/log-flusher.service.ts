// The flusher: group commit of buffered task log entries, one batch in flight, seq numbered per task
// when a batch is formed, published on committed$ only after the commit (persist, then publish).
// Internal to task-log: the rest of the server writes through TaskLogWriter.
import { Inject, Injectable, Logger, type BeforeApplicationShutdown } from '@nestjs/common';
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
export class LogFlusher implements LogRecordSink, BeforeApplicationShutdown {
  private readonly logger = new Logger(LogFlusher.name);
  private readonly buffer: LogBuffer;
  private readonly store: LogBatchStore;
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
  }

  /** Entries committed by this writer since it started (a running total). */
  get committedRows(): number {
    return this.committedCount;
  }

  /** Entries accepted but not committed yet (buffered plus the batch in flight). */
  get pendingCount(): number {
    return this.buffer.length + (this.batch?.records.length ?? 0);
  }

  /** The hot path: O(1), never awaits. */
  append(record: LogRecord): void {
    this.buffer.push(record);
    if (this.draining || this.kickPending || this.stopped) return;
    if (this.buffer.length >= this.cfg.batchSize) this.kick();
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
    if (!flushed) {
      this.logger.error(
        `stopping with ${this.pendingCount} task log entries not stored: the database did not take them within ${SHUTDOWN_FLUSH_MS} ms`,
      );
    }
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.wakeRetry?.();
    await this.attempt?.catch(() => undefined);
    this.store.release();
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
    return first ? first.pos : this.buffer.oldestPos;
  }

  private isDue(): boolean {
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
          this.batch = { records: this.buffer.take(this.cfg.batchSize), seqs: null, refusals: 0 };
        }
        const batch = this.batch;
        this.attempt = this.write(batch);
        const outcome = await this.attempt.then(
          () => null,
          (error: unknown) => error,
        );
        this.attempt = null;
        if (outcome === null) this.afterCommit();
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
    const oldest = this.buffer.peekOldest();
    if (!oldest || this.stopped || this.timer) return;
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
    if (batch.records.length === 0) return;
    const encoded = encodeBatch(batch.records, batch.seqs);
    await this.store.write(encoded.copyPieces, encoded.counters);
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

  private afterCommit(): void {
    this.batch = null;
    if (this.failures > 0) {
      this.logger.log(`task log writes resumed after ${this.failures} failed attempts`);
      this.failures = 0;
    }
    const since = this.buffer.droppedSinceMs;
    if (since === null) return;
    const eased =
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

  private resolveWaiters(): void {
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
