// The only code that speaks to Superset (DESIGN.md "The Superset plugins"). One client per
// environment and task: it logs in on first use, reads whole lists, writes with CSRF, exports and
// imports dashboards as streams, and logs every request under `superset_api` at DEBUG.
import { createWriteStream } from 'node:fs';
import { openAsBlob } from 'node:fs';
import type { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { FormData } from 'undici';
import { httpError, SupersetError } from './superset-errors';
import { SupersetHttp, type SupersetHttpOptions, type SupersetRequest } from './superset-http';
import { readAllPages, PAGE_SIZE, type ListQuery } from './superset-pages';
import { SupersetSession } from './superset-session';
import type {
  ActionLogEntry,
  ChartListItem,
  DashboardDetail,
  DashboardListItem,
  DatabaseListItem,
  DatasetColumn,
  DatasetDetail,
  DatasetListItem,
  DatasetMetric,
  DatasetUpdate,
  SupersetFilter,
  ChartDataStatus,
  DashboardChart,
  SqlLabResult,
  SupersetPage,
} from './superset-types';

export interface SupersetConnection {
  url: string;
  username: string;
  password: string;
  provider: 'db' | 'ldap';
  verifyTls: boolean;
}

/**
 * The transport's options but TLS (the environment's): `logger` is the task's (or the server's,
 * outside a task); the client logs requests under its `superset_api` source.
 */
export type SupersetClientOptions = Omit<SupersetHttpOptions, 'verifyTls'>;

export type SupersetResource = 'dashboard' | 'chart' | 'dataset' | 'database' | 'log';

/** Each list's order: one Superset allows for it (never `id`), stable while we page. */
const LIST_ORDER: Record<SupersetResource, Omit<ListQuery, 'filters'>> = {
  dashboard: { order_column: 'changed_on', order_direction: 'asc' },
  chart: { order_column: 'changed_on_delta_humanized', order_direction: 'asc' },
  dataset: { order_column: 'changed_on_delta_humanized', order_direction: 'asc' },
  database: { order_column: 'changed_on', order_direction: 'asc' },
  log: { order_column: 'dttm', order_direction: 'desc' },
};

const COLUMN_FIELDS: (keyof DatasetColumn)[] = [
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
];
const METRIC_FIELDS: (keyof DatasetMetric)[] = [
  'id',
  'metric_name',
  'expression',
  'metric_type',
  'verbose_name',
  'description',
  'd3format',
  'currency',
  'warning_text',
  'extra',
  'uuid',
];

export class SupersetClient {
  readonly http: SupersetHttp;
  private readonly session: SupersetSession;

  constructor(connection: SupersetConnection, options: SupersetClientOptions) {
    this.http = new SupersetHttp(connection.url.replace(/\/+$/, ''), {
      ...options,
      verifyTls: connection.verifyTls,
      logger: options.logger.withSource('superset_api'),
    });
    this.session = new SupersetSession(this.http, connection);
  }

  get url(): string {
    return this.http.baseUrl;
  }

  login(): Promise<void> {
    return this.session.login();
  }

  /** Superset's version from its unauthenticated `/version`, or undefined where it has none. */
  async version(): Promise<string | undefined> {
    const response = await this.http.send({ method: 'GET', path: '/version' }, {});
    const version = (response.body as { version_string?: unknown } | undefined)?.version_string;
    return response.status === 200 && typeof version === 'string' ? version : undefined;
  }

  /** One page of a list, as Superset answers it (the bench walks pages with it). */
  listPage<T>(
    resource: SupersetResource,
    page: number,
    filters: SupersetFilter[] = [],
  ): Promise<SupersetPage<T>> {
    const q = {
      ...LIST_ORDER[resource],
      page,
      page_size: PAGE_SIZE,
      ...(filters.length ? { filters } : {}),
    };
    return this.call<SupersetPage<T>>({ method: 'GET', path: `/api/v1/${resource}/`, q });
  }

  /** Every item of a list, all pages. */
  list<T extends { id: number }>(
    resource: SupersetResource,
    filters: SupersetFilter[] = [],
  ): Promise<T[]> {
    return readAllPages(
      (page) => this.listPage<T>(resource, page, filters),
      this.http.logger,
      `${resource} list`,
    );
  }

  dashboards(search?: string): Promise<DashboardListItem[]> {
    return this.list(
      'dashboard',
      search ? [{ col: 'dashboard_title', opr: 'title_or_slug', value: search }] : [],
    );
  }

  dashboard(idOrSlug: number | string): Promise<DashboardDetail> {
    return this.result(`/api/v1/dashboard/${encodeURIComponent(String(idOrSlug))}`);
  }

  /** `PUT /api/v1/dashboard/:id`, e.g. `{json_metadata}` after rewriting chart ids. */
  async updateDashboard(id: number, changes: Record<string, unknown>): Promise<void> {
    await this.call({ method: 'PUT', path: `/api/v1/dashboard/${id}`, json: changes });
  }

  charts(search?: string): Promise<ChartListItem[]> {
    return this.list(
      'chart',
      search ? [{ col: 'slice_name', opr: 'chart_all_text', value: search }] : [],
    );
  }

  chart(id: number): Promise<ChartListItem> {
    return this.result(`/api/v1/chart/${id}`);
  }

  datasets(search?: string): Promise<DatasetListItem[]> {
    return this.list('dataset', search ? [{ col: 'table_name', opr: 'ct', value: search }] : []);
  }

  dataset(id: number): Promise<DatasetDetail> {
    return this.result(`/api/v1/dataset/${id}`);
  }

  /** Always the full column and metric lists: Superset deletes whatever a PUT leaves out. */
  async updateDataset(id: number, update: DatasetUpdate): Promise<void> {
    if (!Array.isArray(update.columns) || !Array.isArray(update.metrics)) {
      throw new Error('a dataset update needs its full columns and metrics lists');
    }
    const json = {
      ...update,
      columns: update.columns.map((c) => pick(c, COLUMN_FIELDS)),
      metrics: update.metrics.map((m) => pick(m, METRIC_FIELDS)),
    };
    await this.call({ method: 'PUT', path: `/api/v1/dataset/${id}`, json });
  }

  databases(): Promise<DatabaseListItem[]> {
    return this.list('database');
  }

  database(id: number): Promise<DatabaseListItem> {
    return this.result(`/api/v1/database/${id}`);
  }

  /** `GET /api/v1/dashboard/:id/charts`: the dashboard's charts with their form data. */
  dashboardCharts(id: number): Promise<DashboardChart[]> {
    return this.result(`/api/v1/dashboard/${id}/charts`);
  }

  /**
   * A chart's data as its saved query context asks (`GET /api/v1/chart/:id/data/`): whether it
   * answers, and Superset's message when it does not. Never throws for the chart's own failure.
   */
  async chartDataStatus(id: number): Promise<ChartDataStatus> {
    const path = `/api/v1/chart/${id}/data/`;
    const started = performance.now();
    const response = await this.session.send({ method: 'GET', path });
    const ms = Math.round(performance.now() - started);
    const body = response.body as
      { result?: { rowcount?: number; status?: string; error?: string | null }[] } | undefined;
    if (response.status >= 200 && response.status < 300) {
      const failed = body?.result?.find((r) => r.error || r.status === 'failed');
      if (failed) return { ok: false, status: response.status, error: String(failed.error), ms };
      const rows = (body?.result ?? []).reduce((n, r) => n + (r.rowcount ?? 0), 0);
      return { ok: true, status: response.status, rows, ms };
    }
    if (response.status === 401 || response.status === 403) {
      throw httpError(this.url, 'GET', path, response.status, response.body);
    }
    return { ok: false, status: response.status, error: supersetMessage(response.body), ms };
  }

  /**
   * Asks Superset to render the dashboard's screenshot (`POST /api/v1/dashboard/:id/cache_dashboard_screenshot/`,
   * feature flag ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS): its cache key, or undefined where the
   * endpoint is not there (404: the feature is off).
   */
  async cacheDashboardScreenshot(id: number): Promise<string | undefined> {
    const path = `/api/v1/dashboard/${id}/cache_dashboard_screenshot/`;
    const response = await this.session.send({ method: 'POST', path, json: {} });
    if (response.status === 404 || response.status === 405) return undefined;
    if (response.status < 200 || response.status >= 300) {
      throw httpError(this.url, 'POST', path, response.status, response.body);
    }
    const key = (response.body as { cache_key?: unknown } | undefined)?.cache_key;
    if (typeof key !== 'string' || !key) {
      throw new SupersetError(
        `Superset at ${this.url} answered no cache_key for POST ${path}`,
        'protocol',
        response.status,
      );
    }
    return key;
  }

  /** The screenshot cached under `digest` as PNG bytes, or undefined while it is not ready. */
  async dashboardScreenshot(id: number, digest: string): Promise<Buffer | undefined> {
    const path = `/api/v1/dashboard/${id}/screenshot/${encodeURIComponent(digest)}/`;
    const response = await this.session.send({ method: 'GET', path, stream: true });
    if (response.status === 200 && response.stream) {
      const chunks: Buffer[] = [];
      for await (const chunk of response.stream) chunks.push(chunk as Buffer);
      return Buffer.concat(chunks);
    }
    // A 2xx that is not the image (202: still rendering) came as a stream: drain it.
    response.stream?.resume();
    if (response.status === 202 || response.status === 404) return undefined;
    throw httpError(this.url, 'GET', path, response.status, response.body);
  }

  /**
   * Runs one read-only query through SQL Lab (`POST /api/v1/sqllab/execute/`, synchronously), at
   * most `limit` rows. Superset refuses (4xx, thrown) where the database or the user may not.
   */
  async executeSql(
    databaseId: number,
    sql: string,
    options: { schema?: string | null; catalog?: string | null; limit?: number } = {},
  ): Promise<SqlLabResult> {
    const body = await this.call<SqlLabResult>({
      method: 'POST',
      path: '/api/v1/sqllab/execute/',
      json: {
        database_id: databaseId,
        sql,
        schema: options.schema ?? null,
        ...(options.catalog ? { catalog: options.catalog } : {}),
        runAsync: false,
        select_as_cta: false,
        ctas_method: 'TABLE',
        queryLimit: options.limit ?? 100,
        tab: 'taskdeck',
        expand_data: true,
      },
    });
    return { ...body, data: Array.isArray(body.data) ? body.data : [] };
  }

  /** `POST /api/v1/<resource>/`: creates an object (e.g. to seed a test Superset); its new id. */
  async create(resource: SupersetResource, body: Record<string, unknown>): Promise<number> {
    return (
      await this.call<{ id: number }>({ method: 'POST', path: `/api/v1/${resource}/`, json: body })
    ).id;
  }

  /** `PUT /api/v1/<resource>/<id>`: changes an object's fields (e.g. a test Superset's seed). */
  async update(
    resource: SupersetResource,
    id: number,
    changes: Record<string, unknown>,
  ): Promise<void> {
    await this.call({ method: 'PUT', path: `/api/v1/${resource}/${id}`, json: changes });
  }

  /** Superset's action log, newest first, at most `limit` rows. */
  async actionLog(limit = 1000, filters: SupersetFilter[] = []): Promise<ActionLogEntry[]> {
    const rows: ActionLogEntry[] = [];
    for (let page = 0; rows.length < limit; page++) {
      const next = await this.listPage<ActionLogEntry>('log', page, filters);
      rows.push(...next.result);
      if (next.result.length === 0 || rows.length >= next.count) break;
    }
    return rows.slice(0, limit);
  }

  /**
   * Exports dashboards (with their charts, datasets and databases) as Superset's ZIP, streamed into
   * a file path or a writable stream; nothing of it is held in memory. `retry: false` sends it
   * once (no retries on 5xx).
   */
  async exportDashboards(
    ids: number[],
    destination: string | Writable,
    options: { retry?: boolean } = {},
  ): Promise<{ bytes: number; filename?: string }> {
    const req: SupersetRequest = {
      method: 'GET',
      path: '/api/v1/dashboard/export/',
      q: ids,
      stream: true,
      // `retry: false`: a caller that splits a failed list itself (the backup's bisection).
      ...(options.retry === false ? { idempotent: false } : {}),
    };
    const response = await this.session.send(req);
    if (response.status !== 200 || !response.stream) {
      throw httpError(this.url, req.method, req.path, response.status, response.body);
    }
    let bytes = 0;
    response.stream.on('data', (chunk: Buffer) => (bytes += chunk.length));
    const target = typeof destination === 'string' ? createWriteStream(destination) : destination;
    await pipeline(response.stream, target);
    const disposition = String(response.headers['content-disposition'] ?? '');
    this.http.logger.info(`exported ${ids.length} dashboard(s) from ${this.url}: ${bytes} bytes`, {
      ids,
      bytes,
    });
    return { bytes, filename: /filename="?([^";]+)"?/.exec(disposition)?.[1] };
  }

  /**
   * Imports a ZIP (a path, streamed from disk, or a Blob). `passwords` maps `databases/<name>.yaml`
   * to the password of a database new to this Superset. Without `overwrite` Superset refuses (422)
   * to replace an existing dashboard.
   */
  async importDashboards(
    bundle: string | Blob,
    options: { passwords?: Record<string, string>; overwrite?: boolean } = {},
  ): Promise<void> {
    const form = new FormData();
    form.set(
      'formData',
      typeof bundle === 'string' ? await openAsBlob(bundle) : bundle,
      'dashboards.zip',
    );
    form.set('passwords', JSON.stringify(options.passwords ?? {}));
    form.set('overwrite', options.overwrite ? 'true' : 'false');
    await this.call({ method: 'POST', path: '/api/v1/dashboard/import/', form });
  }

  private async result<T>(path: string): Promise<T> {
    return (await this.call<{ result: T }>({ method: 'GET', path })).result;
  }

  private async call<T>(req: SupersetRequest): Promise<T> {
    const response = await this.session.send(req);
    if (response.status < 200 || response.status >= 300) {
      throw httpError(this.url, req.method, req.path, response.status, response.body);
    }
    if (
      req.method === 'GET' &&
      (response.body === undefined || typeof response.body !== 'object')
    ) {
      throw new SupersetError(
        `Superset at ${this.url} sent no JSON for ${req.method} ${req.path}`,
        'protocol',
        response.status,
      );
    }
    return response.body as T;
  }
}

/** Superset's error body as one sentence. */
function supersetMessage(body: unknown): string {
  if (typeof body === 'string') return body.slice(0, 500);
  const b = body as { message?: unknown; errors?: { message?: unknown }[] } | undefined;
  if (typeof b?.message === 'string') return b.message;
  if (b?.message && typeof b.message === 'object') return JSON.stringify(b.message);
  const first = b?.errors?.find((e) => typeof e.message === 'string');
  return first ? String(first.message) : 'no message';
}

function pick<T extends object>(item: T, fields: (keyof T)[]): Partial<T> {
  const out: Partial<T> = {};
  for (const field of fields) if (item[field] !== undefined) out[field] = item[field];
  return out;
}
