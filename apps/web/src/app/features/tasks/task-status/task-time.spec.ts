import { formatDuration, humanDuration } from './task-time';

describe('task time', () => {
  it('prints durations at a useful precision', () => {
    expect(humanDuration(850)).toBe('850 ms');
    expect(humanDuration(12_440)).toBe('12.4 s');
    expect(humanDuration(185_000)).toBe('3 min 05 s');
    expect(humanDuration(7_440_000)).toBe('2 h 04 min');
  });

  it('measures finished tasks to their end and running ones to now', () => {
    const startedAt = '2026-11-25T10:00:00.000Z';
    expect(formatDuration({ startedAt: null, finishedAt: null }, Date.now())).toBe('—');
    expect(formatDuration({ startedAt, finishedAt: '2026-11-25T10:00:02.500Z' }, 0)).toBe('2.5 s');
    expect(
      formatDuration({ startedAt, finishedAt: null }, Date.parse('2026-11-25T10:01:00.000Z')),
    ).toBe('1 min 00 s');
  });
});
