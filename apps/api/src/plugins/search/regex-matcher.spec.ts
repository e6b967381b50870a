import { RegexMatcher } from './regex-matcher';

describe('RegexMatcher', () => {
  let matcher: RegexMatcher | undefined;
  afterEach(async () => {
    await matcher?.close();
    matcher = undefined;
  });

  it('finds every match of every value, in order', async () => {
    matcher = new RegexMatcher('customer_?id', 'gi', { budgetMs: 1000 });
    expect(await matcher.match(['SELECT customer_id, CustomerID FROM t', 'nothing', ''])).toEqual([
      {
        matches: [
          { index: 7, length: 11 },
          { index: 20, length: 10 },
        ],
      },
      { matches: [] },
      { matches: [] },
    ]);
  });

  it('stops a value that backtracks catastrophically at its budget and keeps the others', async () => {
    matcher = new RegexMatcher('(a+)+$', 'g', { budgetMs: 150 });
    const evil = `${'a'.repeat(40)}!`;
    const started = performance.now();
    const outcomes = await matcher.match(['aaa', evil, 'xaa', evil, 'b']);
    const elapsed = performance.now() - started;
    expect(outcomes).toEqual([
      { matches: [{ index: 0, length: 3 }] },
      { timedOut: true },
      { matches: [{ index: 1, length: 2 }] },
      { timedOut: true },
      { matches: [] },
    ]);
    expect(elapsed).toBeGreaterThanOrEqual(2 * 150);
  });

  it('caps the matches of one value and handles empty matches', async () => {
    matcher = new RegexMatcher('x*', 'g', { maxMatches: 3 });
    const [outcome] = await matcher.match(['abc']);
    expect(outcome).toEqual({
      matches: [
        { index: 0, length: 0 },
        { index: 1, length: 0 },
        { index: 2, length: 0 },
      ],
    });
  });
});
