import type { MigrationSuggestions } from '@taskdeck/contracts';
import {
  choose,
  confirmedMappings,
  migrationParams,
  rowsOf,
  unconfirmedRows,
} from './migration-form';

const db = (uuid: string, name: string) => ({ id: 1, uuid, name, backend: 'postgresql' });
const suggestions: MigrationSuggestions = {
  targets: [db('t1', 'Warehouse (prod)'), db('t2', 'Lake'), db('same', 'Shared')],
  databases: [
    {
      source: db('s1', 'warehouse'),
      mapped: null,
      sameUuid: false,
      suggestion: { database: db('t1', 'Warehouse (prod)'), score: 78 },
    },
    { source: db('s2', 'lake'), mapped: db('t2', 'Lake'), sameUuid: false, suggestion: null },
    { source: db('same', 'Shared'), mapped: null, sameUuid: true, suggestion: null },
    { source: db('s3', 'legacy'), mapped: null, sameUuid: false, suggestion: null },
  ],
};

describe('migration form', () => {
  it('pre-fills suggestions without confirming them', () => {
    const rows = rowsOf(suggestions);
    expect(rows.map((r) => [r.source.name, r.state, r.target, r.score])).toEqual([
      ['warehouse', 'suggested', 't1', 78],
      ['lake', 'saved', 't2', undefined],
      ['Shared', 'same', 'same', undefined],
      ['legacy', 'none', null, undefined],
    ]);
    expect(confirmedMappings(rows)).toEqual({ s2: 't2' });
    expect(unconfirmedRows(rows).map((r) => r.source.name)).toEqual(['warehouse', 'legacy']);
  });

  it('confirming or picking makes a row part of the mapping; clearing takes it out', () => {
    let rows = choose(rowsOf(suggestions), 's1', 't1');
    rows = choose(rows, 's3', 't2');
    rows = choose(rows, 's2', null);
    rows = choose(rows, 'same', 't1'); // the same uuid needs no mapping: unchanged
    expect(confirmedMappings(rows)).toEqual({ s1: 't1', s3: 't2' });
    expect(
      migrationParams('a', 'b', [3, 1], rows, {
        overwrite: true,
        fixCrossFilters: false,
        dryRun: true,
      }),
    ).toEqual({
      sourceEnvironmentId: 'a',
      targetEnvironmentId: 'b',
      dashboardIds: [1, 3],
      databaseMappings: { s1: 't1', s3: 't2' },
      overwrite: true,
      fixCrossFilters: false,
      dryRun: true,
    });
  });
});
