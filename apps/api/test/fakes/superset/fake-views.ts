// How a fake Superset answers its list and detail routes: Superset 6.1's body shapes, rison paging
// with the silent page_size cap, its order columns (never `id`) and the filter operators it knows.
import type { FakeChart, FakeDashboard, FakeDatabase, FakeDataset, FakeStore } from './fake-store';

/** What a route answers: the status, the JSON body and any extra headers. */
export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, string>;
}

/** A 4xx the router turns into Superset's `{message}` body. */
export class FakeHttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
  ) {
    super(`fake Superset ${status}`);
  }
}

export type ListResource = 'dashboard' | 'chart' | 'dataset' | 'database' | 'log';

interface ListArgs {
  page?: number;
  page_size?: number;
  order_column?: string;
  order_direction?: string;
  filters?: { col: string; opr: string; value: unknown }[];
}

const ORDER_COLUMNS: Record<ListResource, string[]> = {
  log: ['action', 'dttm', 'user_id', 'dashboard_id', 'slice_id', 'duration_ms', 'referrer'],
  dashboard: [
    'changed_by.first_name',
    'changed_on_delta_humanized',
    'created_by.first_name',
    'dashboard_title',
    'published',
    'changed_on',
  ],
  chart: [
    'changed_by.first_name',
    'changed_on_delta_humanized',
    'datasource_id',
    'datasource_name',
    'last_saved_at',
    'slice_name',
    'viz_type',
  ],
  dataset: [
    'table_name',
    'catalog',
    'schema',
    'changed_by.first_name',
    'changed_on_delta_humanized',
    'database.database_name',
  ],
  database: [
    'allow_file_upload',
    'allow_dml',
    'allow_run_async',
    'changed_on',
    'changed_on_delta_humanized',
    'created_by.first_name',
    'database_name',
    'expose_in_sqllab',
  ],
};

export function dashboardItem(d: FakeDashboard): Record<string, unknown> {
  return {
    id: d.id,
    uuid: d.uuid,
    dashboard_title: d.dashboard_title,
    slug: d.slug,
    published: d.published,
    status: d.published ? 'published' : 'draft',
    url: `/superset/dashboard/${d.slug ?? d.id}/`,
    changed_on_utc: `${d.changed_on}+00:00`,
    changed_on_delta_humanized: 'a day ago',
    certified_by: null,
    certification_details: null,
    owners: [],
    roles: [],
    tags: [],
    is_managed_externally: false,
  };
}

export function dashboardDetail(store: FakeStore, d: FakeDashboard): Record<string, unknown> {
  return {
    ...dashboardItem(d),
    json_metadata: d.json_metadata,
    position_json: d.position_json,
    css: d.css ?? '',
    charts: d.chart_ids.map((id) => store.charts.get(id)?.slice_name).filter(Boolean),
    changed_by_name: 'admin',
    thumbnail_url: `/api/v1/dashboard/${d.id}/thumbnail/x/`,
  };
}

export function chartItem(store: FakeStore, c: FakeChart): Record<string, unknown> {
  const dataset = store.datasetOf(c);
  return {
    id: c.id,
    uuid: c.uuid,
    slice_name: c.slice_name,
    viz_type: c.viz_type,
    datasource_id: c.datasource_id,
    datasource_type: 'table',
    datasource_name_text: dataset ? `${dataset.schema ?? ''}.${dataset.table_name}` : null,
    params: c.params,
    changed_on_utc: `${c.changed_on}+00:00`,
    dashboards: [...store.dashboards.values()]
      .filter((d) => d.chart_ids.includes(c.id))
      .map((d) => ({ id: d.id, dashboard_title: d.dashboard_title })),
    owners: [],
  };
}

function databaseRef(db: FakeDatabase | undefined): Record<string, unknown> {
  return { id: db?.id ?? null, database_name: db?.database_name ?? null, uuid: db?.uuid ?? null };
}

export function datasetItem(store: FakeStore, ds: FakeDataset): Record<string, unknown> {
  return {
    id: ds.id,
    uuid: ds.uuid,
    table_name: ds.table_name,
    schema: ds.schema,
    catalog: null,
    sql: ds.sql,
    kind: ds.sql ? 'virtual' : 'physical',
    datasource_type: 'table',
    description: ds.description,
    database: databaseRef(store.databaseOf(ds)),
    changed_on_utc: `${ds.changed_on}+00:00`,
    owners: [],
    extra: null,
  };
}

