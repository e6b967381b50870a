// What a fake Superset holds: databases, datasets (with columns and metrics), charts and
// dashboards, linked by id as in Superset and carrying uuids as its exports do. Tests seed it and
// inspect it directly; the HTTP side (fake-superset.ts) only reads and writes it.
import { randomUUID } from 'node:crypto';
import { dashboardLayout, defaultMetadata } from './fake-layout';

export interface FakeDatabase {
  id: number;
  uuid: string;
  database_name: string;
  backend: string;
  /** With the password masked as Superset exports it. */
  sqlalchemy_uri: string;
  /** What an import was given for it (never exported). */
  password?: string;
  changed_on: string;
  /** Whether SQL Lab may query it (default true). */
  expose_in_sqllab?: boolean;
  /** Tables SQL Lab can read: `schema.table` (or `table`) → rows. */
  tables?: Record<string, Record<string, unknown>[]>;
}

export interface FakeColumn {
  id: number;
  uuid: string;
  column_name: string;
  type: string | null;
  verbose_name: string | null;
  description: string | null;
  expression: string | null;
  filterable: boolean;
  groupby: boolean;
  is_active: boolean;
  is_dttm: boolean;
  python_date_format: string | null;
  extra: string | null;
  advanced_data_type: string | null;
}

export interface FakeMetric {
  id: number;
  uuid: string;
  metric_name: string;
  expression: string;
  metric_type: string | null;
  verbose_name: string | null;
  description: string | null;
  d3format: string | null;
  warning_text: string | null;
  extra: string | null;
  currency: unknown;
}

export interface FakeDataset {
  id: number;
  uuid: string;
  table_name: string;
  schema: string | null;
  database_id: number;
  sql: string | null;
  description: string | null;
  main_dttm_col: string | null;
  /** The database's error for any query on this dataset (its SQL is broken). */
  error?: string;
  columns: FakeColumn[];
  metrics: FakeMetric[];
  changed_on: string;
}

export interface FakeChart {
  id: number;
  uuid: string;
  slice_name: string;
  viz_type: string;
  datasource_id: number;
  /** JSON text, as Superset stores it. */
  params: string;
  changed_on: string;
}

export interface FakeDashboard {
  id: number;
  uuid: string;
  dashboard_title: string;
  slug: string | null;
  published: boolean;
  /** JSON text: native filters, cross-filter configuration, … */
  json_metadata: string;
  /** JSON text: the layout; CHART nodes carry `meta.chartId` and `meta.uuid`. */
  position_json: string;
  chart_ids: number[];
  changed_on: string;
  /** Superset's dashboard description (exported; null unless a test sets it). */
  description?: string | null;
  /** The dashboard's custom CSS ('' unless a PUT sets it). */
  css?: string;
}

/** One row of Superset's action log (`/api/v1/log/`): what its event logger records per call. */
export interface FakeLogEntry {
  id: number;
  action: string;
  dttm: string;
  user_id: number;
  dashboard_id: number | null;
  slice_id: number | null;
  duration_ms: number;
  json: string;
  referrer: string | null;
  /** The list's sort key (log rows are ordered by dttm). */
  changed_on: string;
}

export interface SeedCounts {
  databases?: number;
  datasets?: number;
  charts?: number;
  dashboards?: number;
}

export class FakeStore {
  readonly databases = new Map<number, FakeDatabase>();
  readonly datasets = new Map<number, FakeDataset>();
  readonly charts = new Map<number, FakeChart>();
  readonly dashboards = new Map<number, FakeDashboard>();
  readonly actionLog = new Map<number, FakeLogEntry>();
  private nextId = { database: 1, dataset: 1, chart: 1, dashboard: 1, column: 1, metric: 1 };
  /** Strictly increasing change times, so list order is deterministic. */
  private clock = Date.UTC(2026, 0, 1);

  /** Rises with every change, so the fake can keep a sorted list until the next one. */
  version = 0;
  /** Sorted lists by resource, order and filters, valid for one `version`. */
  readonly listCache = new Map<string, { version: number; rows: unknown[] }>();

  stamp(): string {
    this.version++;
    this.clock += 1000;
    return new Date(this.clock).toISOString().replace('Z', '');
  }

  id(kind: keyof FakeStore['nextId']): number {
    this.version++;
    return this.nextId[kind]++;
  }

  addDatabase(given: Partial<FakeDatabase> = {}): FakeDatabase {
    const id = given.id ?? this.id('database');
    const name = given.database_name ?? `database_${id}`;
    const db: FakeDatabase = {
      id,
      uuid: given.uuid ?? randomUUID(),
      database_name: name,
      backend: given.backend ?? 'postgresql',
      sqlalchemy_uri:
        given.sqlalchemy_uri ?? `postgresql://superset:XXXXXXXXXX@db.example:5432/${name}`,
      password: given.password,
      changed_on: given.changed_on ?? this.stamp(),
      expose_in_sqllab: given.expose_in_sqllab,
      tables: given.tables,
    };
    this.databases.set(id, db);
    return db;
  }

  addDataset(
    given: Partial<Omit<FakeDataset, 'columns' | 'metrics'>> & {
      database_id: number;
      columns?: Partial<FakeColumn>[];
      metrics?: Partial<FakeMetric>[];
    },
  ): FakeDataset {
    const id = given.id ?? this.id('dataset');
    const dataset: FakeDataset = {
      id,
      uuid: given.uuid ?? randomUUID(),
      table_name: given.table_name ?? `table_${id}`,
      schema: given.schema === undefined ? 'public' : given.schema,
      database_id: given.database_id,
      sql: given.sql ?? null,
      description: given.description ?? null,
      main_dttm_col: given.main_dttm_col ?? null,
      error: given.error,
      columns: (
        given.columns ?? [
          { column_name: 'id', type: 'INTEGER' },
          { column_name: 'name', type: 'VARCHAR' },
          { column_name: 'created_at', type: 'TIMESTAMP', is_dttm: true },
        ]
      ).map((c) => this.column(c)),
      metrics: (given.metrics ?? [{ metric_name: 'count', expression: 'COUNT(*)' }]).map((m) =>
        this.metric(m),
      ),
      changed_on: given.changed_on ?? this.stamp(),
    };
    this.datasets.set(id, dataset);
    return dataset;
  }

