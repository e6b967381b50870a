import { matchDatabases, similarity } from './database-suggestions';

const db = (uuid: string, name: string) => ({ id: 1, uuid, name, backend: 'postgresql' });

describe('database suggestions', () => {
  it('scores names by token-sort similarity, word order and case aside', () => {
    expect(similarity('Sales DB (prod)', 'prod sales db')).toBe(100);
    expect(similarity('warehouse', 'lake')).toBeLessThan(60);
  });

  it('suggests the closest target above the threshold, except where the uuid is the same', () => {
    const targets = [db('t1', 'Sales (production)'), db('t2', 'Lake'), db('same', 'Shared')];
    const matches = matchDatabases(
      [db('s1', 'sales production'), db('s2', 'marketing'), db('same', 'Shared'), db('s3', 'lake')],
      targets,
      { s3: 't2' },
    );
    expect(
      matches.map((m) => [
        m.source.name,
        m.suggestion?.database.name ?? null,
        m.sameUuid,
        m.mapped?.name ?? null,
      ]),
    ).toEqual([
      ['sales production', 'Sales (production)', false, null],
      ['marketing', null, false, null],
      ['Shared', null, true, null],
      ['lake', 'Lake', false, 'Lake'],
    ]);
    expect(matches[0].suggestion?.score).toBe(100);
  });
});