export function datasetDetail(store: FakeStore, ds: FakeDataset): Record<string, unknown> {
  const db = store.databaseOf(ds);
  return {
    ...datasetItem(store, ds),
    database: { ...databaseRef(db), backend: db?.backend ?? null, allow_multi_catalog: false },
    main_dttm_col: ds.main_dttm_col,
    // GET adds fields that PUT refuses (changed_on, created_on, type_generic): a client must not echo them.
    columns: ds.columns.map((c) => ({
      ...c,
      changed_on: `${ds.changed_on}`,
      created_on: `${ds.changed_on}`,
      type_generic: c.is_dttm ? 2 : 1,
    })),
    metrics: ds.metrics.map((m) => ({
      ...m,
      changed_on: `${ds.changed_on}`,
      created_on: `${ds.changed_on}`,
    })),
    changed_on: ds.changed_on,
    created_on: ds.changed_on,
    is_managed_externally: false,
  };
}

export function databaseItem(db: FakeDatabase): Record<string, unknown> {
  return {
    id: db.id,
    uuid: db.uuid,
    database_name: db.database_name,
    backend: db.backend,
    expose_in_sqllab: db.expose_in_sqllab ?? true,
    allow_run_async: false,
    allow_dml: false,
    allow_file_upload: false,
    changed_on: db.changed_on,
  };
}

/** Superset's list body for one page of `rows`, after filters, order and the page_size cap. */
export function listPage<T extends { id: number; changed_on: string }>(
  store: FakeStore,
  resource: ListResource,
  rows: () => T[],
  args: ListArgs,
  maxPageSize: number,
  render: (row: T) => Record<string, unknown>,
  text: (row: T) => Record<string, string | null>,
): Record<string, unknown> {
  const orderColumn = args.order_column ?? '';
  if (orderColumn && !ORDER_COLUMNS[resource].includes(orderColumn)) {
    throw new FakeHttpError(400, { message: `Invalid order by column: ${orderColumn}` });
  }
  // Sorting 2,000 rows for each page would be the fake's own cost, not Superset's latency.
  const cacheKey = JSON.stringify([resource, orderColumn, args.order_direction, args.filters]);
  const cached = store.listCache.get(cacheKey);
  let matched: T[];
  if (cached && cached.version === store.version) {
    matched = cached.rows as T[];
  } else {
    matched = rows();
    for (const filter of args.filters ?? []) {
      matched = matched.filter((row) => matches(text(row), filter));
    }
    const key = (row: T): string =>
      orderColumn.startsWith('changed_on') || orderColumn === '' || orderColumn === 'dttm'
        ? row.changed_on
        : String(text(row)[orderColumn] ?? '');
    const sign = orderColumn === '' || args.order_direction === 'desc' ? -1 : 1;
    matched = [...matched].sort(
      (a, b) => sign * (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : a.id - b.id),
    );
    store.listCache.set(cacheKey, { version: store.version, rows: matched });
  }
  const page = args.page ?? 0;
  let size = args.page_size ?? 20;
  if (size > maxPageSize || size < 1) size = maxPageSize; // Superset caps silently
  const slice = matched.slice(page * size, page * size + size);
  return {
    count: matched.length,
    ids: slice.map((r) => r.id),
    result: slice.map(render),
    list_title: `List ${resource[0].toUpperCase()}${resource.slice(1)}`,
    order_columns: ORDER_COLUMNS[resource],
  };
}

function matches(
  text: Record<string, string | null>,
  filter: { col: string; opr: string; value: unknown },
): boolean {
  const value = String(filter.value).toLowerCase();
  switch (filter.opr) {
    case 'title_or_slug':
      return [text.dashboard_title, text.slug].some((t) => (t ?? '').toLowerCase().includes(value));
    case 'chart_all_text':
    case 'ct':
      return (text[filter.col] ?? '').toLowerCase().includes(value);
    case 'eq':
      return (text[filter.col] ?? '') === String(filter.value);
    default:
      throw new FakeHttpError(400, {
        message: `Filter operator ${filter.opr} is not supported here`,
      });
  }
}
