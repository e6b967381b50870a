import type { DatasetDetail } from '../../superset/client/superset-types';
import { chartValues, datasetValues, toMatches } from './search-values';

const dataset = {
  id: 7,
  uuid: 'u',
  table_name: 'orders',
  schema: 'public',
  sql: 'SELECT * FROM orders',
  database: { id: 1, database_name: 'db' },
  columns: [
    { column_name: 'id', expression: null },
    { column_name: 'total', expression: 'price * qty' },
  ],
  metrics: [{ metric_name: 'revenue', expression: 'SUM(price)' }],
} as DatasetDetail;

describe('search values', () => {
  it('takes the fields asked for: SQL, column and metric names and expressions', () => {
    expect(datasetValues(dataset, ['sql', 'columns', 'metrics'])).toEqual([
      { field: 'sql', value: 'SELECT * FROM orders' },
      { field: 'columns.id', value: 'id' },
      { field: 'columns.total', value: 'total' },
      { field: 'columns.total.expression', value: 'price * qty' },
      { field: 'metrics.revenue', value: 'revenue' },
      { field: 'metrics.revenue.expression', value: 'SUM(price)' },
    ]);
    expect(datasetValues(dataset, ['metrics']).map((v) => v.field)).toEqual([
      'metrics.revenue',
      'metrics.revenue.expression',
    ]);
    expect(chartValues({ id: 3, slice_name: 'c', params: '{"x":1}' })).toEqual([
      { field: 'charts.3.params', value: '{"x":1}' },
    ]);
    expect(chartValues({ id: 3, slice_name: 'c', params: null })).toEqual([]);
  });

  it('reports a match with 40 characters on each side and where it is in that context', () => {
    const value = `${'a'.repeat(50)}NEEDLE${'b'.repeat(50)}`;
    const [match] = toMatches({ datasetId: 7, datasetName: 'orders' }, { field: 'sql', value }, [
      { index: 50, length: 6 },
    ]);
    expect(match).toEqual({
      datasetId: 7,
      datasetName: 'orders',
      field: 'sql',
      matchContext: `${'a'.repeat(40)}NEEDLE${'b'.repeat(40)}`,
      fullValue: value,
      matchStart: 40,
      matchLength: 6,
    });
    const [early] = toMatches(
      { datasetId: 7, datasetName: 'orders', chartId: 3, chartName: 'c' },
      { field: 'charts.3.params', value: 'NEEDLE' },
      [{ index: 0, length: 6 }],
    );
    expect(early).toMatchObject({
      matchContext: 'NEEDLE',
      matchStart: 0,
      chartId: 3,
      chartName: 'c',
    });
  });
});
