// The dashboard-validation plugin through the real app: a fake Superset (API, the chart data API,
// its screenshot API and a minimal UI with a login form and a dashboard page whose charts spin, then
// render) with one chart whose dataset's SQL errors, a real headless Chromium, the real storage, and
// a fake multimodal LLM that records the image it was sent.
import type {
  DashboardValidationResult,
  Environment,
  LlmProvider,
  LogEntry,
  Task,
} from '@taskdeck/contracts';
import { PNG } from 'pngjs';
import { FakeLlm, imagesIn, promptText } from './fakes/llm/fake-llm';
import {
  FAKE_ADMIN,
  FAKE_PAGE,
  FakeSuperset,
  fakePageHeight,
  type FakeDashboard,
} from './fakes/superset';
import { ApiClient } from './utils/api-client';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { startTestApp, type TestApp } from './utils/test-app';

const API_KEY = 'sk-validation-test-key-1a2b3c4d5e6f';
const BROKEN_SQL_ERROR = 'postgresql error: relation "sales.orders_missing" does not exist';

describe('dashboard-validation', () => {
  let t: TestApp;
  let fake: FakeSuperset;
  let llm: FakeLlm;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;
  let environment: Environment;
  let dashboard: FakeDashboard;

  beforeAll(async () => {
    fake = await FakeSuperset.start({ screenshotApi: true, renderDelayMs: 400 });
    const db = fake.store.addDatabase({ database_name: 'warehouse' });
    const good = fake.store.addDataset({ database_id: db.id, table_name: 'orders' });
    const broken = fake.store.addDataset({
      database_id: db.id,
      table_name: 'orders_broken',
      sql: 'SELECT * FROM sales.orders_missing',
      error: BROKEN_SQL_ERROR,
    });
    const revenue = fake.store.addChart({
      datasource_id: good.id,
      slice_name: 'Revenue by month',
      viz_type: 'echarts_timeseries_bar',
    });
    const failing = fake.store.addChart({
      datasource_id: broken.id,
      slice_name: 'Broken orders',
      viz_type: 'table',
    });
    dashboard = fake.store.addDashboard({
      dashboard_title: 'Sales',
      chart_ids: [revenue.id, failing.id],
    });
    fake.store.logAction(
      'ChartRestApi.data',
      { dashboard: dashboard.id, chart: failing.id },
      { dttm: new Date(Date.now() - 3600_000), json: `{"error": "${BROKEN_SQL_ERROR}"}` },
    );
    fake.store.logAction(
      'ChartRestApi.data',
      { dashboard: dashboard.id, chart: failing.id },
      { dttm: new Date(Date.now() - 3 * 86400_000), json: '{"error": "an old error"}' },
    );

    llm = await FakeLlm.start({ apiKey: API_KEY });
    t = await startTestApp();
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    viewer = new ApiClient(t.url, await t.tokenFor('viewer'));
    await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' });
    environment = (
      await admin.post<Environment>('/api/environments', {
        name: 'BI prod',
        url: fake.url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
      })
    ).body;
    await admin.post<LlmProvider>('/api/llm/providers', {
      name: 'Vision',
      baseUrl: llm.baseUrl,
      model: 'gpt-vision-fake',
      apiKey: API_KEY,
      isDefault: true,
    });
  }, 120_000);
  beforeEach(() => {
    llm.reset();
    fake.resetStats();
    llm.defaultAnswer = JSON.stringify({
      status: 'WARN',
      issues: [
        { severity: 'warning', message: 'Axis labels overlap', location: 'Revenue by month' },
      ],
    });
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
    await llm?.stop();
  });

  async function validate(params: Record<string, unknown>): Promise<{
    task: Task;
    result: DashboardValidationResult & { summary?: string; rawAnswer?: string };
    logs: LogEntry[];
  }> {
    const task = await startTask(operator, 'dashboard-validation', {
      environmentId: environment.id,
      dashboardId: dashboard.id,
      ...params,
    });
    const done = await waitForStatus(
      operator,
      task.id,
      ['SUCCESS', 'FAILED', 'CANCELLED'],
      120_000,
    );
    return {
      task: done,
      result: done.result as DashboardValidationResult & { summary?: string },
      logs: await readAllLogs(operator, task.id),
    };
  }

  async function download(path: string): Promise<Buffer> {
    const response = await fetch(
      `${t.url}/api/storage/files/download?path=${encodeURIComponent(path)}`,
      { headers: { authorization: `Bearer ${await t.tokenFor('viewer')}` } },
    );
    expect(response.status).toBe(200);
    return Buffer.from(await response.arrayBuffer());
  }

  it('browser: logs in, waits for the charts, stores a full-page PNG, sends it as an image part; the broken chart fails the verdict', async () => {
    const { task, result, logs } = await validate({});
    expect(task.error).toBeNull();
    expect(task.status).toBe('SUCCESS');
    expect(result.strategy).toBe('browser');
    expect(result.screenshotPath).toMatch(
      new RegExp(`^screenshots/BI-prod/${dashboard.id}-\\d{4}-\\d\\d-\\d\\dT[\\d-]+Z\\.png$`),
    );
    // The model said WARN; a chart whose data request failed makes it FAIL, named as an issue.
    expect(result.status).toBe('FAIL');
    expect(result.issues).toEqual([
      { severity: 'warning', message: 'Axis labels overlap', location: 'Revenue by month' },
      {
        severity: 'error',
        message: `The chart's data request failed: ${BROKEN_SQL_ERROR}`,
        location: 'Broken orders',
      },
    ]);
    expect(result.chartErrors).toEqual([
      { chartId: expect.any(Number), chart: 'Broken orders', error: BROKEN_SQL_ERROR },
    ]);

    const expected = { width: FAKE_PAGE.width, height: fakePageHeight(2) };
    const stored = PNG.sync.read(await download(result.screenshotPath));
    expect({ width: stored.width, height: stored.height }).toEqual(expected);

    const [request] = llm.chatRequests();
    expect(request.authorization).toBe(`Bearer ${API_KEY}`);
    const images = imagesIn(request.body);
    expect(images).toHaveLength(1);
    expect(images[0].mimeType).toBe('image/png');
    const sent = PNG.sync.read(images[0].data);
    expect({ width: sent.width, height: sent.height }).toEqual(expected);
    const text = promptText(request.body);
    expect(text).toMatch(/"Broken orders" \(id \d+, table\): DATA REQUEST FAILED \(HTTP 400\)/);
    expect(text).toMatch(/"Revenue by month" .*data OK \(2 rows\)/);
    expect(text).toMatch(/1 error\(s\)/);
    expect(text).not.toMatch(/an old error/);
    expect(result.summary).toMatch(/Broken orders/);

    const steps = logs.filter((l) => l.source === 'screenshot').map((l) => l.message);
    expect(steps).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^launch Chromium \(\d+ ms\)$/),
        expect.stringMatching(/^log in at .*\/login\/ as admin \(\d+ ms\)$/),
        expect.stringMatching(/^wait for the charts to render \(\d+ ms\)$/),
        expect.stringMatching(/^full-page screenshot \(\d+ ms\)$/),
        expect.stringMatching(/^a chart shows an error: .*orders_missing/),
      ]),
    );
    // The spinners were seen, so the wait took at least the page's render delay.
    const wait = logs.find((l) => /^wait for the charts/.test(l.message))!;
    expect((wait.metadata as { ms: number }).ms).toBeGreaterThanOrEqual(300);
    expect(
      logs.some((l) => l.source === 'superset_api' && /chart\/\d+\/data/.test(l.message)),
    ).toBe(true);
    expect(logs.some((l) => l.source === 'llm' && l.level === 'INFO')).toBe(true);
    const all = JSON.stringify(logs);
    expect(all).not.toContain(API_KEY);
    expect(all).not.toContain(FAKE_ADMIN.password);
    expect(fake.ui.uiSessions.size).toBeGreaterThan(0);
  }, 120_000);

  it('superset: uses Superset’s screenshot API, polling until the image is ready', async () => {
    const { task, result, logs } = await validate({ strategy: 'superset' });
    expect(task.status).toBe('SUCCESS');
    expect(result.strategy).toBe('superset');
    const polls = fake.requests.filter((r) => /\/screenshot\/[0-9a-f]+\/$/.test(r.path));
    expect(polls.map((r) => r.status)).toEqual([202, 200]);
    const png = PNG.sync.read(await download(result.screenshotPath));
    expect(png.width).toBe(FAKE_PAGE.width);
    const sent = PNG.sync.read(imagesIn(llm.chatRequests()[0].body)[0].data);
    expect(sent.height).toBe(png.height);
    expect(logs.some((l) => /screenshot is ready after 2 poll/.test(l.message))).toBe(true);
  }, 60_000);

  it('superset: says clearly when the screenshot API is not enabled', async () => {
    fake.ui.screenshotApi = false;
    try {
      const { task } = await validate({ strategy: 'superset' });
      expect(task.status).toBe('FAILED');
      expect(task.error).toMatch(
        /screenshot API is not enabled .*ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS.*use strategy "browser"/,
      );
      expect(llm.chatRequests()).toHaveLength(0);
    } finally {
      fake.ui.screenshotApi = true;
    }
  }, 60_000);

  it('keeps the raw answer in the failed task when the verdict never matches its schema', async () => {
    llm.script({ status: 'GOOD' }, 'not json at all');
    const { task, result } = await validate({ strategy: 'superset' });
    expect(task.status).toBe('FAILED');
    expect(result.rawAnswer).toBe('not json at all');
    expect(result.screenshotPath).toMatch(/^screenshots\//);
    expect(llm.chatRequests()).toHaveLength(2);
  }, 60_000);

  it('a wrong password fails the task with Superset’s sentence', async () => {
    const other = await admin.post<Environment>('/api/environments', {
      name: 'Wrong password',
      url: fake.url,
      username: FAKE_ADMIN.username,
      password: 'not-the-password',
    });
    const task = await startTask(operator, 'dashboard-validation', {
      environmentId: other.body.id,
      dashboardId: dashboard.id,
    });
    const done = await waitForStatus(operator, task.id, ['SUCCESS', 'FAILED'], 120_000);
    expect(done.status).toBe('FAILED');
    expect(done.error).toMatch(/Superset at .* refused|invalid|login/i);
    expect((await viewer.get(`/api/tasks/${task.id}`)).status).toBe(200);
  }, 120_000);
});
