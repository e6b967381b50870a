// The fake Superset's REST resources: lists, details, dataset and dashboard PUT.
import type { FakeColumn, FakeMetric, FakeStore } from './fake-store';
import {
  chartItem,
  dashboardDetail,
  dashboardItem,
  databaseItem,
  datasetDetail,
  datasetItem,
  FakeHttpError,
  listPage,
  type Answer,
} from './fake-views';

const COLUMN_PUT_FIELDS = new Set([
  'id',
  'column_name',
  'type',
  'advanced_data_type',
  'verbose_name',
  'description',
  'expression',
  'extra',
  'filterable',
  'groupby',
  'is_active',
  'is_dttm',
  'python_date_format',
  'datetime_format',
  'uuid',
]);
const METRIC_PUT_FIELDS = new Set([
  'id',
  'expression',
  'description',
  'extra',
  'metric_name',
  'metric_type',
  'd3format',
  'currency',
  'verbose_name',
  'warning_text',
  'uuid',
]);
const DATASET_PUT_FIELDS = new Set([
  'table_name',
  'database_id',
  'sql',
  'filter_select_enabled',
  'fetch_values_predicate',
  'catalog',
  'schema',
  'description',
  'main_dttm_col',
  'currency_code_column',
  'normalize_columns',
  'always_filter_main_dttm',
  'offset',
  'default_endpoint',
  'cache_timeout',
  'is_sqllab_view',
  'template_params',
  'owners',
  'columns',
  'metrics',
  'folders',
  'extra',
  'is_managed_externally',
  'external_url',
  'uuid',
]);
const DASHBOARD_PUT_FIELDS = new Set([
  'dashboard_title',
  'slug',
  'owners',
  'roles',
  'position_json',
  'css',
  'json_metadata',
  'published',
  'certified_by',
  'certification_details',
  'is_managed_externally',
  'external_url',
  'tags',
  'theme_id',
]);

const notFound = (): FakeHttpError => new FakeHttpError(404, { message: 'Not found' });

