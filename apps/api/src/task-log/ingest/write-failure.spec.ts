import { describeWriteFailure, RETRY_BASE_MS, RETRY_MAX_MS, retryDelayMs } from './write-failure';

const pgError = (code: string) => Object.assign(new Error(`pg ${code}`), { code });

describe('describeWriteFailure', () => {
  it('tells stale numbering, refused data and transient trouble apart', () => {
    expect(describeWriteFailure(pgError('23505')).kind).toBe('stale-seq');
    expect(describeWriteFailure(pgError('22P02')).kind).toBe('refused');
    expect(describeWriteFailure(pgError('23514')).kind).toBe('refused');
    expect(describeWriteFailure(pgError('54000')).kind).toBe('refused');
    expect(describeWriteFailure(pgError('57P01')).kind).toBe('transient'); // admin shutdown
    expect(describeWriteFailure(pgError('ECONNREFUSED')).kind).toBe('transient');
    expect(describeWriteFailure(new Error('Connection terminated unexpectedly'))).toEqual({
      kind: 'transient',
      message: 'Connection terminated unexpectedly',
    });
    expect(describeWriteFailure('odd').message).toBe('odd');
  });
});

describe('retryDelayMs', () => {
  it('doubles from the base up to the cap, with jitter between half and all of it', () => {
    expect(retryDelayMs(1, () => 0)).toBe(RETRY_BASE_MS / 2);
    expect(retryDelayMs(1, () => 1)).toBe(RETRY_BASE_MS);
    expect(retryDelayMs(4, () => 1)).toBe(RETRY_BASE_MS * 8);
    expect(retryDelayMs(50, () => 1)).toBe(RETRY_MAX_MS);
    expect(retryDelayMs(50, () => 0)).toBe(RETRY_MAX_MS / 2);
    for (let i = 0; i < 100; i++) {
      const delay = retryDelayMs(3);
      expect(delay).toBeGreaterThanOrEqual(RETRY_BASE_MS * 2);
      expect(delay).toBeLessThanOrEqual(RETRY_BASE_MS * 4);
    }
  });
});
