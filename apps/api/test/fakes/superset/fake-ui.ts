// The fake's dashboard pieces beyond the CRUD lists: `GET /api/v1/dashboard/:id/charts`, the chart
// data API (`GET /api/v1/chart/:id/data/`, which fails as Superset does for a chart whose dataset's
// SQL errors), the screenshot API behind its feature flag, and a minimal web UI for a browser: the
// form login at /login/ (a session cookie, as Flask-Login sets) and a dashboard page that shows a
// spinner per chart, then renders the charts (or the error of a broken one) a moment later, as
// Superset's React app does.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { PNG } from 'pngjs';
import type { FakeUser } from './fake-auth';
import type { FakeChart, FakeDashboard, FakeStore } from './fake-store';
import { FakeHttpError, type Answer } from './fake-views';

/** The page's size: a full-page screenshot of a dashboard is this wide and this tall. */
export const FAKE_PAGE = { width: 1600, chartHeight: 600, headerHeight: 120 };

export function fakePageHeight(charts: number): number {
  return FAKE_PAGE.headerHeight + Math.max(1, charts) * FAKE_PAGE.chartHeight;
}

export interface FakeUiState {
  users: FakeUser[];
  /** Browser sessions (cookie `session`) → user name. */
  uiSessions: Map<string, string>;
  /** How long the page's charts spin before they render. */
  renderDelayMs: number;
  /** ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS (default off: the routes answer 404). */
  screenshotApi: boolean;
  /** cache key → polls left before the PNG is ready */
  screenshots: Map<string, { dashboardId: number; pollsLeft: number }>;
}

const notFoundBody = {
  errors: [
    {
      message: '404 Not Found: The requested URL was not found on the server.',
      error_type: 'GENERIC_BACKEND_ERROR',
      level: 'error',
    },
  ],
};

function dashboardOf(store: FakeStore, key: string): FakeDashboard {
  const dashboard = /^\d+$/.test(key)
    ? store.dashboards.get(Number(key))
    : [...store.dashboards.values()].find((d) => d.slug === key);
  if (!dashboard) throw new FakeHttpError(404, { message: 'Not found' });
  return dashboard;
}

function chartsOf(store: FakeStore, dashboard: FakeDashboard): FakeChart[] {
  return dashboard.chart_ids.map((id) => store.charts.get(id)).filter((c): c is FakeChart => !!c);
}

/** The API routes of this file, or undefined when the path is not one of them. */
export function routeDashboardApi(
  store: FakeStore,
  ui: FakeUiState,
  method: string,
  path: string,
): Answer | undefined {
  let m = /^\/api\/v1\/dashboard\/([^/]+)\/charts$/.exec(path);
  if (m && method === 'GET') {
    const dashboard = dashboardOf(store, m[1]);
    return {
      status: 200,
      body: {
        result: chartsOf(store, dashboard).map((c) => ({
          id: c.id,
          slice_name: c.slice_name,
          slice_url: `/explore/?slice_id=${c.id}`,
          form_data: { ...(JSON.parse(c.params || '{}') as object), viz_type: c.viz_type },
          cache_timeout: null,
          changed_on: `${c.changed_on}`,
          description: null,
          is_managed_externally: false,
        })),
      },
    };
  }
  m = /^\/api\/v1\/chart\/(\d+)\/data\/$/.exec(path);
  if (m && method === 'GET') {
    const chart = store.charts.get(Number(m[1]));
    if (!chart) throw new FakeHttpError(404, { message: 'Not found' });
    const dataset = store.datasetOf(chart);
    if (dataset?.error) throw new FakeHttpError(400, { message: dataset.error });
    const data = [
      { label: 'a', value: 1 },
      { label: 'b', value: 2 },
    ];
    return {
      status: 200,
      body: {
        result: [
          {
            cache_key: randomBytes(8).toString('hex'),
            cached_dttm: null,
            cache_timeout: 86400,
            applied_template_filters: [],
            annotation_data: {},
            error: null,
            is_cached: false,
            query: `SELECT label, value FROM ${dataset?.table_name ?? 'unknown'} LIMIT 10000`,
            status: 'success',
            stacktrace: null,
            rowcount: data.length,
            colnames: ['label', 'value'],
            coltypes: [1, 0],
            data,
          },
        ],
      },
    };
  }
  m = /^\/api\/v1\/dashboard\/([^/]+)\/cache_dashboard_screenshot\/$/.exec(path);
  if (m && method === 'POST') {
    if (!ui.screenshotApi) throw new FakeHttpError(404, notFoundBody);
    const dashboard = dashboardOf(store, m[1]);
    const key = randomBytes(16).toString('hex');
    ui.screenshots.set(key, { dashboardId: dashboard.id, pollsLeft: 1 });
    return {
      status: 202,
      body: {
        cache_key: key,
        dashboard_url: `/superset/dashboard/${dashboard.id}/`,
        image_url: `/api/v1/dashboard/${dashboard.id}/screenshot/${key}/`,
        task_status: 'Pending',
      },
    };
  }
  m = /^\/api\/v1\/dashboard\/([^/]+)\/screenshot\/([^/]+)\/$/.exec(path);
  if (m && method === 'GET') {
    if (!ui.screenshotApi) throw new FakeHttpError(404, notFoundBody);
    const entry = ui.screenshots.get(m[2]);
    if (!entry) throw new FakeHttpError(404, { message: 'Not found' });
    if (entry.pollsLeft > 0) {
      entry.pollsLeft--;
      return { status: 202, body: { message: 'OK', task_status: 'Computing' } };
    }
    const dashboard = store.dashboards.get(entry.dashboardId)!;
    return {
      status: 200,
      body: renderedPng(FAKE_PAGE.width, fakePageHeight(chartsOf(store, dashboard).length)),
      headers: { 'content-type': 'image/png' },
    };
  }
  return undefined;
}

