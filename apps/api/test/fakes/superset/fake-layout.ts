// A seeded dashboard's layout (position_json) and metadata: one row of charts, and with two or more
// charts a native filter and cross-filter configuration that target the first two, by chart id.

/** The chart fields a layout needs (a FakeChart has them; typed here so the store can import us). */
interface LayoutChart {
  id: number;
  uuid: string;
  slice_name: string;
  datasource_id: number;
}

/** What a layout is drawn from: the store's charts and datasets by id. */
interface LayoutSource {
  charts: ReadonlyMap<number, LayoutChart>;
  datasets: ReadonlyMap<number, { id: number }>;
}

/** Superset's position_json for one row of charts (`meta.chartId` and `meta.uuid` per chart). */
export function chartRowPosition(
  charts: { id: number; uuid?: string; slice_name: string }[],
): Record<string, unknown> {
  const position: Record<string, unknown> = {
    DASHBOARD_VERSION_KEY: 'v2',
    ROOT_ID: { type: 'ROOT', id: 'ROOT_ID', children: ['GRID_ID'] },
    GRID_ID: { type: 'GRID', id: 'GRID_ID', children: ['ROW-1'], parents: ['ROOT_ID'] },
    'ROW-1': {
      type: 'ROW',
      id: 'ROW-1',
      children: charts.map((c) => `CHART-${c.id}`),
      parents: ['ROOT_ID', 'GRID_ID'],
      meta: { background: 'BACKGROUND_TRANSPARENT' },
    },
  };
  for (const chart of charts) {
    position[`CHART-${chart.id}`] = {
      type: 'CHART',
      id: `CHART-${chart.id}`,
      children: [],
      parents: ['ROOT_ID', 'GRID_ID', 'ROW-1'],
      meta: {
        chartId: chart.id,
        uuid: chart.uuid,
        sliceName: chart.slice_name,
        width: 4,
        height: 50,
      },
    };
  }
  return position;
}

export function dashboardLayout(store: LayoutSource, chartIds: number[]): Record<string, unknown> {
  return chartRowPosition(
    chartIds.map((id) => store.charts.get(id)).filter((c): c is LayoutChart => !!c),
  );
}

export function defaultMetadata(store: LayoutSource, chartIds: number[]): Record<string, unknown> {
  const targets = chartIds
    .slice(0, 2)
    .map((id) => store.charts.get(id))
    .filter((c): c is LayoutChart => !!c);
  if (targets.length < 2) return { color_scheme: '', native_filter_configuration: [] };
  const dataset = store.datasets.get(targets[0].datasource_id);
  return {
    color_scheme: '',
    native_filter_configuration: [
      {
        id: 'NATIVE_FILTER-1',
        name: 'Name',
        filterType: 'filter_select',
        targets: [{ datasetId: dataset?.id, column: { name: 'name' } }],
        scope: { rootPath: ['ROOT_ID'], excluded: [] },
        chartsInScope: targets.map((c) => c.id),
      },
    ],
    chart_configuration: Object.fromEntries(
      targets.map((c) => [
        String(c.id),
        {
          id: c.id,
          crossFilters: {
            scope: 'global',
            chartsInScope: targets.map((t) => t.id).filter((t) => t !== c.id),
          },
        },
      ]),
    ),
    global_chart_configuration: {
      scope: { rootPath: ['ROOT_ID'], excluded: [] },
      chartsInScope: targets.map((c) => c.id),
    },
  };
}
