import { RateLimitedWarning } from './rate-limited-warning';

describe('RateLimitedWarning', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('logs the first warning, then at most one per interval', () => {
    const lines: string[] = [];
    const warning = new RateLimitedWarning({ warn: (m) => lines.push(m) }, 10_000);
    warning.warn('one');
    warning.warn('two');
    jest.advanceTimersByTime(9_999);
    warning.warn('three');
    expect(lines).toEqual(['one']);
    jest.advanceTimersByTime(1);
    warning.warn('four');
    expect(lines).toEqual(['one', 'four']);
  });

  it('builds a message only when it logs it', () => {
    const built: string[] = [];
    const warning = new RateLimitedWarning({ warn: () => undefined }, 1000);
    const message = (text: string) => () => {
      built.push(text);
      return text;
    };
    warning.warn(message('a'));
    warning.warn(message('b'));
    expect(built).toEqual(['a']);
  });
});
