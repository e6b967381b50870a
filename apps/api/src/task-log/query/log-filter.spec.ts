import { parseLogFilter, parseSources, sourceListProblem, type LogFilter } from './log-filter';

const none: LogFilter = { minLevel: 0, sources: null, search: null };

describe('parseLogFilter', () => {
  it('turns the query into ranks, a source list and a search text', () => {
    expect(parseLogFilter({})).toEqual(none);
    expect(
      parseLogFilter({ level: 'WARNING', source: ' git, storage ,,git', search: 'a\u0000b' }),
    ).toEqual({
      minLevel: 2,
      sources: ['git', 'storage'],
      search: 'a\u2400b',
    });
    expect(parseLogFilter({ source: ['x', 'y'], search: '' })).toEqual({
      minLevel: 0,
      sources: ['x', 'y'],
      search: null,
    });
    expect(parseSources(' , ')).toBeNull();
  });
});

describe('sourceListProblem', () => {
  it('accepts up to 50 sources of up to 100 characters, blank parts not counted', () => {
    expect(sourceListProblem([])).toBeNull();
    expect(sourceListProblem(['git', ' ', '', 'x'.repeat(100)])).toBeNull();
    expect(sourceListProblem([...Array.from({ length: 50 }, (_, i) => `s${i}`), ' '])).toBeNull();
  });

  it('names what is wrong', () => {
    expect(sourceListProblem(Array.from({ length: 51 }, (_, i) => `s${i}`))).toBe(
      'at most 50 sources',
    );
    expect(sourceListProblem(['ok', 'x'.repeat(101)])).toBe('sources of at most 100 characters');
    expect(sourceListProblem(['ok', 7])).toBe('strings');
  });
});
