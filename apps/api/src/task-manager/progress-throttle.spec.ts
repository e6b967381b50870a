import { ProgressThrottle } from './progress-throttle';

describe('ProgressThrottle', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('passes the first value at once, then at most one per interval, always the latest', () => {
    const sent: number[] = [];
    const throttle = new ProgressThrottle(250, (v) => sent.push(v));
    throttle.push(1);
    throttle.push(2);
    throttle.push(3);
    expect(sent).toEqual([1]);
    jest.advanceTimersByTime(250);
    expect(sent).toEqual([1, 3]);
    jest.advanceTimersByTime(1000);
    expect(sent).toEqual([1, 3]);
  });

  it('flush sends what is pending and stops the timer', () => {
    const sent: number[] = [];
    const throttle = new ProgressThrottle(250, (v) => sent.push(v));
    throttle.push(10);
    throttle.push(100);
    throttle.flush();
    expect(sent).toEqual([10, 100]);
    jest.advanceTimersByTime(1000);
    expect(sent).toEqual([10, 100]);
  });
});
