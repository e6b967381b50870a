import { strFromU8, strToU8 } from 'fflate';
import { parse } from 'yaml';
import { BundleFormatError, readContents, remapDatabases } from './bundle-contents';
import type { Bundle } from './bundle-zip';

const SRC = '11111111-1111-4111-8111-111111111111';
const TGT = '22222222-2222-4222-8222-222222222222';
const OTHER = '33333333-3333-4333-8333-333333333333';

function bundle(files: Record<string, string>): Bundle {
  return {
    root: 'export',
    files: new Map(Object.entries(files).map(([n, t]) => [n, strToU8(t)])),
  };
}

const sample = (): Bundle =>
  bundle({
    'metadata.yaml': 'version: 1.0.0\ntype: Dashboard\n',
    'databases/warehouse.yaml': `database_name: warehouse\nsqlalchemy_uri: postgresql://u:XXXXXXXXXX@h/db\nuuid: ${SRC}\nversion: 1.0.0\n`,
    'databases/lake.yaml': `database_name: lake\nuuid: ${OTHER}\n`,
    'datasets/warehouse/orders.yaml': `# kept\ntable_name: orders\nschema: public\nsql: null\nuuid: aaaaaaaa-0000-4000-8000-000000000001\ndatabase_uuid: ${SRC}\n`,
    'datasets/lake/events.yaml': `table_name: events\nuuid: aaaaaaaa-0000-4000-8000-000000000002\ndatabase_uuid: ${OTHER}\n`,
    'dashboards/Sales_1.yaml': `dashboard_title: Sales\nuuid: dddddddd-0000-4000-8000-000000000001\nposition:\n  CHART-1:\n    type: CHART\n    meta: {chartId: 1, uuid: cccccccc-0000-4000-8000-000000000001}\nmetadata:\n  native_filter_configuration: []\n`,
  });

describe('readContents', () => {
  it('lists databases, datasets and dashboards from their YAML', () => {
    const contents = readContents(sample());
    expect(contents.databases).toEqual([
      { file: 'databases/lake.yaml', uuid: OTHER, name: 'lake' },
      { file: 'databases/warehouse.yaml', uuid: SRC, name: 'warehouse' },
    ]);
    expect(contents.datasets.map((d) => [d.tableName, d.databaseUuid])).toEqual([
      ['events', OTHER],
      ['orders', SRC],
    ]);
    expect(contents.dashboards[0]).toMatchObject({
      title: 'Sales',
      position: { 'CHART-1': { meta: { chartId: 1 } } },
      metadata: { native_filter_configuration: [] },
    });
  });

  it('names the file that is broken', () => {
    expect(() => readContents(bundle({ 'databases/x.yaml': 'uuid: [' }))).toThrow(
      /databases\/x.yaml is not valid YAML/,
    );
    expect(() => readContents(bundle({ 'datasets/d/x.yaml': 'table_name: x\n' }))).toThrow(
      new BundleFormatError('datasets/d/x.yaml', 'has no uuid'),
    );
  });
});

describe('remapDatabases', () => {
  it('moves datasets and the database file to the target uuid; the rest stays byte for byte', () => {
    const before = sample();
    const { bundle: after, rewritten } = remapDatabases(before, new Map([[SRC, TGT]]));
    expect(rewritten).toEqual([
      { file: 'databases/warehouse.yaml', key: 'uuid', from: SRC, to: TGT },
      { file: 'datasets/warehouse/orders.yaml', key: 'database_uuid', from: SRC, to: TGT },
    ]);
    const orders = strFromU8(after.files.get('datasets/warehouse/orders.yaml')!);
    expect(orders).toContain('# kept');
    expect(parse(orders)).toMatchObject({ table_name: 'orders', database_uuid: TGT, sql: null });
    expect(parse(strFromU8(after.files.get('databases/warehouse.yaml')!))).toMatchObject({
      uuid: TGT,
      sqlalchemy_uri: 'postgresql://u:XXXXXXXXXX@h/db',
    });
    for (const file of [
      'datasets/lake/events.yaml',
      'databases/lake.yaml',
      'dashboards/Sales_1.yaml',
    ]) {
      expect(after.files.get(file)).toBe(before.files.get(file));
    }
    // The input is not changed.
    expect(strFromU8(before.files.get('datasets/warehouse/orders.yaml')!)).toContain(SRC);
  });
});
