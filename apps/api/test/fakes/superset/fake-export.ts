// Superset's dashboard export, faithful to 6.1: the ZIP has one root folder
// (`dashboard_export_<timestamp>/`) holding metadata.yaml, dashboards/, charts/, datasets/<db>/ and
// databases/, with native filter targets pointing at dataset uuids.
import { strToU8, zipSync } from 'fflate';
import { stringify } from 'yaml';
import type { FakeChart, FakeDashboard, FakeDatabase, FakeDataset, FakeStore } from './fake-store';
import { FakeHttpError } from './fake-views';

/** werkzeug's secure_filename, enough for our names. */
function fileName(name: string, id?: number): string {
  const slug = name
    .normalize('NFKD')
    .replace(/\s+/g, '_')
    .replace(/[^A-Za-z0-9_.-]/g, '')
    .replace(/^[._]+|[._]+$/g, '');
  if (!slug) return String(id);
  return id === undefined ? slug : `${slug}_${id}`;
}

export function exportDashboards(
  store: FakeStore,
  ids: number[],
  now = new Date(),
  failing: ReadonlySet<number> = new Set(),
): Uint8Array {
  const dashboards = ids.map((id) => store.dashboards.get(id));
  if (dashboards.some((d) => !d)) throw new FakeHttpError(404, { message: 'Not found' });
  // A dashboard whose export raises (a broken chart, bad JSON in its metadata): the command fails
  // and Flask's handler answers 500 for the whole request, as `show_unexpected_exception` does.
  const broken = ids.find((id) => failing.has(id));
  if (broken !== undefined) {
    throw new FakeHttpError(500, {
      errors: [
        {
          message: `Fatal error: could not export dashboard ${broken}`,
          error_type: 'GENERIC_BACKEND_ERROR',
          level: 'error',
          extra: {
            issue_codes: [
              {
                code: 1011,
                message: 'Issue 1011 - Superset encountered an unexpected error.',
              },
            ],
          },
        },
      ],
    });
  }
  const root = `dashboard_export_${now.toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
  const files: Record<string, string> = {
    // PyYAML's safe_dump quotes the timestamp (unquoted, YAML 1.1 would read a datetime).
    'metadata.yaml': stringify(
      { version: '1.0.0', type: 'Dashboard', timestamp: now.toISOString() },
      { version: '1.1' },
    ),
  };
  for (const dashboard of dashboards as FakeDashboard[]) {
    const metadata = JSON.parse(dashboard.json_metadata) as {
      native_filter_configuration?: { targets?: Record<string, unknown>[] }[];
    };
    for (const filter of metadata.native_filter_configuration ?? []) {
      for (const target of filter.targets ?? []) {
        const dataset = store.datasets.get(Number(target.datasetId));
        delete target.datasetId;
        if (dataset) target.datasetUuid = dataset.uuid;
      }
    }
    files[`dashboards/${fileName(dashboard.dashboard_title, dashboard.id)}.yaml`] = stringify({
      dashboard_title: dashboard.dashboard_title,
      description: dashboard.description ?? null,
      css: dashboard.css ?? '',
      slug: dashboard.slug,
      certified_by: null,
      certification_details: null,
      published: dashboard.published,
      uuid: dashboard.uuid,
      position: JSON.parse(dashboard.position_json) as unknown,
      metadata,
      theme_uuid: null,
      version: '1.0.0',
    });
    for (const chart of dashboard.chart_ids
      .map((id) => store.charts.get(id))
      .filter((c): c is FakeChart => !!c)) {
      const dataset = store.datasetOf(chart);
      files[`charts/${fileName(chart.slice_name, chart.id)}.yaml`] = stringify({
        slice_name: chart.slice_name,
        description: null,
        certified_by: null,
        certification_details: null,
        viz_type: chart.viz_type,
        params: JSON.parse(chart.params) as unknown,
        query_context: null,
        cache_timeout: null,
        uuid: chart.uuid,
        version: '1.0.0',
        dataset_uuid: dataset?.uuid,
      });
      if (!dataset) continue;
      const db = store.databaseOf(dataset);
      if (!db) continue;
      files[
        `datasets/${fileName(db.database_name)}/${fileName(dataset.table_name, dataset.id)}.yaml`
      ] = stringify(datasetYaml(dataset, db));
      files[`databases/${fileName(db.database_name)}.yaml`] = stringify(databaseYaml(db));
    }
  }
  // Stored, not deflated: Superset writes its export with Python's `ZipFile(buf, "w")`, whose
  // default is ZIP_STORED (superset/dashboards/api.py, 6.1).
  return zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, text]) => [`${root}/${name}`, strToU8(text)]),
    ),
    { level: 0 },
  );
}

function datasetYaml(ds: FakeDataset, db: FakeDatabase): Record<string, unknown> {
  return {
    table_name: ds.table_name,
    main_dttm_col: ds.main_dttm_col,
    description: ds.description,
    default_endpoint: null,
    offset: 0,
    cache_timeout: null,
    catalog: null,
    schema: ds.schema,
    sql: ds.sql,
    params: null,
    template_params: null,
    filter_select_enabled: true,
    fetch_values_predicate: null,
    extra: null,
    normalize_columns: false,
    always_filter_main_dttm: false,
    uuid: ds.uuid,
    metrics: ds.metrics.map(({ id: _id, uuid: _uuid, ...m }) => m),
    columns: ds.columns.map(({ id: _id, uuid: _uuid, ...c }) => c),
    version: '1.0.0',
    database_uuid: db.uuid,
  };
}

function databaseYaml(db: FakeDatabase): Record<string, unknown> {
  return {
    database_name: db.database_name,
    sqlalchemy_uri: db.sqlalchemy_uri,
    cache_timeout: null,
    expose_in_sqllab: true,
    allow_run_async: false,
    allow_ctas: false,
    allow_cvas: false,
    allow_dml: false,
    allow_file_upload: false,
    extra: { allows_virtual_table_explore: true },
    uuid: db.uuid,
    version: '1.0.0',
  };
}
