// Seeds a real Superset through its REST API: a database connection to the instance's PostgreSQL,
// tables whose columns carry comments, datasets, charts, a dashboard whose native filter targets
// two charts, and enough further dashboards that a list takes two pages; and a second dashboard with
// one chart deliberately broken (a virtual dataset whose SQL errors). Run once per instance; a seed
// made before the broken dashboard existed gets it on the next run.
import { existsSync } from 'node:fs';
import { readFile, writeFile } from 'node:fs/promises';
import { Client } from 'pg';
import { SupersetClient } from '../../apps/api/src/superset/client/superset-client';
import type { TaskLogger } from '../../apps/api/src/plugin-api';
import { chartRowPosition } from '../../apps/api/test/fakes/superset/fake-layout';
import { seedFile, type BrokenSeed, type InstanceState, type SeedResult } from './paths';

const TABLES = `
CREATE TABLE IF NOT EXISTS public.customers (id integer PRIMARY KEY, name text NOT NULL, country text);
COMMENT ON COLUMN public.customers.id IS 'Customer number';
COMMENT ON COLUMN public.customers.name IS 'Customer name|The customer''s legal name';
COMMENT ON COLUMN public.customers.country IS 'Country|ISO 3166 country code';
CREATE TABLE IF NOT EXISTS public.orders (id integer PRIMARY KEY, customer_id integer, amount numeric(10,2), ordered_at timestamptz);
COMMENT ON COLUMN public.orders.id IS 'Order number';
COMMENT ON COLUMN public.orders.customer_id IS 'Customer|Who ordered';
COMMENT ON COLUMN public.orders.amount IS 'Amount|Total in EUR, tax included';
COMMENT ON COLUMN public.orders.ordered_at IS 'Ordered at';
INSERT INTO public.customers VALUES (1, 'Ada', 'GB'), (2, 'Grace', 'US') ON CONFLICT DO NOTHING;
INSERT INTO public.orders VALUES (1, 1, 12.50, now()), (2, 2, 99.00, now()) ON CONFLICT DO NOTHING;
`;

export const PAGING_DASHBOARDS = 120;

/** The table the broken dataset's SQL reads: never created. */
export const MISSING_TABLE = 'orders_archive_missing';

const quiet: TaskLogger = {
  debug: () => undefined,
  info: () => undefined,
  warning: (m) => void process.stdout.write(`  warning: ${m}\n`),
  error: (m) => void process.stdout.write(`  error: ${m}\n`),
  withSource: () => quiet,
};

export async function seedInstance(
  state: InstanceState,
  log: (line: string) => void,
): Promise<SeedResult> {
  if (existsSync(seedFile(state.name))) {
    const seeded = JSON.parse(await readFile(seedFile(state.name), 'utf8')) as SeedResult;
    await pointAtExamples(state, seeded.databaseId, log);
    if (seeded.broken) {
      log(`already seeded (dashboard ${seeded.dashboardId})`);
      return seeded;
    }
    const client = clientOf(state);
    seeded.broken = await seedBroken(client, seeded.databaseId, seeded.datasetIds[0]);
    seeded.dashboards = (await client.dashboards()).length;
    await writeFile(seedFile(state.name), JSON.stringify(seeded, null, 2));
    log(
      `already seeded (dashboard ${seeded.dashboardId}); added the broken dashboard ${seeded.broken.dashboardId}`,
    );
    return seeded;
  }
  await examplesQuery(state, TABLES);

  const client = clientOf(state);
  const databaseId = await client.create('database', {
    database_name: 'examples_pg',
    sqlalchemy_uri: examplesSqlalchemyUri(state),
    expose_in_sqllab: true,
  });
  const datasetIds = [
    await client.create('dataset', {
      database: databaseId,
      schema: 'public',
      table_name: 'orders',
    }),
    await client.create('dataset', {
      database: databaseId,
      schema: 'public',
      table_name: 'customers',
    }),
  ];
  const dashboardId = await client.create('dashboard', {
    dashboard_title: 'Taskdeck seed',
    slug: 'taskdeck-seed',
    published: true,
  });
  const chart = (sliceName: string, datasetId: number): Promise<number> =>
    client.create('chart', {
      slice_name: sliceName,
      viz_type: 'table',
      datasource_id: datasetId,
      datasource_type: 'table',
      params: JSON.stringify({
        viz_type: 'table',
        datasource: `${datasetId}__table`,
        query_mode: 'raw',
        all_columns: ['id'],
      }),
      dashboards: [dashboardId],
    });
  const chartIds = [
    await chart('Orders', datasetIds[0]),
    await chart('Order amounts', datasetIds[0]),
    await chart('Customers', datasetIds[1]),
  ];
  const charts = await Promise.all(chartIds.map((id) => client.chart(id)));
  const position = chartRowPosition(charts);
  const metadata = {
    native_filter_configuration: [
      {
        id: 'NATIVE_FILTER-taskdeck1',
        name: 'Order',
        filterType: 'filter_select',
        targets: [{ datasetId: datasetIds[0], column: { name: 'id' } }],
        defaultDataMask: { filterState: {}, extraFormData: {} },
        controlValues: { multiSelect: true, enableEmptyFilter: false },
        cascadeParentIds: [],
        scope: { rootPath: ['ROOT_ID'], excluded: [] },
        chartsInScope: chartIds.slice(0, 2),
        type: 'NATIVE_FILTER',
        description: '',
      },
    ],
    color_scheme: '',
  };
  await client.updateDashboard(dashboardId, {
    position_json: JSON.stringify(position),
    json_metadata: JSON.stringify(metadata),
  });
  for (let i = 1; i <= PAGING_DASHBOARDS; i++) {
    await client.create('dashboard', { dashboard_title: `Paging ${String(i).padStart(3, '0')}` });
  }
  const broken = await seedBroken(client, databaseId, datasetIds[0]);
  const databaseUuid = (await client.databases()).find((d) => d.id === databaseId)?.uuid ?? '';
  const result: SeedResult = {
    databaseId,
    databaseUuid,
    datasetIds,
    chartIds,
    dashboardId,
    dashboards: (await client.dashboards()).length,
    broken,
  };
  await writeFile(seedFile(state.name), JSON.stringify(result, null, 2));
  log(
    `seeded: database ${databaseId}, datasets ${datasetIds.join(', ')}, charts ${chartIds.join(', ')}, dashboard ${dashboardId}, broken dashboard ${broken.dashboardId}, ${result.dashboards} dashboards`,
  );
  return result;
}

