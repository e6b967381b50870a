import { planDatabases, unmappedSentence } from './database-plan';

const targets = [
  { uuid: 't-wh', name: 'warehouse' },
  { uuid: 's-shared', name: 'shared' },
];

describe('planDatabases', () => {
  it('maps, keeps the same uuid, creates with a password, and names the unmapped', () => {
    const plan = planDatabases(
      [
        { uuid: 's-wh', name: 'warehouse' },
        { uuid: 's-shared', name: 'shared' },
        { uuid: 's-new', name: 'new one' },
        { uuid: 's-lost', name: 'legacy' },
        { uuid: 's-gone', name: 'gone' },
      ],
      { 's-wh': 't-wh', 's-gone': 't-deleted' },
      targets,
      new Set(['s-new']),
    );
    expect(plan.decisions.map((d) => [d.name, d.action, d.targetUuid])).toEqual([
      ['warehouse', 'mapped', 't-wh'],
      ['shared', 'same', 's-shared'],
      ['new one', 'create', null],
      ['legacy', 'unmapped', null],
      ['gone', 'unmapped', 't-deleted'],
    ]);
    expect(plan.remap).toEqual(new Map([['s-wh', 't-wh']]));
    expect(plan.unmapped.map((d) => d.name)).toEqual(['legacy', 'gone']);
    expect(plan.unmapped[1].reason).toMatch(/names t-deleted, which the target does not have/);
    expect(unmappedSentence(plan.unmapped, 'Production')).toBe(
      '2 database(s) of the export have no mapping to Production: "legacy" (s-lost), "gone" (s-gone); map them (or give a password to create them) and run again',
    );
  });

  it('a mapping onto its own uuid is the same database', () => {
    const plan = planDatabases(
      [{ uuid: 's-shared', name: 'shared' }],
      { 's-shared': 's-shared' },
      targets,
      new Set(),
    );
    expect(plan.decisions[0].action).toBe('same');
    expect(plan.remap.size).toBe(0);
  });
});
