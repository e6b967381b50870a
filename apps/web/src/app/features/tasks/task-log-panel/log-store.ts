// The entries a log panel holds: history pages and live batches merged in ascending seq, each seq
// once, inside a bounded window. Plain signals and no HTTP: the panel feeds it, tests drive it.
import { computed, signal } from '@angular/core';
import type { LogEntry, LogPage } from '@taskdeck/contracts';

/** Entries kept in memory; older ones are fetched back when scrolled to. */
export const DEFAULT_LOG_WINDOW = 200_000;

export type FrameScheduler = (flush: () => void) => void;

const nextFrame: FrameScheduler = (flush) => {
  if (typeof requestAnimationFrame === 'function') requestAnimationFrame(() => flush());
  else setTimeout(flush, 16);
};

export class LogStore {
  private readonly items = signal<readonly LogEntry[]>([]);
  private pending: LogEntry[] = [];
  private frameRequested = false;
  private readonly older = signal<number | null>(null);

  readonly entries = this.items.asReadonly();
  readonly size = computed(() => this.items().length);
  /** The `beforeSeq` that loads the page just before the first entry held, or null at the start. */
  readonly olderCursor = this.older.asReadonly();
  readonly hasOlder = computed(() => this.older() !== null);
  /** The newest entries were trimmed to make room for older ones: live lines are counted, not held. */
  readonly detachedFromTail = signal(false);
  /** Live lines that arrived while detached from the tail. */
  readonly missedLive = signal(0);
  /** Live lines appended since the last reset (for "N new lines"). */
  readonly appendedLive = signal(0);
  /** Entries trimmed from the front since the last reset (so a paused view can hold its place). */
  readonly trimmedFront = signal(0);

  constructor(
    readonly windowSize = DEFAULT_LOG_WINDOW,
    /** Runs the merge of queued live entries once per animation frame; tests pass their own. */
    private readonly schedule: FrameScheduler = nextFrame,
  ) {}

  /** The highest seq held, or null when empty. */
  lastSeq(): number | null {
    const items = this.items();
    return items.length ? items[items.length - 1].seq : null;
  }

  firstSeq(): number | null {
    return this.items()[0]?.seq ?? null;
  }

  /** Starts over, optionally with one page (typically the tail of the log). */
  reset(page?: LogPage): void {
    this.pending = [];
    this.items.set(page ? dedupeAscending(page.items) : []);
    this.older.set(page?.prevCursor ?? null);
    this.detachedFromTail.set(false);
    this.missedLive.set(0);
    this.appendedLive.set(0);
    this.trimmedFront.set(0);
  }

  /** An older page (from `beforeSeq`) goes in front; past the window the newest are trimmed. Returns how many were added. */
  prepend(page: LogPage): number {
    const first = this.firstSeq();
    const older = dedupeAscending(
      first === null ? page.items : page.items.filter((e) => e.seq < first),
    );
    let merged = older.concat(this.items());
    if (merged.length > this.windowSize) {
      merged = merged.slice(0, this.windowSize);
      this.detachedFromTail.set(true);
    }
    this.items.set(merged);
    // A page with nothing older than what is held means there is nothing older to fetch.
    this.older.set(older.length ? page.prevCursor : null);
    return older.length;
  }

  /** Live entries: merged at the next animation frame, all batches queued by then at once. */
  enqueue(entries: readonly LogEntry[]): void {
    if (!entries.length) return;
    for (const entry of entries) this.pending.push(entry);
    if (this.frameRequested) return;
    this.frameRequested = true;
    this.schedule(() => {
      this.frameRequested = false;
      this.flush();
    });
  }

  /** Appends what is queued: seqs above the last one held, ascending, once; trims the oldest. */
  flush(): void {
    if (!this.pending.length) return;
    const queued = this.pending;
    this.pending = [];
    if (this.detachedFromTail()) {
      this.missedLive.update((n) => n + queued.length);
      return;
    }
    let last = this.lastSeq() ?? 0;
    const fresh: LogEntry[] = [];
    for (const entry of isAscending(queued) ? queued : [...queued].sort((a, b) => a.seq - b.seq)) {
      if (entry.seq > last) {
        fresh.push(entry);
        last = entry.seq;
      }
    }
    if (!fresh.length) return;
    let merged = this.items().concat(fresh);
    const excess = merged.length - this.windowSize;
    if (excess > 0) {
      merged = merged.slice(excess);
      this.trimmedFront.update((n) => n + excess);
      this.older.set(merged[0].seq);
    }
    this.items.set(merged);
    this.appendedLive.update((n) => n + fresh.length);
  }
}

function isAscending(entries: readonly LogEntry[]): boolean {
  for (let i = 1; i < entries.length; i++) if (entries[i].seq <= entries[i - 1].seq) return false;
  return true;
}

function dedupeAscending(entries: readonly LogEntry[]): LogEntry[] {
  const sorted = isAscending(entries) ? [...entries] : [...entries].sort((a, b) => a.seq - b.seq);
  return sorted.filter((entry, i) => i === 0 || entry.seq !== sorted[i - 1].seq);
}
