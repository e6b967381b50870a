import { appendFileSync, chmodSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogRecord, type LogRecord } from './log-record';
import { LogSpill, decodeSpillRecords, encodeSpillRecord, segmentName } from './log-spill';

const TASK = '11111111-1111-4111-8111-111111111111';

function record(i: number, pos = i): LogRecord {
  const r = createLogRecord(TASK, (i % 4) as 0 | 1 | 2 | 3, 'src', `entry ${i}`, { i });
  r.pos = pos;
  return r;
}

describe('LogSpill', () => {
  let dir: string;
  let lost: LogRecord[];
  const spills: LogSpill[] = [];
  const make = (maxBytes = 1 << 30, options = {}) => {
    const spill = new LogSpill(dir, maxBytes, (records) => lost.push(...records), options);
    spills.push(spill);
    return spill;
  };

  beforeEach(() => {
    dir = join(mkdtempSync(join(tmpdir(), 'taskdeck-spill-')), 'log-spill');
    lost = [];
  });
  afterEach(() => {
    for (const spill of spills.splice(0)) spill.close();
    rmSync(join(dir, '..'), { recursive: true, force: true });
  });

  it('encodes and decodes a record: length prefix, CRC, the fields', () => {
    const original = record(7, 42);
    const { records, end, torn } = decodeSpillRecords(encodeSpillRecord(original));
    expect(torn).toBe(false);
    expect(end).toBe(encodeSpillRecord(original).length);
    expect(records[0].record).toEqual(original);
  });

  it('recognises a flipped byte (CRC) and an incomplete tail', () => {
    const bytes = Buffer.concat([encodeSpillRecord(record(1)), encodeSpillRecord(record(2))]);
    const corrupt = Buffer.from(bytes);
    corrupt[bytes.length - 3] ^= 0xff;
    const bad = decodeSpillRecords(corrupt);
    expect(bad.records).toHaveLength(1);
    expect(bad.torn).toBe(true);
    const cut = decodeSpillRecords(bytes.subarray(0, bytes.length - 5));
    expect(cut.records).toHaveLength(1);
    expect(cut.torn).toBe(false);
  });

  it('is not usable before open; appends and takes in order across segments and the pending chunk', () => {
    const spill = make(1 << 30, { segmentBytes: 4096, chunkBytes: 1024 });
    expect(spill.append(record(0))).toBe(false);
    spill.open(null);
    for (let i = 0; i < 500; i++) expect(spill.append(record(i))).toBe(true);
    expect(spill.length).toBe(500);
    expect(readdirSync(dir).filter((f) => f.startsWith('seg-')).length).toBeGreaterThan(2);
    const taken: number[] = [];
    for (;;) {
      const { records, after } = spill.take(64, Infinity);
      if (records.length === 0) break;
      taken.push(...records.map((r) => r.pos));
      spill.committed(after!);
    }
    expect(taken).toEqual([...Array(500).keys()]);
    expect(spill.length).toBe(0);
    // Everything committed: every segment is gone.
    expect(readdirSync(dir).filter((f) => f.startsWith('seg-'))).toEqual([]);
    expect(spill.byteSize).toBe(0);
  });

  it('take stops at the merge bound (pos of the oldest record in memory)', () => {
    const spill = make();
    spill.open(null);
    for (let i = 10; i < 20; i++) spill.append(record(i));
    expect(spill.take(100, 15).records.map((r) => r.pos)).toEqual([10, 11, 12, 13, 14]);
    expect(spill.peek()?.pos).toBe(15);
  });

  it('a restart replays what was not committed, first, with pos -1; a torn tail is cut off', () => {
    const first = make(1 << 30, { segmentBytes: 2048, chunkBytes: 256 });
    first.open(null);
    for (let i = 0; i < 100; i++) first.append(record(i));
    const { records, after } = first.take(30, Infinity);
    expect(records).toHaveLength(30);
    first.committed(after!);
    first.close();
    // A crash in the middle of a write: half a record at the end of the last segment.
    const segments = readdirSync(dir)
      .filter((f) => f.startsWith('seg-'))
      .sort();
    const last = join(dir, segments[segments.length - 1]);
    const sizeBefore = statSync(last).size;
    appendFileSync(last, encodeSpillRecord(record(999)).subarray(0, 20));

    const second = make();
    const opened = second.open(after);
    expect(opened.replayed).toBe(70);
    expect(opened.tornBytes).toBe(20);
    expect(statSync(last).size).toBe(sizeBefore);
    second.append(record(0, 5)); // logged after the start
    const replay = second.take(1000, Infinity).records;
    expect(replay.map((r) => r.message)).toEqual([
      ...Array.from({ length: 70 }, (_, k) => `entry ${k + 30}`),
      'entry 0',
    ]);
    expect(replay.slice(0, 70).every((r) => r.pos === -1)).toBe(true);
    expect(replay[70].pos).toBe(5);
  });

  it('segments numbered after the committed cursor even when every file was deleted', () => {
    const spill = make();
    spill.open({ segment: 41, offset: 100 });
    spill.append(record(1));
    spill.writePending();
    expect(readdirSync(dir)).toContain(segmentName(42));
  });

  it('refuses records past its cap and takes them again below 90 % of it', () => {
    const size = encodeSpillRecord(record(1)).length;
    const spill = make(size * 10, { chunkBytes: 1, segmentBytes: size });
    spill.open(null);
    let accepted = 0;
    for (let i = 0; i < 20; i++) if (spill.append(record(i))) accepted++;
    expect(accepted).toBe(10);
    expect(spill.usable).toBe(false);
    spill.committed(spill.take(2, Infinity).after!);
    expect(spill.usable).toBe(true);
  });

  it('a directory that cannot be written: open throws, or a failed write reports its records lost', () => {
    if (process.getuid?.() === 0) return; // root writes anywhere
    const spill = make(1 << 30, { chunkBytes: 1 << 20 });
    spill.open(null);
    spill.append(record(1));
    spill.append(record(2));
    chmodSync(dir, 0o500);
    try {
      spill.writePending();
      expect(lost.map((r) => r.message)).toEqual(['entry 1', 'entry 2']);
      expect(spill.usable).toBe(false);
      expect(spill.length).toBe(0);
      expect(() => make().open(null)).toThrow();
    } finally {
      chmodSync(dir, 0o700);
    }
  });

  it('a directory held by another live process is refused', () => {
    const spill = make();
    spill.open(null);
    appendFileSync(join(dir, 'owner.pid'), ''); // still ours
    const other = make();
    // Our own pid counts as free (a restart in the same process); a parent's pid is alive.
    appendFileSync(join(dir, 'owner.pid'), '');
    rmSync(join(dir, 'owner.pid'));
    appendFileSync(join(dir, 'owner.pid'), `${process.ppid}\n`);
    expect(() => other.open(null)).toThrow(/in use by process/);
  });
});
