// The shapes of Superset's REST API (6.x) that Taskdeck reads and writes. Superset sends more
// fields than these; the index signatures keep them, so a read-modify-write loses nothing.

/** Every list endpoint: `count` is the total over all pages. */
export interface SupersetPage<T> {
  count: number;
  ids?: number[];
  result: T[];
}

export interface SupersetOwnerRef {
  id: number;
  first_name?: string;
  last_name?: string;
}

export interface DashboardListItem {
  id: number;
  uuid: string;
  dashboard_title: string;
  slug: string | null;
  published: boolean;
  changed_on_utc?: string | null;
  url?: string;
  [field: string]: unknown;
}

export interface DashboardDetail extends DashboardListItem {
  json_metadata?: string | null;
  position_json?: string | null;
  css?: string | null;
  owners?: SupersetOwnerRef[];
}

export interface ChartListItem {
  id: number;
  uuid?: string;
  slice_name: string;
  viz_type?: string;
  datasource_id?: number;
  datasource_type?: string;
  params?: string | null;
  [field: string]: unknown;
}

export interface DatabaseRef {
  id: number;
  database_name: string;
  uuid?: string;
  backend?: string;
}

export interface DatasetListItem {
  id: number;
  uuid: string;
  table_name: string;
  schema: string | null;
  sql?: string | null;
  kind?: string;
  database: DatabaseRef;
  [field: string]: unknown;
}

/** A dataset column as `PUT /api/v1/dataset/:id` accepts it (DatasetColumnsPutSchema). */
export interface DatasetColumn {
  id?: number;
  column_name: string;
  type?: string | null;
  advanced_data_type?: string | null;
  verbose_name?: string | null;
  description?: string | null;
  expression?: string | null;
  extra?: string | null;
  filterable?: boolean;
  groupby?: boolean;
  is_active?: boolean | null;
  is_dttm?: boolean | null;
  python_date_format?: string | null;
  datetime_format?: string | null;
  uuid?: string | null;
}

/** A dataset metric as `PUT /api/v1/dataset/:id` accepts it (DatasetMetricsPutSchema). */
export interface DatasetMetric {
  id?: number;
  metric_name: string;
  expression: string;
  metric_type?: string | null;
  verbose_name?: string | null;
  description?: string | null;
  d3format?: string | null;
  currency?: unknown;
  warning_text?: string | null;
  extra?: string | null;
  uuid?: string | null;
}

export interface DatasetDetail extends DatasetListItem {
  description?: string | null;
  main_dttm_col?: string | null;
  columns: (DatasetColumn & Record<string, unknown>)[];
  metrics: (DatasetMetric & Record<string, unknown>)[];
}

/**
 * A dataset write. Superset deletes every column and metric a PUT leaves out, so both lists are
 * required: start from `dataset(id)` and change what you mean to change.
 */
export interface DatasetUpdate {
  columns: DatasetColumn[];
  metrics: DatasetMetric[];
  table_name?: string;
  description?: string | null;
  sql?: string | null;
  main_dttm_col?: string | null;
  cache_timeout?: number | null;
  extra?: string | null;
}

export interface DatabaseListItem {
  id: number;
  uuid: string;
  database_name: string;
  backend: string;
  [field: string]: unknown;
}

/** One row of Superset's action log (`/api/v1/log/`). */
export interface ActionLogEntry {
  action: string;
  dttm: string;
  user_id: number | null;
  dashboard_id: number | null;
  slice_id: number | null;
  duration_ms: number | null;
  json: string | null;
  referrer?: string | null;
  [field: string]: unknown;
}

/** A filter of a list query (FAB's rison filters). */
export interface SupersetFilter {
  col: string;
  opr: string;
  value: unknown;
}

/** `POST /api/v1/sqllab/execute/`'s answer for a synchronous query (the parts Taskdeck reads). */
export interface SqlLabResult {
  status: string;
  data: Record<string, unknown>[];
  columns?: { name?: string; column_name?: string; type?: string | null }[];
  query_id?: number;
  [field: string]: unknown;
}

/** One chart of `GET /api/v1/dashboard/:id/charts`. */
export interface DashboardChart {
  id: number;
  slice_name: string;
  viz_type?: string;
  form_data?: Record<string, unknown>;
  [field: string]: unknown;
}

/** Whether a chart's data request answers (`GET /api/v1/chart/:id/data/`). */
export interface ChartDataStatus {
  ok: boolean;
  status: number;
  rows?: number;
  error?: string;
  ms: number;
}
