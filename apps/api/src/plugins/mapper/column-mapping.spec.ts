import type { DatasetColumn } from '../../superset/client/superset-types';
import { planColumns } from './column-mapping';

const columns: DatasetColumn[] = [
  { id: 1, column_name: 'id', verbose_name: null, description: null },
  { id: 2, column_name: 'amount', verbose_name: 'Betrag', description: null, type: 'NUMERIC' },
  { id: 3, column_name: 'gone', verbose_name: null },
  { id: 4, column_name: 'doubled', expression: 'amount * 2' },
  { id: 5, column_name: 'plain', verbose_name: 'Plain' },
];
const comments = new Map<string, string | null>([
  ['id', 'Order number'],
  ['amount', 'Amount|Total in EUR'],
  ['plain', null],
  ['not_in_dataset', 'ignored'],
]);

describe('planColumns', () => {
  it('fills what is empty, keeps what a column has, and lists the missing physical columns', () => {
    const plan = planColumns(columns, comments, false);
    expect(plan.columns).toHaveLength(5);
    expect(plan.columns[0]).toEqual({
      id: 1,
      column_name: 'id',
      verbose_name: 'Order number',
      description: 'Order number',
    });
    expect(plan.columns[1]).toEqual({ ...columns[1], description: 'Total in EUR' });
    expect(plan.columns.slice(2)).toEqual(columns.slice(2)); // the same objects, untouched
    expect(plan.missing).toEqual(['gone']);
    expect(
      plan.changes.map((c) => [c.column, c.previousVerboseName, c.verboseName, c.changed]),
    ).toEqual([
      ['id', null, 'Order number', true],
      ['amount', 'Betrag', 'Betrag', true],
    ]);
  });

  it('with overwrite, the comment wins; a second pass changes nothing', () => {
    const plan = planColumns(columns, comments, true);
    expect(plan.columns[1]).toMatchObject({ verbose_name: 'Amount', description: 'Total in EUR' });
    const again = planColumns(plan.columns, comments, true);
    expect(again.changes.every((c) => !c.changed)).toBe(true);
  });
});
