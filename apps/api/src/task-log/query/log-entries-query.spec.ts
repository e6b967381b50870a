import { containsPattern, ENTRY_COLUMNS, entriesQuery, pageQuery } from './log-entries-query';
import type { LogFilter } from './log-filter';

const TASK = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';
const none: LogFilter = { minLevel: 0, sources: null, search: null };

describe('containsPattern', () => {
  it('escapes LIKE wildcards and the escape character so they match literally', () => {
    expect(containsPattern('100%')).toBe('%100\\%%');
    expect(containsPattern('a_b')).toBe('%a\\_b%');
    expect(containsPattern('C:\\x')).toBe('%C:\\\\x%');
    expect(containsPattern("' OR 1=1 --")).toBe("%' OR 1=1 --%");
  });
});

describe('entriesQuery', () => {
  it('is a keyset query on the task, parameterised, with no OFFSET', () => {
    const { sql, params } = entriesQuery(TASK, none, { after: 40, before: null }, 'asc', 101);
    expect(sql).toMatch(/WHERE task_id = \$1 AND seq > \$2 ORDER BY seq ASC LIMIT \$3$/);
    expect(params).toEqual([TASK, 40, 101]);
    expect(sql).not.toMatch(/OFFSET/i);
  });

  it('writes the minimum level as a literal so that the partial index applies', () => {
    const { sql, params } = entriesQuery(
      TASK,
      { ...none, minLevel: 2 },
      { after: 0, before: 500 },
      'desc',
      10,
    );
    expect(sql).toContain('level >= 2');
    expect(sql).toContain('seq < $2');
    expect(sql).toContain('ORDER BY seq DESC');
    expect(params).toEqual([TASK, 500, 10]);
    expect(() =>
      entriesQuery(TASK, { ...none, minLevel: 7 as 0 }, { after: 0, before: null }, 'asc', 1),
    ).toThrow(RangeError);
  });

  it('merges one ordered scan per source for several sources', () => {
    const { sql, params } = entriesQuery(
      TASK,
      { ...none, sources: ['a', 'b'] },
      { after: 0, before: null },
      'asc',
      5,
    );
    expect(sql).toContain('CROSS JOIN LATERAL');
    expect(sql).toContain('source = wanted.name');
    expect(params).toEqual([TASK, ['a', 'b'], 5]);
    const one = entriesQuery(
      TASK,
      { ...none, sources: ['a'] },
      { after: 0, before: null },
      'asc',
      5,
    );
    expect(one.sql).toContain('source = $2');
  });

  it('passes the search as an escaped ILIKE parameter, never in the SQL text', () => {
    const search = "%'; DROP TABLE task_log_entries; --";
    const { sql, params } = entriesQuery(
      TASK,
      { ...none, search, sources: ['a', 'b'] },
      { after: 0, before: null },
      'asc',
      5,
    );
    expect(sql).not.toContain('DROP');
    expect(sql).toContain('message ILIKE $2');
    expect(sql).toContain('source = ANY($3::text[])');
    expect(params[1]).toBe("%\\%'; DROP TABLE task\\_log\\_entries; --%");
  });
});

describe('pageQuery', () => {
  it('asks the page and its cursor probes in one statement, sharing the parameters', () => {
    const { sql, params } = pageQuery(
      TASK,
      { ...none, sources: ['git'] },
      { after: 900, before: 1000 },
      'desc',
      101,
      { older: { after: 0, before: 901 }, newer: { after: 999, before: null } },
    );
    expect(sql).toMatch(/^SELECT probe\.has_older, probe\.has_newer, e\.\*/);
    expect(sql).toContain(
      `EXISTS (SELECT ${ENTRY_COLUMNS} FROM task_log_entries WHERE task_id = $1 AND seq < $2 AND source = $3 ORDER BY seq DESC LIMIT $4)`,
    );
    expect(sql).toContain(
      `EXISTS (SELECT ${ENTRY_COLUMNS} FROM task_log_entries WHERE task_id = $1 AND seq > $5 AND source = $6 ORDER BY seq DESC LIMIT $7)`,
    );
    expect(sql).toContain(
      `LEFT JOIN LATERAL (SELECT ${ENTRY_COLUMNS} FROM task_log_entries WHERE task_id = $1 AND seq > $8 AND seq < $9 AND source = $10 ORDER BY seq DESC LIMIT $11) AS e ON true`,
    );
    expect(sql).toMatch(/ORDER BY e\.seq DESC$/);
    expect(params).toEqual([TASK, 901, 'git', 1, 999, 'git', 1, 900, 1000, 'git', 101]);
  });

  it('answers false for a probe it is not asked', () => {
    const { sql, params } = pageQuery(TASK, none, { after: 0, before: null }, 'asc', 11, {
      older: null,
      newer: null,
    });
    expect(sql).toContain('SELECT false AS has_older, false AS has_newer');
    expect(sql).not.toContain('EXISTS');
    expect(params).toEqual([TASK, 11]);
  });
});
