import {
  assignSeqs,
  copyEscape,
  distinctTaskIds,
  encodeBatch,
  toCommittedLogs,
  withoutTask,
} from './log-batch';
import type { LevelRank } from '../level-rank';
import { createLogRecord, type LogRecord } from './log-record';

const A = '00000000-0000-4000-8000-00000000000a';
const B = '00000000-0000-4000-8000-00000000000b';

function record(
  taskId: string,
  level: LevelRank,
  source: string,
  message: string,
  metadata?: object,
): LogRecord {
  const r = createLogRecord(taskId, level, source, message, metadata);
  r.ts = Date.UTC(2026, 10, 25, 6, 0, 0, 123);
  return r;
}

describe('assignSeqs', () => {
  it('numbers densely per task, continuing from the last seq given out', () => {
    const last = new Map([[A, 41]]);
    const records = [
      record(A, 1, 's', 'a'),
      record(B, 1, 's', 'b'),
      record(A, 1, 's', 'c'),
      record(B, 2, 't', 'd'),
    ];
    expect(assignSeqs(records, last)).toEqual([42, 1, 43, 2]);
    expect(last).toEqual(
      new Map([
        [A, 43],
        [B, 2],
      ]),
    );
    expect(distinctTaskIds(records)).toEqual([A, B]);
  });
});

describe('copyEscape', () => {
  it('escapes what COPY text format treats specially, and only that', () => {
    expect(copyEscape('plain text, "quotes" and \'apostrophes\'')).toBe(
      'plain text, "quotes" and \'apostrophes\'',
    );
    expect(copyEscape('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(copyEscape('\\N')).toBe('\\\\N');
  });
});

describe('encodeBatch', () => {
  it('writes one COPY row per record and one counter delta per task, level and source', () => {
    const records = [
      record(A, 1, 'git', 'line\twith\ttabs', { path: 'C:\\x' }),
      record(A, 1, 'git', 'second'),
      record(A, 3, 'git', 'failed\nbadly'),
      record(B, 0, 'db', 'q'),
    ];
    const encoded = encodeBatch(records, [5, 6, 7, 1]);
    expect(encoded.copyPieces).toHaveLength(1);
    const rows = encoded.copyPieces[0].split('\n');
    expect(rows).toHaveLength(5);
    expect(rows[4]).toBe('');
    expect(rows[0]).toBe(
      `${A}\t5\t2026-11-25T06:00:00.123Z\t1\tgit\tline\\twith\\ttabs\t{"path":"C:\\\\\\\\x"}`,
    );
    expect(rows[1]).toBe(`${A}\t6\t2026-11-25T06:00:00.123Z\t1\tgit\tsecond\t\\N`);
    expect(rows[2]).toContain('failed\\nbadly');
    expect(encoded.timestamps).toEqual(Array(4).fill('2026-11-25T06:00:00.123Z'));
    const deltas = encoded.counters.taskIds.map((taskId, i) => ({
      taskId,
      level: encoded.counters.levels[i],
      source: encoded.counters.sources[i],
      count: encoded.counters.counts[i],
    }));
    expect(deltas).toEqual([
      { taskId: A, level: 1, source: 'git', count: 2 },
      { taskId: A, level: 3, source: 'git', count: 1 },
      { taskId: B, level: 0, source: 'db', count: 1 },
    ]);
  });
});

describe('toCommittedLogs', () => {
  it('builds contract LogEntry lists per task in ascending seq', () => {
    const records = [
      record(A, 2, 'git', 'w', { n: 1 }),
      record(B, 0, 'db', 'd'),
      record(A, 3, 'git', 'e'),
    ];
    const seqs = [10, 1, 11];
    const { timestamps } = encodeBatch(records, seqs);
    expect(toCommittedLogs(records, seqs, timestamps)).toEqual({
      batches: [
        {
          taskId: A,
          entries: [
            {
              taskId: A,
              seq: 10,
              timestamp: '2026-11-25T06:00:00.123Z',
              level: 'WARNING',
              source: 'git',
              message: 'w',
              metadata: { n: 1 },
            },
            {
              taskId: A,
              seq: 11,
              timestamp: '2026-11-25T06:00:00.123Z',
              level: 'ERROR',
              source: 'git',
              message: 'e',
              metadata: null,
            },
          ],
        },
        {
          taskId: B,
          entries: [
            {
              taskId: B,
              seq: 1,
              timestamp: '2026-11-25T06:00:00.123Z',
              level: 'DEBUG',
              source: 'db',
              message: 'd',
              metadata: null,
            },
          ],
        },
      ],
    });
  });
});

describe('withoutTask', () => {
  it('takes one task out of a formed batch and keeps the others’ seqs', () => {
    const records = [
      record(A, 1, 's', 'a1'),
      record(B, 1, 's', 'b1'),
      record(A, 1, 's', 'a2'),
      record(B, 1, 's', 'b2'),
    ];
    const batch = withoutTask({ records, seqs: [3, 7, 4, 8], refusals: 1 }, A);
    expect(batch.records.map((r) => r.message)).toEqual(['b1', 'b2']);
    expect(batch.seqs).toEqual([7, 8]);
    expect(batch.refusals).toBe(1);
    expect(withoutTask({ records, seqs: null, refusals: 0 }, B).seqs).toBeNull();
  });
});

describe('encodeBatch pieces', () => {
  it('splits large batches into pieces of whole rows', () => {
    const big = 'x'.repeat(60_000);
    const records = Array.from({ length: 50 }, (_, i) => record(A, 1, 's', `${i} ${big}`));
    const { copyPieces } = encodeBatch(
      records,
      records.map((_, i) => i + 1),
    );
    expect(copyPieces.length).toBeGreaterThan(1);
    expect(copyPieces.every((piece) => piece.endsWith('\n'))).toBe(true);
    const rows = copyPieces.join('').trimEnd().split('\n');
    expect(rows).toHaveLength(50);
    expect(rows.map((row) => row.split('\t')[1])).toEqual(records.map((_, i) => String(i + 1)));
  });
});
