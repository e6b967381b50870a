import { InvalidSettingError, envInt, envString, envUrl } from './env';

describe('settings from the environment', () => {
  it('reads integers within bounds and names the variable when one is wrong', () => {
    expect(envInt({}, 'TASK_CONCURRENCY', 4, 1, 256)).toBe(4);
    expect(envInt({ TASK_CONCURRENCY: '8' }, 'TASK_CONCURRENCY', 4, 1, 256)).toBe(8);
    for (const value of ['0', '257', 'four', '1.5', '']) {
      if (value === '') {
        expect(envInt({ TASK_CONCURRENCY: value }, 'TASK_CONCURRENCY', 4, 1, 256)).toBe(4);
        continue;
      }
      expect(() => envInt({ TASK_CONCURRENCY: value }, 'TASK_CONCURRENCY', 4, 1, 256)).toThrow(
        InvalidSettingError,
      );
      expect(() => envInt({ TASK_CONCURRENCY: value }, 'TASK_CONCURRENCY', 4, 1, 256)).toThrow(
        /TASK_CONCURRENCY/,
      );
    }
  });

  it('checks URL schemes without printing the URL (it may hold a password)', () => {
    expect(envUrl({ DATABASE_URL: 'postgres://u:p@h/db' }, 'DATABASE_URL', ['postgres'])).toBe(
      'postgres://u:p@h/db',
    );
    expect(() =>
      envUrl({ DATABASE_URL: 'not a url secret' }, 'DATABASE_URL', ['postgres']),
    ).toThrow(/DATABASE_URL/);
    try {
      envUrl({ DATABASE_URL: 'not a url secret' }, 'DATABASE_URL', ['postgres']);
    } catch (error) {
      expect((error as Error).message).not.toContain('secret');
    }
    expect(() => envUrl({ REDIS_URL: 'http://x' }, 'REDIS_URL', ['redis'])).toThrow(/REDIS_URL/);
    expect(envString({ X: '  ' }, 'X', 'fallback')).toBe('fallback');
  });
});
