// The in-memory queue between log calls and the flusher: O(1) append, oldest-first take, bounded
// by entries and bytes. Past a bound the lowest levels go first (oldest first within a level), and
// every dropped entry is counted per task and level so that the log can say so later.
import type { LevelRank } from '../level-rank';
import type { LogRecord } from './log-record';

/** Per level, DEBUG..ERROR. */
export type LevelCounts = [number, number, number, number];

/** An overflow pass brings the buffer down to this share of its bounds, so passes stay rare. */
const COMPACT_TO = 0.9;
/** Taken slots at the front are reclaimed once they are this many and half the array. */
const RECLAIM_AFTER = 4096;

export class LogBuffer {
  private items: LogRecord[] = [];
  private head = 0;
  private bytes = 0;
  private readonly levelCounts: LevelCounts = [0, 0, 0, 0];
  private readonly levelBytes: LevelCounts = [0, 0, 0, 0];
  private nextPos = 0;
  private dropped = new Map<string, LevelCounts>();
  private droppedSince: number | null = null;

  constructor(
    readonly capacity: number,
    readonly maxBytes: number,
  ) {}

  /** Entries waiting. */
  get length(): number {
    return this.items.length - this.head;
  }

  get byteSize(): number {
    return this.bytes;
  }

  /** The pos the next pushed record gets: everything pushed so far has a lower one. */
  get appendedPos(): number {
    return this.nextPos;
  }

  /** Pos of the oldest waiting entry; appendedPos when empty. */
  get oldestPos(): number {
    return this.head < this.items.length ? this.items[this.head].pos : this.nextPos;
  }

  peekOldest(): LogRecord | undefined {
    return this.items[this.head];
  }

  /** Stamps the record with the next pos without holding it (it goes to the spill). */
  stamp(record: LogRecord): void {
    record.pos = this.nextPos++;
  }

  /** Queues a record; `stamped`: it has its pos already (see stamp). */
  push(record: LogRecord, stamped = false): void {
    if (!stamped) record.pos = this.nextPos++;
    this.items.push(record);
    this.bytes += record.approxBytes;
    this.levelCounts[record.level]++;
    this.levelBytes[record.level] += record.approxBytes;
    if (this.length > this.capacity || this.bytes > this.maxBytes) this.shed();
  }

  /** Removes and returns the oldest `n` entries (only those with pos below `belowPos`), in call order. */
  take(n: number, belowPos = Infinity): LogRecord[] {
    let end = Math.min(this.items.length, this.head + Math.max(0, n));
    if (belowPos !== Infinity) {
      let i = this.head;
      while (i < end && this.items[i].pos < belowPos) i++;
      end = i;
    }
    const taken = this.items.slice(this.head, end);
    for (const record of taken) this.forget(record);
    this.head = end;
    this.reclaim();
    return taken;
  }

  /** Drops every waiting entry of a task (it is being deleted) and its drop counts. */
  removeTask(taskId: string): number {
    const before = this.length;
    this.items = this.items.slice(this.head).filter((record) => {
      if (record.taskId !== taskId) return true;
      this.forget(record);
      return false;
    });
    this.head = 0;
    this.dropped.delete(taskId);
    if (this.dropped.size === 0) this.droppedSince = null;
    return before - this.length;
  }

  /** Counts a record dropped outside the buffer (e.g. a batch the database refused for good). */
  countDropped(record: LogRecord): void {
    let counts = this.dropped.get(record.taskId);
    if (!counts) {
      counts = [0, 0, 0, 0];
      this.dropped.set(record.taskId, counts);
    }
    counts[record.level]++;
    this.droppedSince ??= Date.now();
  }

  /** When the oldest not yet reported drop happened (epoch ms), or null. */
  get droppedSinceMs(): number | null {
    return this.droppedSince;
  }

  /** The drop counts per task since the last call, and resets them. */
  takeDropped(): Map<string, LevelCounts> {
    const dropped = this.dropped;
    this.dropped = new Map();
    this.droppedSince = null;
    return dropped;
  }

  private forget(record: LogRecord): void {
    this.bytes -= record.approxBytes;
    this.levelCounts[record.level]--;
    this.levelBytes[record.level] -= record.approxBytes;
  }

  private reclaim(): void {
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= RECLAIM_AFTER && this.head * 2 >= this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * One pass that brings the buffer to COMPACT_TO of both bounds: whole levels from DEBUG up while
   * that is not enough, then the oldest entries of the next level. Amortised O(1) per push, since
   * a pass frees a tenth of the capacity.
   */
  private shed(): void {
    let needCount = this.length - Math.floor(this.capacity * COMPACT_TO);
    let needBytes = this.bytes - Math.floor(this.maxBytes * COMPACT_TO);
    const dropAll = [false, false, false, false];
    let partial = -1;
    for (let level = 0; level < 4 && (needCount > 0 || needBytes > 0); level++) {
      if (this.levelCounts[level] === 0) continue;
      if (this.levelCounts[level] <= needCount || this.levelBytes[level] <= needBytes) {
        dropAll[level] = true;
        needCount -= this.levelCounts[level];
        needBytes -= this.levelBytes[level];
      } else {
        partial = level;
        break;
      }
    }
    const kept: LogRecord[] = [];
    for (let i = this.head; i < this.items.length; i++) {
      const record = this.items[i];
      const level: LevelRank = record.level;
      if (dropAll[level] || (level === partial && (needCount > 0 || needBytes > 0))) {
        if (level === partial) {
          needCount--;
          needBytes -= record.approxBytes;
        }
        this.forget(record);
        this.countDropped(record);
      } else {
        kept.push(record);
      }
    }
    this.items = kept;
    this.head = 0;
  }
}
