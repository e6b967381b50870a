import { PublishedSeqs } from './published-seqs';

describe('PublishedSeqs', () => {
  it('is 0 for an unknown task and only moves forward', () => {
    const seqs = new PublishedSeqs();
    expect(seqs.get('a')).toBe(0);
    seqs.advance('a', 100);
    seqs.advance('a', 50);
    expect(seqs.get('a')).toBe(100);
    seqs.advance('a', 200);
    expect(seqs.get('a')).toBe(200);
  });

  it('forgets a task on request', () => {
    const seqs = new PublishedSeqs();
    seqs.advance('a', 10);
    seqs.forget('a');
    expect(seqs.get('a')).toBe(0);
  });

  it('forgets the least recently advanced task past its capacity', () => {
    const seqs = new PublishedSeqs(2);
    seqs.advance('a', 1);
    seqs.advance('b', 1);
    seqs.advance('a', 2); // a is now the most recent
    seqs.advance('c', 1);
    expect([seqs.get('a'), seqs.get('b'), seqs.get('c')]).toEqual([2, 0, 1]);
  });
});
