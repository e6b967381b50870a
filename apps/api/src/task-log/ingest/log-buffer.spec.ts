import { LogBuffer } from './log-buffer';
import type { LevelRank } from '../level-rank';
import { createLogRecord, type LogRecord } from './log-record';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function record(level: LevelRank, message: string, taskId = A): LogRecord {
  return createLogRecord(taskId, level, 'src', message, undefined);
}

/** A buffer whose byte bound never bites, so that only the entry bound is in play. */
function entryBound(capacity: number): LogBuffer {
  return new LogBuffer(capacity, Number.MAX_SAFE_INTEGER);
}

describe('LogBuffer', () => {
  it('hands entries out oldest first, in call order, stamping a rising pos', () => {
    const buffer = entryBound(100);
    for (let i = 0; i < 10; i++) buffer.push(record((i % 4) as LevelRank, `m${i}`));
    expect(buffer.length).toBe(10);
    expect(buffer.oldestPos).toBe(0);
    const first = buffer.take(4);
    expect(first.map((r) => r.message)).toEqual(['m0', 'm1', 'm2', 'm3']);
    expect(first.map((r) => r.pos)).toEqual([0, 1, 2, 3]);
    expect(buffer.oldestPos).toBe(4);
    expect(buffer.take(100).map((r) => r.message)).toEqual(['m4', 'm5', 'm6', 'm7', 'm8', 'm9']);
    expect(buffer.length).toBe(0);
    expect(buffer.byteSize).toBe(0);
    expect(buffer.oldestPos).toBe(10);
    expect(buffer.appendedPos).toBe(10);
    expect(buffer.take(5)).toEqual([]);
  });

  it('stamp gives a pos without holding the record; take stops below a pos (the merge with the spill)', () => {
    const buffer = entryBound(100);
    buffer.push(record(1, 'm0'));
    const spilled = record(1, 's1');
    buffer.stamp(spilled);
    expect(spilled.pos).toBe(1);
    expect(buffer.length).toBe(1);
    const late = record(1, 'm2');
    buffer.stamp(late);
    buffer.push(late, true); // the spill refused it: it keeps its pos
    buffer.push(record(1, 'm3'));
    expect(buffer.take(10, spilled.pos).map((r) => r.message)).toEqual(['m0']);
    expect(buffer.take(10).map((r) => [r.message, r.pos])).toEqual([
      ['m2', 2],
      ['m3', 3],
    ]);
  });

  it('keeps order across many pushes and takes (front slots reclaimed)', () => {
    const buffer = entryBound(1_000_000);
    let next = 0;
    let expected = 0;
    for (let round = 0; round < 50; round++) {
      for (let i = 0; i < 3000; i++) buffer.push(record(1, String(next++)));
      for (const r of buffer.take(2500)) expect(r.message).toBe(String(expected++));
    }
    for (const r of buffer.take(Infinity)) expect(r.message).toBe(String(expected++));
    expect(expected).toBe(next);
  });

  it('past capacity drops the lowest level first, oldest first, down to about 90 %', () => {
    const buffer = entryBound(100);
    // 40 DEBUG, 40 INFO, 20 WARNING, interleaved; then one ERROR tips it over.
    for (let i = 0; i < 100; i++) {
      const level: LevelRank = i % 5 === 4 ? 2 : i % 2 === 0 ? 0 : 1;
      buffer.push(record(level, `m${i}`));
    }
    expect(buffer.length).toBe(100);
    buffer.push(record(3, 'error'));
    // 101 → 90: the 11 oldest DEBUG entries go, nothing else.
    expect(buffer.length).toBe(90);
    const kept = buffer.take(1000);
    const debugKept = kept.filter((r) => r.level === 0).map((r) => r.message);
    expect(debugKept).toHaveLength(40 - 11);
    // DEBUG is every even i that is not ≡ 4 (mod 5): m0, m2, m6 … m26 are the 11 oldest.
    expect(debugKept[0]).toBe('m28');
    expect(kept.filter((r) => r.level === 1)).toHaveLength(40);
    expect(kept.filter((r) => r.level === 2)).toHaveLength(20);
    expect(kept.some((r) => r.message === 'error')).toBe(true);
    expect(kept.map((r) => r.pos)).toEqual([...kept.map((r) => r.pos)].sort((a, b) => a - b));
  });

  it('drops whole lower levels before touching a higher one', () => {
    const buffer = entryBound(1000);
    for (let i = 0; i < 50; i++) buffer.push(record(0, `d${i}`));
    for (let i = 0; i < 900; i++) buffer.push(record(1, `i${i}`));
    for (let i = 0; i < 51; i++) buffer.push(record(3, `e${i}`));
    // 1001 → 900: all 50 DEBUG, then the 51 oldest INFO.
    expect(buffer.length).toBe(900);
    const kept = buffer.take(1000);
    expect(kept.filter((r) => r.level === 0)).toHaveLength(0);
    expect(kept.filter((r) => r.level === 1)[0].message).toBe('i51');
    expect(kept.filter((r) => r.level === 3)).toHaveLength(51);
  });

  it('counts what it dropped per task and level, once', () => {
    const buffer = entryBound(10);
    for (let i = 0; i < 6; i++) buffer.push(record(0, `a${i}`, A));
    for (let i = 0; i < 5; i++) buffer.push(record(i < 3 ? 0 : 2, `b${i}`, B));
    // 11 → 9: the two oldest DEBUG entries, both of task A.
    expect(buffer.droppedSinceMs).not.toBeNull();
    expect(buffer.takeDropped()).toEqual(new Map([[A, [2, 0, 0, 0]]]));
    expect(buffer.takeDropped()).toEqual(new Map());
    expect(buffer.droppedSinceMs).toBeNull();
  });

  it('is bounded by bytes too', () => {
    const probe = record(1, 'x'.repeat(1000));
    const buffer = new LogBuffer(1_000_000, probe.approxBytes * 10);
    for (let i = 0; i < 10; i++) buffer.push(record(1, 'x'.repeat(1000)));
    expect(buffer.length).toBe(10);
    buffer.push(record(2, 'y'.repeat(1000)));
    expect(buffer.byteSize).toBeLessThanOrEqual(probe.approxBytes * 9);
    expect(buffer.takeDropped().get(A)).toEqual([0, 2, 0, 0]);
  });

  it('removes one task on request and forgets its drop counts', () => {
    const buffer = entryBound(10);
    for (let i = 0; i < 11; i++) buffer.push(record(0, `a${i}`, i % 2 === 0 ? A : B));
    buffer.push(record(1, 'b-info', B));
    expect(buffer.removeTask(A)).toBeGreaterThan(0);
    const rest = buffer.take(100);
    expect(rest.every((r) => r.taskId === B)).toBe(true);
    expect([...buffer.takeDropped().keys()]).toEqual([B]);
    expect(buffer.byteSize).toBe(0);
  });

  it('keeps its byte and level accounting exact through drops and takes', () => {
    const buffer = new LogBuffer(500, 40_000);
    for (let i = 0; i < 5000; i++) {
      buffer.push(record(((i * 7) % 4) as LevelRank, 'm'.repeat(i % 97)));
      if (i % 13 === 0) buffer.take(7);
    }
    const rest = buffer.take(Infinity);
    expect(buffer.byteSize).toBe(0);
    expect(rest.length).toBeLessThanOrEqual(500);
    expect(rest.reduce((sum, r) => sum + r.approxBytes, 0)).toBeLessThanOrEqual(40_000);
  });
});
