import { logPageJson, toLogEntry, type RawEntry, type RawLogPage } from './log-page-json';

const TASK = '5f0c1b3e-8d2a-4c47-9a1e-2b3c4d5e6f70';

// Text as PostgreSQL's output gives it: bigint digits, the ISO timestamp, the level rank, jsonb text.
const entries: RawEntry[] = [
  ['1', '2026-12-02T10:00:00.001Z', '0', 'superset_api', 'plain', null],
  [
    '2',
    '2026-12-02T10:00:00.002Z',
    '1',
    'git',
    'quotes " and \\ backslash',
    '{"a": 1, "b": [true, null]}',
  ],
  [
    '3',
    '2026-12-02T10:00:00.003Z',
    '2',
    'storage',
    'control \u0001\u001f\n\t and emoji 😀, U+2028 \u2028',
    '{"nested": {"deep": "ü"}, "n": 1.5e3}',
  ],
  ['9007199254740993', '2026-12-02T10:00:00.004Z', '3', 'llm', '', 'null'],
];

describe('logPageJson', () => {
  it('parses to the LogPage that toLogEntry makes of the same rows', () => {
    const page: RawLogPage = { entries, nextCursor: 4, prevCursor: null };
    const parsed = JSON.parse(logPageJson(TASK, page)) as unknown;
    expect(parsed).toEqual({
      items: entries.map((row) => toLogEntry(TASK, row)),
      nextCursor: 4,
      prevCursor: null,
    });
    // The same bytes JSON.stringify writes for entries within the safe integer range.
    const safe: RawLogPage = { entries: entries.slice(0, 3), nextCursor: null, prevCursor: 1 };
    expect(logPageJson(TASK, safe)).toBe(
      JSON.stringify({
        items: safe.entries.map((row) => toLogEntry(TASK, row)),
        nextCursor: null,
        prevCursor: 1,
      })
        .replace('{"a":1,"b":[true,null]}', '{"a": 1, "b": [true, null]}')
        .replace('{"nested":{"deep":"ü"},"n":1500}', '{"nested": {"deep": "ü"}, "n": 1.5e3}'),
    );
  });

  it('writes an empty page', () => {
    expect(JSON.parse(logPageJson(TASK, { entries: [], nextCursor: null, prevCursor: 7 }))).toEqual(
      {
        items: [],
        nextCursor: null,
        prevCursor: 7,
      },
    );
  });

  it('names the levels and parses metadata in toLogEntry', () => {
    expect(toLogEntry(TASK, entries[2])).toEqual({
      taskId: TASK,
      seq: 3,
      timestamp: '2026-12-02T10:00:00.003Z',
      level: 'WARNING',
      source: 'storage',
      message: entries[2][4],
      metadata: { nested: { deep: 'ü' }, n: 1500 },
    });
  });
});
