import type { LogEntry } from '@taskdeck/contracts';
import { parseSources } from '../task-log/query/log-filter';
import {
  InvalidSubscriptionError,
  filterEntries,
  parseSubscription,
  subscriptionFromQuery,
} from './log-subscription-filter';

const TASK = '5f0c1b3e-8d2a-4c47-9a1e-2b3c4d5e6f70';

function entry(seq: number, level: LogEntry['level'], source: string): LogEntry {
  return {
    taskId: TASK,
    seq,
    level,
    source,
    message: `m${seq}`,
    metadata: null,
    timestamp: '2026-01-01T00:00:00.000Z',
  };
}

describe('parseSubscription', () => {
  it('gives equal filters the same room key, whatever the source order', () => {
    const a = parseSubscription({ taskId: TASK, sources: ['git', 'llm'], level: 'WARNING' });
    const b = parseSubscription({
      taskId: TASK.toUpperCase(),
      sources: ['llm', 'git', 'git'],
      level: 'WARNING',
    });
    expect(a.key).toBe(b.key);
    expect(a.sources).toEqual(['git', 'llm']);
    expect(a.afterSeq).toBeNull();
    expect(parseSubscription({ taskId: TASK, afterSeq: 0 }).afterSeq).toBe(0);
    expect(parseSubscription({ taskId: TASK, level: 'ERROR' }).key).not.toBe(a.key);
  });

  it.each([
    [null, 'object'],
    [{ taskId: 'x' }, 'taskId'],
    [{ taskId: TASK, level: 'TRACE' }, 'level'],
    [{ taskId: TASK, sources: 'git' }, 'sources'],
    [{ taskId: TASK, sources: ['git', 7] }, 'sources must be a list of strings'],
    [{ taskId: TASK, sources: ['x'.repeat(101)] }, 'sources of at most 100 characters'],
    [{ taskId: TASK, sources: Array.from({ length: 51 }, (_, i) => `s${i}`) }, 'at most'],
    [{ taskId: TASK, afterSeq: -1 }, 'afterSeq'],
    [{ taskId: TASK, afterSeq: 1.5 }, 'afterSeq'],
    [{ taskId: TASK, extra: 1 }, 'unknown'],
  ])('refuses %j with a reason', (raw, reason) => {
    expect(() => parseSubscription(raw)).toThrow(InvalidSubscriptionError);
    expect(() => parseSubscription(raw)).toThrow(reason);
  });

  it('cleans sources with the REST filter’s code: trimmed, control characters out, blanks ignored', () => {
    const raw = [' git ', 'a\tb', '', 'git', '\u0000x'];
    const { sources } = parseSubscription({ taskId: TASK, sources: raw });
    expect(sources).toEqual(['a b', 'git', 'x']);
    expect(sources).toEqual(parseSources(raw)!.sort());
    expect(parseSubscription({ taskId: TASK, sources: [' ', ''] }).sources).toBeNull();
  });

  it('reads the handshake-query shortcut', () => {
    const request = subscriptionFromQuery({
      taskId: TASK,
      source: 'git, llm',
      level: 'INFO',
      afterSeq: '12',
    });
    expect(parseSubscription(request)).toMatchObject({
      taskId: TASK,
      level: 'INFO',
      sources: ['git', 'llm'],
      afterSeq: 12,
    });
  });
});

describe('filterEntries', () => {
  it('keeps entries at or above the level from the given sources, in order', () => {
    const entries = [
      entry(1, 'DEBUG', 'git'),
      entry(2, 'ERROR', 'git'),
      entry(3, 'WARNING', 'llm'),
      entry(4, 'INFO', 'git'),
    ];
    expect(
      filterEntries(entries, parseSubscription({ taskId: TASK, level: 'WARNING' })).map(
        (e) => e.seq,
      ),
    ).toEqual([2, 3]);
    expect(
      filterEntries(entries, parseSubscription({ taskId: TASK, sources: ['git'] })).map(
        (e) => e.seq,
      ),
    ).toEqual([1, 2, 4]);
    expect(
      filterEntries(
        entries,
        parseSubscription({ taskId: TASK, sources: ['git'], level: 'INFO' }),
      ).map((e) => e.seq),
    ).toEqual([2, 4]);
  });
});