/** A plain PNG of that size (Superset's worker would render the dashboard). */
const rendered = new Map<string, Buffer>();

export function renderedPng(width: number, height: number): Buffer {
  const key = `${width}x${height}`;
  const cached = rendered.get(key);
  if (cached) return cached;
  const png = new PNG({ width, height, filterType: 0, deflateLevel: 1 });
  for (let i = 0; i < png.data.length; i += 4) {
    png.data[i] = 240;
    png.data[i + 1] = 242;
    png.data[i + 2] = 245;
    png.data[i + 3] = 255;
  }
  const bytes = PNG.sync.write(png, { filterType: 0, deflateLevel: 1 });
  rendered.set(key, bytes);
  return bytes;
}

function html(status: number, body: string, headers: Record<string, string> = {}): Answer {
  return {
    status,
    body: Buffer.from(
      `<!doctype html><html><head><meta charset="utf-8"><title>Superset</title></head><body>${body}</body></html>`,
    ),
    headers: { 'content-type': 'text/html; charset=utf-8', ...headers },
  };
}

function escape(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function loginPage(error?: string): string {
  return `<form method="post" action="/login/" id="loginForm">
    ${error ? `<div class="alert alert-danger" role="alert">${escape(error)}</div>` : ''}
    <input type="hidden" name="csrf_token" value="${randomBytes(8).toString('hex')}">
    <input type="text" name="username" id="username" placeholder="Username">
    <input type="password" name="password" id="password" placeholder="Password">
    <input type="submit" value="Sign In">
  </form>`;
}

/** The UI routes (everything outside /api/), or undefined when the path is not one of them. */
export function routeUi(
  store: FakeStore,
  ui: FakeUiState,
  req: IncomingMessage,
  path: string,
  body: Buffer,
): Answer | undefined {
  const method = req.method ?? 'GET';
  if (path === '/login/' && method === 'GET') return html(200, loginPage());
  if (path === '/login/' && method === 'POST') {
    const form = new URLSearchParams(body.toString());
    const user = ui.users.find(
      (u) =>
        u.username === form.get('username') &&
        u.password === form.get('password') &&
        (u.provider ?? 'db') === 'db',
    );
    if (!user) return html(200, loginPage('Invalid login. Please try again.'));
    const session = randomBytes(16).toString('hex');
    ui.uiSessions.set(session, user.username);
    return {
      status: 302,
      body: Buffer.alloc(0),
      headers: {
        location: '/superset/welcome/',
        'set-cookie': `session=${session}; HttpOnly; Path=/; SameSite=Lax`,
      },
    };
  }
  const signedIn = (): boolean => {
    const session = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    return !!session && ui.uiSessions.has(session);
  };
  if (path === '/superset/welcome/' && method === 'GET') {
    if (!signedIn()) return redirectToLogin(path);
    return html(200, '<h1>Welcome</h1>');
  }
  const m = /^\/superset\/dashboard\/([^/]+)\/$/.exec(path);
  if (m && method === 'GET') {
    if (!signedIn()) return redirectToLogin(path);
    const dashboard = /^\d+$/.test(m[1])
      ? store.dashboards.get(Number(m[1]))
      : [...store.dashboards.values()].find((d) => d.slug === m[1]);
    if (!dashboard) return html(404, '<h1>Not found</h1>');
    return html(200, dashboardPage(store, dashboard, ui.renderDelayMs));
  }
  return undefined;
}

function redirectToLogin(next: string): Answer {
  return {
    status: 302,
    body: Buffer.alloc(0),
    headers: { location: `/login/?next=${encodeURIComponent(next)}` },
  };
}

function dashboardPage(store: FakeStore, dashboard: FakeDashboard, delayMs: number): string {
  const charts = chartsOf(store, dashboard);
  const holders = charts
    .map((chart) => {
      const error = store.datasetOf(chart)?.error;
      return `<div class="dashboard-component-chart-holder" data-test-chart-id="${chart.id}"
        data-error="${error ? escape(error) : ''}" style="height:${FAKE_PAGE.chartHeight - 20}px;margin:10px;border:1px solid #ddd;box-sizing:border-box">
        <div class="chart-header">${escape(chart.slice_name)}</div>
        <div class="chart-slot"><img class="loading" alt="Loading..." src="data:image/gif;base64,R0lGODlhAQABAAAAACw="></div>
      </div>`;
    })
    .join('');
  return `<style>html,body{margin:0;padding:0;width:${FAKE_PAGE.width}px;font-family:sans-serif}
    .header{height:${FAKE_PAGE.headerHeight}px;box-sizing:border-box;padding:20px}
    .dashboard{height:${fakePageHeight(charts.length) - FAKE_PAGE.headerHeight}px;overflow:hidden}
    .bar{display:inline-block;width:60px;margin:4px;background:#1f77b4}</style>
    <div class="header"><h1 data-test="dashboard-header">${escape(dashboard.dashboard_title)}</h1></div>
    <div class="dashboard" data-test="dashboard-content-wrapper">${holders}</div>
    <script>
      setTimeout(function () {
        document.querySelectorAll('.dashboard-component-chart-holder').forEach(function (holder) {
          var slot = holder.querySelector('.chart-slot');
          var error = holder.getAttribute('data-error');
          slot.innerHTML = error
            ? '<div class="alert alert-danger" role="alert">' + error.replace(/</g, '&lt;') + '</div>'
            : '<div class="bar" style="height:120px"></div><div class="bar" style="height:200px"></div>';
        });
      }, ${delayMs});
    </script>`;
}