/**
 * The instance's PostgreSQL listens on a new free port at each start, so a seeded `examples_pg`
 * database would point at the port of the start before: point it at this one.
 */
async function pointAtExamples(
  state: InstanceState,
  databaseId: number,
  log: (line: string) => void,
): Promise<void> {
  const client = clientOf(state);
  const uri = examplesSqlalchemyUri(state);
  const current = (await client.database(databaseId)) as { sqlalchemy_uri?: unknown };
  if (current.sqlalchemy_uri === uri) return;
  await client.update('database', databaseId, { sqlalchemy_uri: uri });
  log(`examples_pg now points at ${new URL(uri).host}`);
}

function clientOf(state: InstanceState): SupersetClient {
  return new SupersetClient(
    {
      url: state.url,
      username: state.username,
      password: state.password,
      provider: 'db',
      verifyTls: true,
    },
    { logger: quiet },
  );
}

function examplesUrl(state: InstanceState): URL {
  const examples = new URL(state.postgresUrl);
  examples.pathname = `/${state.examplesDatabase}`;
  return examples;
}

/** The examples database as Superset connects to it (SQLAlchemy, psycopg2). */
function examplesSqlalchemyUri(state: InstanceState): string {
  return examplesUrl(state)
    .toString()
    .replace(/^postgres:/, 'postgresql+psycopg2:');
}

async function examplesQuery(state: InstanceState, sql: string): Promise<void> {
  const pg = new Client({ connectionString: examplesUrl(state).toString() });
  await pg.connect();
  try {
    await pg.query(sql);
  } finally {
    await pg.end();
  }
}

/** A table chart's form data and the query context Superset replays for its data. */
function tableChart(datasetId: number, columns: string[]): Record<string, string> {
  const formData = {
    viz_type: 'table',
    datasource: `${datasetId}__table`,
    query_mode: 'raw',
    all_columns: columns,
    row_limit: 100,
  };
  const queryContext = {
    datasource: { id: datasetId, type: 'table' },
    force: false,
    queries: [
      {
        columns,
        metrics: [],
        orderby: [],
        filters: [],
        extras: { having: '', where: '' },
        row_limit: 100,
        annotation_layers: [],
        applied_time_extras: {},
        url_params: {},
        custom_params: {},
        custom_form_data: {},
      },
    ],
    form_data: formData,
    result_format: 'json',
    result_type: 'full',
  };
  return { params: JSON.stringify(formData), query_context: JSON.stringify(queryContext) };
}

/**
 * The dashboard "Taskdeck broken": "Orders (checked)" on public.orders, and "Broken orders" on a
 * virtual dataset whose SQL names a table that does not exist, so its data request fails with
 * PostgreSQL's "relation does not exist". Superset reads a new virtual dataset's columns by running
 * its SQL, so the dataset is made on a query that answers and its SQL changed afterwards (an update
 * does not run it).
 */
async function seedBroken(
  client: SupersetClient,
  databaseId: number,
  ordersDatasetId: number,
): Promise<BrokenSeed> {
  const datasetId = await client.create('dataset', {
    database: databaseId,
    schema: 'public',
    table_name: 'broken_orders',
    sql: 'SELECT id, amount FROM public.orders',
  });
  const created = await client.dataset(datasetId);
  await client.updateDataset(datasetId, {
    columns: created.columns,
    metrics: created.metrics,
    sql: `SELECT id, amount FROM public.${MISSING_TABLE}`,
  });
  const dashboardId = await client.create('dashboard', {
    dashboard_title: 'Taskdeck broken',
    slug: 'taskdeck-broken',
    published: true,
  });
  const workingChartName = 'Orders (checked)';
  const chartName = 'Broken orders';
  const workingChartId = await client.create('chart', {
    slice_name: workingChartName,
    viz_type: 'table',
    datasource_id: ordersDatasetId,
    datasource_type: 'table',
    ...tableChart(ordersDatasetId, ['id', 'amount']),
    dashboards: [dashboardId],
  });
  const chartId = await client.create('chart', {
    slice_name: chartName,
    viz_type: 'table',
    datasource_id: datasetId,
    datasource_type: 'table',
    ...tableChart(datasetId, ['id', 'amount']),
    dashboards: [dashboardId],
  });
  const charts = await Promise.all([workingChartId, chartId].map((id) => client.chart(id)));
  await client.updateDashboard(dashboardId, {
    position_json: JSON.stringify(chartRowPosition(charts)),
  });
  return { dashboardId, datasetId, chartId, chartName, workingChartId, workingChartName };
}
