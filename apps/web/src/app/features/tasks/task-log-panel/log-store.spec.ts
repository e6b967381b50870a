import type { LogEntry, LogPage } from '@taskdeck/contracts';
import { LogStore, type FrameScheduler } from './log-store';

const entry = (seq: number): LogEntry => ({
  taskId: 't',
  seq,
  timestamp: '2026-11-25T06:00:00.000Z',
  level: 'INFO',
  source: 's',
  message: `m${seq}`,
  metadata: null,
});
const range = (from: number, to: number): LogEntry[] =>
  Array.from({ length: to - from + 1 }, (_, i) => entry(from + i));
const page = (from: number, to: number, prevCursor: number | null = null): LogPage => ({
  items: range(from, to),
  nextCursor: null,
  prevCursor,
});
const seqs = (store: LogStore): number[] => store.entries().map((e) => e.seq);
const now: FrameScheduler = (flush) => flush();

describe('LogStore', () => {
  it('merges the history page and live batches in ascending seq, each seq once', () => {
    const store = new LogStore(1000, now);
    store.reset(page(5, 8, 5));
    store.enqueue([entry(7), entry(8), entry(9)]);
    store.enqueue([entry(11), entry(10)]);
    store.enqueue([entry(9)]);
    expect(seqs(store)).toEqual([5, 6, 7, 8, 9, 10, 11]);
    expect(store.lastSeq()).toBe(11);
    expect(store.hasOlder()).toBe(true);
    expect(store.olderCursor()).toBe(5);
    expect(store.appendedLive()).toBe(3);
  });

  it('starts empty and takes live entries into an empty log', () => {
    const store = new LogStore(1000, now);
    store.reset({ items: [], nextCursor: null, prevCursor: null });
    expect(store.lastSeq()).toBeNull();
    store.enqueue([entry(1), entry(2)]);
    expect(seqs(store)).toEqual([1, 2]);
    expect(store.hasOlder()).toBe(false);
  });

  it('merges everything queued during a frame at once', () => {
    const frames: (() => void)[] = [];
    const store = new LogStore(1000, (flush) => frames.push(flush));
    store.enqueue([entry(1)]);
    store.enqueue([entry(3), entry(2)]);
    expect(seqs(store)).toEqual([]);
    expect(frames).toHaveLength(1);
    frames[0]();
    expect(seqs(store)).toEqual([1, 2, 3]);
    store.enqueue([entry(4)]);
    expect(frames).toHaveLength(2);
  });

  it('prepends older pages without duplicates and knows when the start is reached', () => {
    const store = new LogStore(1000, now);
    store.reset(page(50, 60, 50));
    expect(store.prepend(page(40, 52, 40))).toBe(10);
    expect(seqs(store)).toEqual(range(40, 60).map((e) => e.seq));
    expect(store.olderCursor()).toBe(40);
    expect(store.prepend(page(1, 39, null))).toBe(39);
    expect(store.firstSeq()).toBe(1);
    expect(store.hasOlder()).toBe(false);
  });

  it('stops asking for older entries when a page brings nothing new', () => {
    const store = new LogStore(1000, now);
    store.reset(page(10, 20, 10));
    expect(store.prepend(page(10, 12, 10))).toBe(0);
    expect(store.hasOlder()).toBe(false);
  });

  it('keeps a bounded window: live lines trim the oldest, which become fetchable again', () => {
    const store = new LogStore(10, now);
    store.reset(page(1, 8));
    store.enqueue(range(9, 12));
    expect(seqs(store)).toEqual(range(3, 12).map((e) => e.seq));
    expect(store.trimmedFront()).toBe(2);
    expect(store.olderCursor()).toBe(3);
  });

  it('trims the newest when older pages fill the window, then counts live lines instead', () => {
    const store = new LogStore(10, now);
    store.reset(page(11, 18, 11));
    store.prepend(page(5, 10, 5));
    expect(seqs(store)).toEqual(range(5, 14).map((e) => e.seq));
    expect(store.detachedFromTail()).toBe(true);
    store.enqueue([entry(19), entry(20)]);
    expect(seqs(store)).toEqual(range(5, 14).map((e) => e.seq));
    expect(store.missedLive()).toBe(2);

    store.reset(page(15, 20, 15));
    expect(store.detachedFromTail()).toBe(false);
    expect(store.missedLive()).toBe(0);
    expect(seqs(store)).toEqual(range(15, 20).map((e) => e.seq));
  });

  it('holds 200,000 entries and appends a 2,000-entry second within a frame budget', () => {
    const store = new LogStore(200_000, now);
    store.reset({ items: range(1, 200_000), nextCursor: null, prevCursor: null });
    const started = performance.now();
    for (let batch = 0; batch < 20; batch++) {
      const from = 200_001 + batch * 100;
      store.enqueue(range(from, from + 99));
    }
    const elapsed = performance.now() - started;
    expect(store.size()).toBe(200_000);
    expect(store.lastSeq()).toBe(202_000);
    expect(store.firstSeq()).toBe(2_001);
    // 20 frames' worth of merging (each copies the window) must stay well inside one second.
    expect(elapsed).toBeLessThan(1000);
  });
});
