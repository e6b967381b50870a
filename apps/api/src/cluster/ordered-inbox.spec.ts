import { OrderedInbox } from './ordered-inbox';

describe('OrderedInbox', () => {
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('delivers a sender’s messages in number order when they arrive out of order', () => {
    const got: string[] = [];
    const inbox = new OrderedInbox<string>((m) => got.push(m), undefined, 1000, 50);
    inbox.receive('a', 2, 'two');
    inbox.receive('a', 1, 'one');
    expect(got).toEqual([]);
    jest.advanceTimersByTime(50);
    expect(got).toEqual(['one', 'two']);
    inbox.receive('a', 4, 'four');
    expect(got).toEqual(['one', 'two']);
    inbox.receive('a', 3, 'three');
    expect(got).toEqual(['one', 'two', 'three', 'four']);
  });

  it('skips a gap that is not filled in time, reports it, and drops what arrives after the skip', () => {
    const got: string[] = [];
    const skipped: string[] = [];
    const inbox = new OrderedInbox<string>(
      (m) => got.push(m),
      (sender) => skipped.push(sender),
      1000,
      50,
    );
    inbox.receive('a', 1, 'one');
    jest.advanceTimersByTime(50);
    inbox.receive('a', 3, 'three');
    jest.advanceTimersByTime(999);
    expect(got).toEqual(['one']);
    expect(skipped).toEqual([]);
    jest.advanceTimersByTime(1);
    expect(got).toEqual(['one', 'three']);
    expect(skipped).toEqual(['a']);
    inbox.receive('a', 2, 'two');
    expect(got).toEqual(['one', 'three']);
  });

  it('does not count what a sender sent before this inbox heard of it as a gap', () => {
    const skipped: string[] = [];
    const inbox = new OrderedInbox<string>(
      () => undefined,
      (sender) => skipped.push(sender),
      1000,
      50,
    );
    inbox.receive('a', 500, 'late joiner');
    jest.advanceTimersByTime(50);
    inbox.receive('a', 501, 'next');
    expect(skipped).toEqual([]);
    inbox.stop();
  });

  it('orders each sender on its own', () => {
    const got: string[] = [];
    const inbox = new OrderedInbox<string>((m) => got.push(m), undefined, 1000, 50);
    inbox.receive('a', 7, 'a7');
    inbox.receive('b', 1, 'b1');
    jest.advanceTimersByTime(50);
    inbox.receive('b', 2, 'b2');
    inbox.receive('a', 8, 'a8');
    expect(got).toEqual(['a7', 'b1', 'b2', 'a8']);
    inbox.stop();
  });
});