  column(given: Partial<FakeColumn>): FakeColumn {
    return {
      id: given.id ?? this.id('column'),
      uuid: given.uuid ?? randomUUID(),
      column_name: given.column_name ?? 'column',
      type: given.type ?? null,
      verbose_name: given.verbose_name ?? null,
      description: given.description ?? null,
      expression: given.expression ?? null,
      filterable: given.filterable ?? true,
      groupby: given.groupby ?? true,
      is_active: given.is_active ?? true,
      is_dttm: given.is_dttm ?? false,
      python_date_format: given.python_date_format ?? null,
      extra: given.extra ?? null,
      advanced_data_type: given.advanced_data_type ?? null,
    };
  }

  metric(given: Partial<FakeMetric>): FakeMetric {
    return {
      id: given.id ?? this.id('metric'),
      uuid: given.uuid ?? randomUUID(),
      metric_name: given.metric_name ?? 'metric',
      expression: given.expression ?? 'COUNT(*)',
      metric_type: given.metric_type ?? null,
      verbose_name: given.verbose_name ?? null,
      description: given.description ?? null,
      d3format: given.d3format ?? null,
      warning_text: given.warning_text ?? null,
      extra: given.extra ?? null,
      currency: given.currency ?? null,
    };
  }

  addChart(given: Partial<FakeChart> & { datasource_id: number }): FakeChart {
    const id = given.id ?? this.id('chart');
    const chart: FakeChart = {
      id,
      uuid: given.uuid ?? randomUUID(),
      slice_name: given.slice_name ?? `Chart ${id}`,
      viz_type: given.viz_type ?? 'table',
      datasource_id: given.datasource_id,
      params:
        given.params ??
        JSON.stringify({
          viz_type: given.viz_type ?? 'table',
          datasource: `${given.datasource_id}__table`,
        }),
      changed_on: given.changed_on ?? this.stamp(),
    };
    this.charts.set(id, chart);
    return chart;
  }

  /** A dashboard laid out with its charts; with two or more, a native filter targets the first two. */
  addDashboard(
    given: Partial<Omit<FakeDashboard, 'position_json'>> & { chart_ids?: number[] } = {},
  ): FakeDashboard {
    const id = given.id ?? this.id('dashboard');
    const chartIds = given.chart_ids ?? [];
    const dashboard: FakeDashboard = {
      id,
      uuid: given.uuid ?? randomUUID(),
      dashboard_title: given.dashboard_title ?? `Dashboard ${id}`,
      slug: given.slug === undefined ? null : given.slug,
      published: given.published ?? true,
      json_metadata: given.json_metadata ?? JSON.stringify(defaultMetadata(this, chartIds)),
      position_json: JSON.stringify(dashboardLayout(this, chartIds)),
      chart_ids: chartIds,
      changed_on: given.changed_on ?? this.stamp(),
      description: given.description ?? null,
    };
    this.dashboards.set(id, dashboard);
    return dashboard;
  }

  /** N of each, linked round-robin: datasets over databases, charts over datasets, over dashboards. */
  seed(counts: SeedCounts): void {
    const databases = Array.from({ length: counts.databases ?? 0 }, () => this.addDatabase());
    const datasets = Array.from({ length: counts.datasets ?? 0 }, (_, i) =>
      this.addDataset({ database_id: (databases[i % databases.length] ?? this.addDatabase()).id }),
    );
    if (datasets.length === 0 && (counts.charts ?? 0) > 0) {
      datasets.push(this.addDataset({ database_id: (databases[0] ?? this.addDatabase()).id }));
    }
    const charts = Array.from({ length: counts.charts ?? 0 }, (_, i) =>
      this.addChart({ datasource_id: datasets[i % datasets.length].id }),
    );
    const dashboards = counts.dashboards ?? 0;
    for (let d = 0; d < dashboards; d++) {
      this.addDashboard({
        chart_ids: charts.filter((_, i) => i % dashboards === d).map((c) => c.id),
      });
    }
  }

  datasetOf(chart: FakeChart): FakeDataset | undefined {
    return this.datasets.get(chart.datasource_id);
  }

  databaseOf(dataset: FakeDataset): FakeDatabase | undefined {
    return this.databases.get(dataset.database_id);
  }

  /** Records an API call as Superset's event logger does (`DashboardRestApi.get_list`, …). */
  logAction(
    action: string,
    ids: { dashboard?: number; chart?: number } = {},
    at?: { dttm?: Date; json?: string },
  ): void {
    const id = this.actionLog.size + 1;
    const dttm = (at?.dttm ?? new Date(Date.UTC(2026, 0, 1) + id)).toISOString().replace('Z', '');
    this.actionLog.set(id, {
      id,
      action,
      dttm,
      user_id: 1,
      dashboard_id: ids.dashboard ?? null,
      slice_id: ids.chart ?? null,
      duration_ms: 1,
      json: at?.json ?? JSON.stringify({ path: action }),
      referrer: null,
      changed_on: dttm,
    });
  }

  findByUuid<T extends { uuid: string }>(map: Map<number, T>, uuid: string): T | undefined {
    for (const item of map.values()) if (item.uuid === uuid) return item;
    return undefined;
  }
}
