import { chartIdMap, chartIdsByUuid, rewriteChartRefs } from './cross-filters';

const position = (charts: [number, string][]): Record<string, unknown> =>
  Object.fromEntries<unknown>([
    ['ROOT_ID', { type: 'ROOT' }],
    ...charts.map(([id, uuid]): [string, unknown] => [
      `CHART-${id}`,
      { type: 'CHART', meta: { chartId: id, uuid } },
    ]),
  ]);

describe('chart id maps', () => {
  it('reads chart uuids from the position and maps source ids to target ids', () => {
    const source = position([
      [1, 'u1'],
      [2, 'u2'],
      [3, 'u3'],
    ]);
    expect(chartIdsByUuid(source)).toEqual(
      new Map([
        ['u1', 1],
        ['u2', 2],
        ['u3', 3],
      ]),
    );
    const { map, missing } = chartIdMap(
      source,
      new Map([
        ['u1', 11],
        ['u2', 12],
      ]),
    );
    expect(map).toEqual(
      new Map([
        [1, 11],
        [2, 12],
      ]),
    );
    expect(missing).toEqual([3]);
  });
});

describe('rewriteChartRefs', () => {
  // Source ids 1, 2, 3 became 2, 7, 9 on the target: 2 is both a source and a target id, so a
  // rewrite that mapped the target's own values again would turn 2 into 7.
  const idMap = new Map([
    [1, 2],
    [2, 7],
    [3, 9],
  ]);
  const source = {
    color_scheme: 'x',
    native_filter_configuration: [
      {
        id: 'NATIVE_FILTER-a',
        targets: [{ datasetUuid: 'ds-uuid', column: { name: 'name' } }],
        chartsInScope: [1, 2],
        scope: { rootPath: ['ROOT_ID'], excluded: [3] },
      },
    ],
    chart_configuration: {
      '1': { id: 1, crossFilters: { scope: 'global', chartsInScope: [2, 3] } },
      '2': {
        id: 2,
        crossFilters: { scope: { rootPath: ['ROOT_ID'], excluded: [1] }, chartsInScope: [3] },
      },
      '4': { id: 4, crossFilters: { scope: 'global', chartsInScope: [] } },
    },
    global_chart_configuration: {
      scope: { rootPath: ['ROOT_ID'], excluded: [] },
      chartsInScope: [1, 2, 3],
    },
  };
  // What Superset 6.1's import leaves: excluded and chart_configuration remapped, chartsInScope not.
  const imported = {
    color_scheme: 'x',
    native_filter_configuration: [
      {
        id: 'NATIVE_FILTER-a',
        targets: [{ datasetId: 42, column: { name: 'name' } }],
        chartsInScope: [1, 2],
        scope: { rootPath: ['ROOT_ID'], excluded: [9] },
      },
    ],
    chart_configuration: {
      '2': { id: 2, crossFilters: { scope: 'global', chartsInScope: [2, 3] } },
      '7': {
        id: 7,
        crossFilters: { scope: { rootPath: ['ROOT_ID'], excluded: [2] }, chartsInScope: [3] },
      },
    },
    global_chart_configuration: {
      scope: { rootPath: ['ROOT_ID'], excluded: [] },
      chartsInScope: [1, 2, 3],
    },
  };

  it('rebuilds every chart reference from the source, keeping the target’s dataset ids', () => {
    const { metadata, changed, dropped } = rewriteChartRefs(imported, source, idMap);
    expect(changed).toBe(true);
    expect(dropped).toEqual([4]);
    expect(metadata).toEqual({
      color_scheme: 'x',
      native_filter_configuration: [
        {
          id: 'NATIVE_FILTER-a',
          targets: [{ datasetId: 42, column: { name: 'name' } }],
          chartsInScope: [2, 7],
          scope: { rootPath: ['ROOT_ID'], excluded: [9] },
        },
      ],
      chart_configuration: {
        '2': { id: 2, crossFilters: { scope: 'global', chartsInScope: [7, 9] } },
        '7': {
          id: 7,
          crossFilters: { scope: { rootPath: ['ROOT_ID'], excluded: [2] }, chartsInScope: [9] },
        },
      },
      global_chart_configuration: {
        scope: { rootPath: ['ROOT_ID'], excluded: [] },
        chartsInScope: [2, 7, 9],
      },
    });
    expect(imported.native_filter_configuration[0].chartsInScope).toEqual([1, 2]); // not mutated
  });

  it('is idempotent: a second pass over its own output changes nothing', () => {
    const once = rewriteChartRefs(imported, source, idMap).metadata;
    const twice = rewriteChartRefs(once, source, idMap);
    expect(twice.changed).toBe(false);
    expect(twice.metadata).toEqual(once);
  });

  it('leaves metadata without filters alone', () => {
    const plain = { color_scheme: '', native_filter_configuration: [] };
    expect(rewriteChartRefs(plain, plain, idMap)).toEqual({
      metadata: plain,
      changed: false,
      dropped: [],
    });
  });
});
