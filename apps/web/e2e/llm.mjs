// Browser tests of the LLM pieces: the LLM providers page, a dashboard validation's verdict with its
// screenshot (fetched behind auth), and a documentation dry run's diff applied with one click —
// against the real server, a fake Superset (with its UI) and a fake OpenAI-compatible LLM.
// run.mjs calls llmSteps() with its browser, server and step helpers.
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from './server.mjs';

async function waitTask(server, token, id) {
  let task;
  for (let i = 0; i < 600; i++) {
    task = await server.api('GET', `/api/tasks/${id}`, undefined, token);
    if (['SUCCESS', 'FAILED', 'CANCELLED'].includes(task.status)) return task;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`task ${id} still ${task?.status}`);
}

export async function llmSteps({ browser, server, step, assert, login, admin, img }) {
  const { FakeSuperset, FAKE_ADMIN } = await tsImport(
    join(ROOT, 'apps/api/test/fakes/superset/index.ts'),
    import.meta.url,
  );
  const { FakeLlm, promptText } = await tsImport(
    join(ROOT, 'apps/api/test/fakes/llm/fake-llm.ts'),
    import.meta.url,
  );
  const fake = await FakeSuperset.start({ renderDelayMs: 300 });
  const db = fake.store.addDatabase({
    database_name: 'warehouse',
    tables: { 'sales.orders': [{ id: 1, status: 'shipped' }] },
  });
  const orders = fake.store.addDataset({
    database_id: db.id,
    table_name: 'orders',
    schema: 'sales',
    columns: [
      { column_name: 'id', type: 'INTEGER' },
      { column_name: 'status', type: 'VARCHAR' },
    ],
  });
  const broken = fake.store.addDataset({
    database_id: db.id,
    table_name: 'orders_broken',
    error: 'relation "sales.orders_missing" does not exist',
  });
  const good = fake.store.addChart({ datasource_id: orders.id, slice_name: 'Orders by status' });
  const bad = fake.store.addChart({ datasource_id: broken.id, slice_name: 'Broken orders' });
  const dashboard = fake.store.addDashboard({
    dashboard_title: 'Sales',
    chart_ids: [good.id, bad.id],
  });
  const llm = await FakeLlm.start({ apiKey: 'sk-e2e-llm-key-000111222333' });
  llm.defaultAnswer = (body) => {
    const text = promptText(body);
    if (/Columns to describe/.test(text)) {
      return JSON.stringify({
        description: 'One row per order.',
        columns: [
          { column: 'id', description: 'Order number' },
          { column: 'status', description: 'Where the order stands' },
        ],
      });
    }
    return JSON.stringify({
      status: 'WARN',
      issues: [{ severity: 'warning', message: 'Legend cut off', location: 'Orders by status' }],
    });
  };
  const token = await server.token(admin.username, admin.password);
  const environment = await server.api(
    'POST',
    '/api/environments',
    { name: 'LLM BI', url: fake.url, username: FAKE_ADMIN.username, password: FAKE_ADMIN.password },
    token,
  );
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(30_000);
  try {
    await login(page, server.url, admin.username, admin.password);

    await step('an admin adds an LLM provider, makes it the default and tests it', async () => {
      await page.click('[data-testid="nav-llm-providers"]');
      await page.waitForSelector('h1:has-text("LLM providers")');
      await page.click('[data-testid="llm-add"]');
      await page.fill('[data-testid="llm-name"]', 'Fake vision');
      await page.fill('[data-testid="llm-base-url"]', llm.baseUrl);
      await page.fill('[data-testid="llm-model"]', 'gpt-vision-fake');
      await page.fill('[data-testid="llm-api-key"]', 'sk-e2e-llm-key-000111222333');
      await page.check('[data-testid="llm-is-default"]');
      await page.click('[data-testid="llm-save"]');
      const row = '[data-testid="llm-row"][data-name="Fake vision"]';
      await page.waitForSelector(`${row} [data-testid="llm-default"]:has-text("default")`);
      await page.click(`${row} [data-testid="llm-test"]`);
      const result = await page.waitForSelector('[data-testid="llm-test-result"]');
      assert(
        /gpt-vision-fake-fake answered in \d+ ms/.test(await result.textContent()),
        `unexpected test result: ${await result.textContent()}`,
      );
      assert(
        !(await page.content()).includes('sk-e2e-llm-key-000111222333'),
        'the API key is in the page',
      );
      await page.screenshot({ path: join(img, 'llm-providers.png') });
    });

    await step('a dashboard validation shows its verdict, issues and screenshot', async () => {
      const task = await server.api(
        'POST',
        '/api/tasks',
        {
          pluginId: 'dashboard-validation',
          params: { environmentId: environment.id, dashboardId: dashboard.id },
        },
        token,
      );
      const done = await waitTask(server, token, task.id);
      assert(done.status === 'SUCCESS', `validation ${done.status}: ${done.error}`);
      await page.goto(`${server.url}/tasks/${task.id}`);
      await page.waitForSelector('[data-testid="validation-status"]:has-text("FAIL")');
      const issues = await page.$$eval('[data-testid="validation-issue"]', (rows) =>
        rows.map((r) => r.textContent.replace(/\s+/g, ' ').trim()),
      );
      assert(issues.length === 2, `issues: ${issues}`);
      assert(
        issues.some((i) => i.includes('Broken orders') && i.includes('orders_missing')),
        `the broken chart is not an issue: ${issues}`,
      );
      await page.waitForFunction(() => {
        const img = document.querySelector('[data-testid="validation-screenshot"]');
        return img && img.complete && img.naturalWidth > 0;
      });
      const size = await page.$eval('[data-testid="validation-screenshot"]', (img) => [
        img.naturalWidth,
        img.src.slice(0, 5),
      ]);
      assert(size[0] === 1600 && size[1] === 'blob:', `screenshot: ${size}`);
      await page.screenshot({ path: join(img, 'dashboard-validation.png'), fullPage: true });
    });

    await step('a documentation dry run shows old → new and Apply writes it', async () => {
      const task = await server.api(
        'POST',
        '/api/tasks',
        {
          pluginId: 'documentation',
          params: { environmentId: environment.id, datasetId: orders.id, dryRun: true },
        },
        token,
      );
      const done = await waitTask(server, token, task.id);
      assert(done.status === 'SUCCESS', `documentation ${done.status}: ${done.error}`);
      await page.goto(`${server.url}/tasks/${task.id}`);
      await page.waitForSelector('[data-testid="documentation-report"][data-dry-run="true"]');
      const row = await page.textContent('[data-testid="doc-row"][data-column="status"]');
      assert(row.includes('Where the order stands'), `status row: ${row}`);
      assert(
        fake.store.datasets.get(orders.id).columns.every((c) => c.description === null),
        'the dry run wrote',
      );
      await page.screenshot({ path: join(img, 'documentation-diff.png'), fullPage: true });
      await page.click('[data-testid="doc-apply"]');
      await page.waitForURL((url) => url.pathname !== `/tasks/${task.id}`);
      await page.waitForSelector('[data-testid="documentation-report"][data-dry-run="false"]');
      await page.waitForSelector('[data-testid="documentation-report"] h2:has-text("written")');
      const columns = fake.store.datasets.get(orders.id).columns;
      assert(
        columns.find((c) => c.column_name === 'status').description === 'Where the order stands',
        `not written: ${JSON.stringify(columns)}`,
      );
    });
  } finally {
    await context.close();
    await fake.stop();
    await llm.stop();
  }
}