export function routeApi(
  store: FakeStore,
  method: string,
  path: string,
  q: unknown,
  body: Buffer,
  maxPageSize: number,
): Answer {
  const args = (q && typeof q === 'object' && !Array.isArray(q) ? q : {}) as Record<string, never>;
  const list = /^\/api\/v1\/(dashboard|chart|dataset|database|log)\/$/.exec(path);
  if (method === 'GET' && list?.[1] === 'log') {
    return ok(
      listPage(
        store,
        'log',
        () => [...store.actionLog.values()],
        args,
        maxPageSize,
        ({ changed_on: _sortKey, ...entry }) => entry,
        (entry) => ({ action: entry.action }),
      ),
    );
  }
  if (method === 'GET' && list) {
    switch (list[1]) {
      case 'dashboard':
        return ok(
          listPage(
            store,
            'dashboard',
            () => [...store.dashboards.values()],
            args,
            maxPageSize,
            dashboardItem,
            (d) => ({ dashboard_title: d.dashboard_title, slug: d.slug }),
          ),
        );
      case 'chart':
        return ok(
          listPage(
            store,
            'chart',
            () => [...store.charts.values()],
            args,
            maxPageSize,
            (c) => chartItem(store, c),
            (c) => ({ slice_name: c.slice_name, viz_type: c.viz_type }),
          ),
        );
      case 'dataset':
        return ok(
          listPage(
            store,
            'dataset',
            () => [...store.datasets.values()],
            args,
            maxPageSize,
            (d) => datasetItem(store, d),
            (d) => ({ table_name: d.table_name, schema: d.schema }),
          ),
        );
      default:
        return ok(
          listPage(
            store,
            'database',
            () => [...store.databases.values()],
            args,
            maxPageSize,
            databaseItem,
            (d) => ({ database_name: d.database_name }),
          ),
        );
    }
  }
  const item = /^\/api\/v1\/(dashboard|chart|dataset|database)\/([^/]+)$/.exec(path);
  if (!item) {
    throw new FakeHttpError(404, {
      errors: [
        {
          message: '404 Not Found: The requested URL was not found on the server.',
          error_type: 'GENERIC_BACKEND_ERROR',
          level: 'error',
        },
      ],
    });
  }
  const [, resource, key] = item;
  if (resource === 'dashboard') {
    const dashboard = /^\d+$/.test(key)
      ? store.dashboards.get(Number(key))
      : [...store.dashboards.values()].find((d) => d.slug === key);
    if (!dashboard) throw notFound();
    if (method === 'GET') {
      return ok({ id: dashboard.id, result: dashboardDetail(store, dashboard) });
    }
    if (method === 'PUT') {
      const changes = json(body);
      rejectUnknown(changes, DASHBOARD_PUT_FIELDS, '');
      Object.assign(
        dashboard,
        pickKnown(changes, [
          'dashboard_title',
          'slug',
          'published',
          'json_metadata',
          'position_json',
          'css',
        ]),
        { changed_on: store.stamp() },
      );
      return ok({ id: dashboard.id, last_modified_time: Date.now() / 1000, result: changes });
    }
  }
  if (!/^\d+$/.test(key)) throw notFound();
  const id = Number(key);
  if (resource === 'chart' && method === 'GET') {
    const chart = store.charts.get(id);
    if (!chart) throw notFound();
    return ok({ id, result: chartItem(store, chart) });
  }
  if (resource === 'database' && method === 'GET') {
    const db = store.databases.get(id);
    if (!db) throw notFound();
    return ok({ id, result: databaseItem(db) });
  }
  if (resource === 'dataset') {
    const dataset = store.datasets.get(id);
    if (!dataset) throw notFound();
    if (method === 'GET') return ok({ id, result: datasetDetail(store, dataset) });
    if (method === 'PUT') {
      const changes = json(body);
      rejectUnknown(changes, DATASET_PUT_FIELDS, '');
      (changes.columns as Record<string, unknown>[] | undefined)?.forEach((c, i) =>
        rejectUnknown(c, COLUMN_PUT_FIELDS, `columns.${i}`),
      );
      (changes.metrics as Record<string, unknown>[] | undefined)?.forEach((m, i) =>
        rejectUnknown(m, METRIC_PUT_FIELDS, `metrics.${i}`),
      );
      // Superset replaces the lists: whatever is left out is deleted.
      if (Array.isArray(changes.columns)) {
        dataset.columns = (changes.columns as Partial<FakeColumn>[]).map((c) =>
          store.column({ ...dataset.columns.find((old) => old.id === c.id), ...c }),
        );
      }
      if (Array.isArray(changes.metrics)) {
        dataset.metrics = (changes.metrics as Partial<FakeMetric>[]).map((m) =>
          store.metric({ ...dataset.metrics.find((old) => old.id === m.id), ...m }),
        );
      }
      Object.assign(
        dataset,
        pickKnown(changes, ['table_name', 'description', 'sql', 'main_dttm_col', 'schema']),
        { changed_on: store.stamp() },
      );
      return ok({ id, result: changes });
    }
  }
  throw new FakeHttpError(405, {
    errors: [
      {
        message: '405 Method Not Allowed: The method is not allowed for the requested URL.',
        error_type: 'GENERIC_BACKEND_ERROR',
        level: 'error',
      },
    ],
  });
}

function ok(body: unknown): Answer {
  return { status: 200, body };
}

function json(body: Buffer): Record<string, unknown> {
  try {
    const parsed = JSON.parse(body.toString()) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed)) {
      return parsed as Record<string, unknown>;
    }
  } catch {
    // answered below
  }
  throw new FakeHttpError(400, { message: 'Request is not JSON' });
}

/** Marshmallow refuses unknown fields: SIP-40 body, 422. */
function rejectUnknown(object: Record<string, unknown>, allowed: Set<string>, where: string): void {
  const unknown = Object.keys(object).filter((k) => !allowed.has(k));
  if (!unknown.length) return;
  const messages: Record<string, unknown> = Object.fromEntries(
    unknown.map((k) => [k, ['Unknown field.']]),
  );
  const nested = where
    ? where
        .split('.')
        .reduceRight<Record<string, unknown>>((inner, key) => ({ [key]: inner }), messages)
    : messages;
  throw new FakeHttpError(422, {
    errors: [
      {
        message: 'The schema of the submitted payload is invalid.',
        error_type: 'MARSHMALLOW_ERROR',
        level: 'error',
        extra: { messages: nested },
      },
    ],
  });
}

function pickKnown(object: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in object).map((k) => [k, object[k]]));
}
