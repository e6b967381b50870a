import { strFromU8 } from 'fflate';
import { parse } from 'yaml';
import { deployBundle, DeployError, DEPLOY_ROOT } from './deploy-bundle';

const files = new Map([
  [
    'dashboards/Sales_1.yaml',
    'uuid: d1\ndashboard_title: Sales\nposition:\n  CHART-1: {type: CHART, meta: {uuid: c1, chartId: 1}}\nmetadata:\n  native_filter_configuration:\n    - targets: [{datasetUuid: s2}]\n',
  ],
  ['dashboards/Ops_2.yaml', 'uuid: d2\ndashboard_title: Ops\nposition: {}\n'],
  ['charts/Revenue_1.yaml', 'uuid: c1\nslice_name: Revenue\ndataset_uuid: s1\n'],
  ['datasets/warehouse/orders_1.yaml', 'uuid: s1\ntable_name: orders\ndatabase_uuid: db1\n'],
  ['datasets/warehouse/users_2.yaml', 'uuid: s2\ntable_name: users\ndatabase_uuid: db1\n'],
  ['databases/warehouse.yaml', 'uuid: db1\ndatabase_name: warehouse\n'],
]);

describe('deployBundle', () => {
  it('takes a dashboard with its charts, datasets (also of its filters) and databases', () => {
    const now = new Date('2026-12-01T10:00:00.000Z');
    const { bundle, dashboards, missing } = deployBundle(files, ['d1'], now);
    expect(bundle.root).toBe(DEPLOY_ROOT);
    expect([...bundle.files.keys()]).toEqual([
      'metadata.yaml',
      'charts/Revenue_1.yaml',
      'dashboards/Sales_1.yaml',
      'databases/warehouse.yaml',
      'datasets/warehouse/orders_1.yaml',
      'datasets/warehouse/users_2.yaml',
    ]);
    const metadata = strFromU8(bundle.files.get('metadata.yaml')!);
    // Quoted: Superset's YAML 1.1 loader would make an unquoted one a datetime and refuse it.
    expect(metadata).toContain(`timestamp: "${now.toISOString()}"`);
    expect(parse(metadata)).toEqual({
      version: '1.0.0',
      type: 'Dashboard',
      timestamp: now.toISOString(),
    });
    expect(dashboards).toEqual([{ uuid: 'd1', title: 'Sales' }]);
    expect(missing).toEqual([]);
  });

  it('takes every dashboard when none is named', () => {
    expect(
      deployBundle(files, undefined)
        .dashboards.map((d) => d.title)
        .sort(),
    ).toEqual(['Ops', 'Sales']);
  });

  it('reports what a dashboard refers to but the folder lacks', () => {
    const partial = new Map(files);
    partial.delete('charts/Revenue_1.yaml');
    expect(deployBundle(partial, ['d1']).missing).toEqual([
      'chart c1 (of dashboards/Sales_1.yaml)',
    ]);
  });

  it('refuses a dashboard the folder does not hold, and files that are not Superset objects', () => {
    expect(() => deployBundle(files, ['nope'])).toThrow(DeployError);
    expect(() => deployBundle(new Map([['charts/x.yaml', 'a: [']]), undefined)).toThrow(
      /not valid YAML/,
    );
    expect(() => deployBundle(new Map([['charts/x.yaml', 'a: 1']]), undefined)).toThrow(/no uuid/);
  });
});
