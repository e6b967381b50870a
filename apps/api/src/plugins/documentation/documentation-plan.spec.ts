import type { DatasetDetail } from '../../superset/client/superset-types';
import {
  buildPrompt,
  columnsToDescribe,
  planDocumentation,
  quoteIdentifier,
  sampleQuery,
  sampleValues,
} from './documentation-plan';

const dataset = (over: Partial<DatasetDetail> = {}): DatasetDetail => ({
  id: 1,
  uuid: 'u',
  table_name: 'orders',
  schema: 'sales',
  database: { id: 1, database_name: 'dwh', backend: 'postgresql' },
  description: null,
  columns: [
    { column_name: 'id', type: 'INTEGER', description: null },
    { column_name: 'amount', type: 'NUMERIC', description: 'Kept' },
    { column_name: 'doubled', expression: 'amount * 2', description: '' },
  ],
  metrics: [{ metric_name: 'count', expression: 'COUNT(*)' }],
  ...over,
});

describe('documentation plan', () => {
  it('asks about columns without a description unless overwrite', () => {
    expect(columnsToDescribe(dataset(), false).map((c) => c.column_name)).toEqual([
      'id',
      'doubled',
    ]);
    expect(columnsToDescribe(dataset(), true)).toHaveLength(3);
  });

  it('keeps existing descriptions, reports invented and missing columns', () => {
    const d = dataset();
    const asked = columnsToDescribe(d, false);
    const plan = planDocumentation(
      d,
      asked,
      {
        description: 'One row per order.',
        columns: [
          { column: 'id', description: 'Order number' },
          { column: 'amount', description: 'Ignored: not asked' },
          { column: 'ghost', description: 'Not a column' },
        ],
      },
      false,
    );
    expect(plan.description).toBe('One row per order.');
    expect(plan.descriptionChanged).toBe(true);
    expect(plan.changes.map((c) => [c.column, c.description, c.changed])).toEqual([
      ['id', 'Order number', true],
      ['amount', 'Kept', false],
      ['doubled', '', false],
    ]);
    expect(plan.unknown).toEqual(['ghost']);
    expect(plan.missing).toEqual(['doubled']);
    expect(plan.columns).toHaveLength(3);
    expect(plan.columns[1]).toBe(d.columns[1]);
  });

  it('samples a few distinct values per column, cut short', () => {
    const samples = sampleValues([
      { a: 'x', b: null, c: { k: 1 } },
      { a: 'x', b: 2, c: 'y'.repeat(100) },
      { a: 'z', b: 3 },
    ]);
    expect(samples.get('a')).toEqual(['x', 'z']);
    expect(samples.get('b')).toEqual(['2', '3']);
    expect(samples.get('c')).toEqual(['{"k":1}', `${'y'.repeat(60)}…`]);
  });

  it('queries the table, or the SQL as a subquery, quoting names that need it', () => {
    expect(sampleQuery(dataset(), 20)).toBe('SELECT id, amount FROM sales.orders LIMIT 20');
    expect(sampleQuery(dataset({ sql: 'SELECT 1 AS x;' }), 5)).toBe(
      'SELECT * FROM (SELECT 1 AS x) AS virtual_table LIMIT 5',
    );
    expect(quoteIdentifier('Order Date', 'postgresql')).toBe('"Order Date"');
    expect(quoteIdentifier('Order Date', 'mysql')).toBe('`Order Date`');
  });

  it('states the language and the columns in the prompt', () => {
    const d = dataset();
    const prompt = buildPrompt(d, columnsToDescribe(d, false), new Map([['id', ['1', '2']]]), 'fr');
    expect(prompt.system).toMatch(/Write every description in fr\./);
    expect(prompt.user).toMatch(/- id: type INTEGER; sample values: "1", "2"/);
    expect(prompt.user).toMatch(/Other columns \(already described\): amount/);
  });
});
