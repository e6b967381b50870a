import { errorMessage, errorMetadata, storableResult } from './task-outcome';
import { decodeCursor, encodeCursor } from './task-list-cursor';

describe('task outcome helpers', () => {
  it('stores results as JSON, and describes what is not serialisable', () => {
    expect(storableResult(undefined)).toBeNull();
    expect(storableResult({ a: 1, big: 2n, when: new Date(0) })).toEqual({
      a: 1,
      big: '2',
      when: '1970-01-01T00:00:00.000Z',
    });
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(storableResult(cyclic)).toEqual({
      unserialisable: '[object Object]',
      reason: expect.any(String),
    });
  });

  it('describes errors with their stack', () => {
    const error = new Error('boom');
    expect(errorMessage(error)).toBe('boom');
    expect(errorMessage('text')).toBe('text');
    expect(errorMessage({ code: 7 })).toBe('{"code":7}');
    expect(errorMetadata(error)).toEqual({
      error: { name: 'Error', message: 'boom' },
      stack: expect.stringContaining('boom'),
    });
  });
});

describe('task list cursor', () => {
  it('round-trips and refuses anything it did not issue', () => {
    const task = {
      createdAt: '2026-11-25T06:00:00.123Z',
      id: '5f0c1b3e-8d2a-4c47-9a1e-2b3c4d5e6f70',
    };
    expect(decodeCursor(encodeCursor(task))).toEqual(task);
    for (const bad of [
      '%%%',
      Buffer.from('not-a-cursor').toString('base64url'),
      Buffer.from('["x","y"]').toString('base64url'),
    ]) {
      expect(() => decodeCursor(bad)).toThrow('cursor');
    }
  });
});
