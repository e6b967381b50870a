// Browser tests of the plugin pages: the Migration page's dry run (two fake Supersets, a mapping
// suggested, confirmed, the report as a table) and a search task's results table on its task page.
// run.mjs calls pluginSteps() with its browser, server and step helpers.
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from './server.mjs';

async function startFakes() {
  const { FakeSuperset, FAKE_ADMIN } = await tsImport(
    join(ROOT, 'apps/api/test/fakes/superset/index.ts'),
    import.meta.url,
  );
  const source = await FakeSuperset.start();
  const warehouse = source.store.addDatabase({ database_name: 'warehouse' });
  const orders = source.store.addDataset({
    database_id: warehouse.id,
    table_name: 'orders',
    sql: 'SELECT id, customer_id, amount FROM raw.orders',
    columns: [{ column_name: 'id' }, { column_name: 'customer_id' }, { column_name: 'amount' }],
  });
  const charts = ['Orders', 'Amounts'].map((name) =>
    source.store.addChart({ datasource_id: orders.id, slice_name: name }),
  );
  source.store.addDashboard({ dashboard_title: 'Sales', chart_ids: charts.map((c) => c.id) });
  source.store.addDashboard({ dashboard_title: 'Marketing', chart_ids: [] });
  const target = await FakeSuperset.start();
  target.store.addDatabase({ database_name: 'Warehouse (prod)' });
  return { source, target, admin: FAKE_ADMIN };
}

export async function pluginSteps({ browser, server, step, assert, login, admin, img }) {
  const fakes = await startFakes();
  const token = await server.token(admin.username, admin.password);
  const environment = (name, fake) =>
    server.api(
      'POST',
      '/api/environments',
      { name, url: fake.url, username: fakes.admin.username, password: fakes.admin.password },
      token,
    );
  const source = await environment('Plugins source', fakes.source);
  const target = await environment('Plugins target', fakes.target);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await login(page, server.url, admin.username, admin.password);

    await step(
      'Migration page: a confirmed suggestion, a dry run, its report as a table',
      async () => {
        await page.click('[data-testid="nav-migration"]');
        await page.waitForSelector('h1:has-text("Migration")');
        await page.selectOption('[data-testid="mig-source"]', source.id);
        await page.selectOption('[data-testid="mig-target"]', target.id);
        await page.waitForSelector('[data-testid="mig-dashboard"]');
        await page.fill('[data-testid="mig-dashboard-search"]', 'sal');
        const titles = await page.$$eval('[data-testid="mig-dashboard"]', (boxes) =>
          boxes.map((b) => b.closest('label').textContent.trim()),
        );
        assert(titles.length === 1 && titles[0].startsWith('Sales'), `search shows ${titles}`);
        await page.check('[data-testid="mig-dashboard"]');
        const row = '[data-testid="mig-mapping"][data-source="warehouse"]';
        await page.waitForSelector(`${row}[data-state="suggested"]`);
        assert(
          (await page.textContent(row)).includes('not confirmed'),
          'the suggestion is not marked unconfirmed',
        );
        const shown = () =>
          page.$eval(`${row} [data-testid="mig-mapping-target"]`, (s) => s.selectedOptions[0].text);
        assert((await shown()) === 'Warehouse (prod)', `pre-filled with ${await shown()}`);
        await page.click(`${row} [data-testid="mig-confirm"]`);
        await page.waitForSelector(`${row}[data-state="chosen"]`);
        assert((await shown()) === 'Warehouse (prod)', `confirmed as ${await shown()}`);
        await page.click('[data-testid="mig-dry-run"]');
        await page.waitForSelector('[data-testid="migration-report"][data-dry-run="true"]');
        const dashboards = await page.$$eval('[data-testid="report-dashboard"]', (rows) =>
          rows.map((r) => [...r.querySelectorAll('td')].map((td) => td.textContent.trim())),
        );
        assert(
          dashboards.length === 1 && dashboards[0][0] === 'Sales' && dashboards[0][2] === 'new',
          `dashboards in the report: ${JSON.stringify(dashboards)}`,
        );
        const action = await page.getAttribute('[data-testid="report-database"]', 'data-action');
        assert(action === 'mapped', `the warehouse database is ${action}`);
        assert(
          (await page.textContent('[data-testid="migration-report"]')).includes('Warehouse (prod)'),
          'the target database is not named',
        );
        assert(fakes.target.store.dashboards.size === 0, 'a dry run imported something');
        await page.screenshot({ path: join(img, 'migration.png'), fullPage: true });
      },
    );

    await step(
      'a search task shows its matches as a table, highlighted, linked to Superset',
      async () => {
        const task = await server.api(
          'POST',
          '/api/tasks',
          { pluginId: 'search', params: { environmentId: source.id, pattern: 'customer_id' } },
          token,
        );
        let done = task;
        for (let i = 0; i < 600 && ['PENDING', 'RUNNING'].includes(done.status); i++) {
          await new Promise((r) => setTimeout(r, 100));
          done = await server.api('GET', `/api/tasks/${task.id}`, undefined, token);
        }
        assert(done.status === 'SUCCESS', `search task ${done.status}: ${done.error}`);
        await page.goto(`${server.url}/tasks/${task.id}`);
        await page.waitForSelector('[data-testid="search-result"]');
        const rows = await page.$$eval('[data-testid="search-result"]', (trs) =>
          trs.map((tr) => ({
            field: tr.getAttribute('data-field'),
            mark: tr.querySelector('mark')?.textContent,
            href: tr.querySelector('a')?.getAttribute('href'),
          })),
        );
        assert(rows.length >= 2, `${rows.length} result rows`);
        assert(
          rows.every((r) => r.mark?.toLowerCase() === 'customer_id'),
          `highlights: ${rows.map((r) => r.mark)}`,
        );
        assert(
          rows.some((r) => r.field === 'sql'),
          'no match in the SQL',
        );
        await page.waitForSelector('[data-testid="search-dataset-link"]');
        const href = await page.getAttribute('[data-testid="search-dataset-link"]', 'href');
        assert(
          href === `${fakes.source.url}/explore/?datasource_type=table&datasource_id=1`,
          `link ${href}`,
        );
        await page.screenshot({ path: join(img, 'search-results.png') });
      },
    );
  } finally {
    await context.close();
    await fakes.source.stop();
    await fakes.target.stop();
  }
}
