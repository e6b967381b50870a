// Browser tests of the Superset pages: the Environments page (admin and viewer) and the run form's
// pickers, against the real server and two fake Supersets on loopback (apps/api/test/fakes).
// run.mjs calls supersetSteps() with its browser, server and step helpers.
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from './server.mjs';

async function startFakes() {
  const { FakeSuperset, FAKE_ADMIN } = await tsImport(
    join(ROOT, 'apps/api/test/fakes/superset/index.ts'),
    import.meta.url,
  );
  const a = await FakeSuperset.start({ versionString: '6.1.0' });
  const warehouse = a.store.addDatabase({ database_name: 'warehouse' });
  a.store.addDataset({ database_id: warehouse.id, table_name: 'orders' });
  a.store.addDataset({ database_id: warehouse.id, table_name: 'customers' });
  a.store.seed({ dashboards: 3 });
  const b = await FakeSuperset.start();
  const lake = b.store.addDatabase({ database_name: 'lake' });
  b.store.addDataset({ database_id: lake.id, table_name: 'events' });
  return { a, b, admin: FAKE_ADMIN };
}

async function optionLabels(page, testId) {
  return page.$$eval(`[data-testid="${testId}"] option`, (options) =>
    options.filter((o) => o.value).map((o) => o.textContent.trim()),
  );
}

/** Waits until a picker has loaded its options (its data-loaded attribute is set). */
async function pickerLoaded(page, testId) {
  await page.waitForSelector(`select[data-testid="${testId}"][data-loaded]:not([disabled])`);
}

/** The task the page landed on ends SUCCESS (its error in the failure message otherwise). */
async function finished(page, server, token) {
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}/);
  const id = new URL(page.url()).pathname.split('/').pop();
  let task;
  for (let i = 0; i < 300; i++) {
    task = await server.api('GET', `/api/tasks/${id}`, undefined, token);
    if (['SUCCESS', 'FAILED', 'CANCELLED'].includes(task.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (task.status !== 'SUCCESS') {
    throw new Error(`task ${task.status}: ${task.error} (params ${JSON.stringify(task.params)})`);
  }
  await page.waitForSelector('[data-testid="task-status"]:has-text("SUCCESS")');
}

export async function supersetSteps({ browser, server, step, assert, login, admin, img }) {
  const fakes = await startFakes();
  // An earlier step raised the task log level; these steps read DEBUG and INFO lines.
  const token = await server.token(admin.username, admin.password);
  await server.api('PATCH', '/api/settings/logging', { taskLogLevel: 'DEBUG' }, token);
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await login(page, server.url, admin.username, admin.password);

    await step(
      'an admin adds environments, tests one, and sees a wrong password refused',
      async () => {
        await page.click('[data-testid="nav-environments"]');
        await page.waitForSelector('h1:has-text("Environments")');
        for (const [name, fake] of [
          ['Alpha', fakes.a],
          ['Beta', fakes.b],
        ]) {
          await page.click('[data-testid="env-add"]');
          await page.fill('[data-testid="env-name"]', name);
          await page.fill('[data-testid="env-url"]', fake.url);
          await page.fill('[data-testid="env-username"]', fakes.admin.username);
          await page.fill('[data-testid="env-password"]', fakes.admin.password);
          await page.click('[data-testid="env-save"]');
          await page.waitForSelector(`[data-testid="env-row"][data-name="${name}"]`);
        }
        const alpha = '[data-testid="env-row"][data-name="Alpha"]';
        await page.click(`${alpha} [data-testid="env-test"]`);
        const ok = await page.waitForSelector('[data-testid="env-test-result"][data-ok="true"]');
        assert(
          /Connected to Superset 6\.1\.0: 3 dashboard\(s\)/.test(await ok.textContent()),
          `unexpected test result: ${await ok.textContent()}`,
        );
        await page.screenshot({ path: join(img, 'environments.png') });
        assert(!(await page.content()).includes(fakes.admin.password), 'a password is in the page');

        await page.click(`${alpha} [data-testid="env-edit"]`);
        assert((await page.inputValue('[data-testid="env-password"]')) === '', 'password shown');
        await page.fill('[data-testid="env-password"]', 'not-the-password');
        await page.click('[data-testid="env-save"]');
        await page.waitForSelector('[data-testid="env-form"]', { state: 'detached' });
        await page.click(`${alpha} [data-testid="env-test"]`);
        const refused = await page.waitForSelector(
          '[data-testid="env-test-result"][data-ok="false"]',
        );
        assert(
          (await refused.textContent()).includes(
            `refused the login for user '${fakes.admin.username}' (401)`,
          ),
          `unexpected refusal: ${await refused.textContent()}`,
        );
        await page.click(`${alpha} [data-testid="env-edit"]`);
        await page.fill('[data-testid="env-password"]', fakes.admin.password);
        await page.click('[data-testid="env-save"]');
        await page.waitForSelector('[data-testid="env-form"]', { state: 'detached' });
      },
    );

    await step(
      'the run form’s dataset picker follows the environment chosen in the form',
      async () => {
        await page.click('[data-testid="nav-run"]');
        await page.selectOption('[data-testid="plugin-select"]', 'debug');
        await page.selectOption('[data-testid="param-action"]', 'dataset');
        await page.waitForSelector('select[data-testid="param-datasetId"][disabled]');
        assert(
          (await page.textContent('[data-testid="param-datasetId"]')).includes(
            'Choose the environment first',
          ),
          'the dataset picker does not wait for the environment',
        );
        await pickerLoaded(page, 'param-environmentId');
        await page.selectOption('[data-testid="param-environmentId"]', { label: 'Beta' });
        await pickerLoaded(page, 'param-datasetId');
        let labels = await optionLabels(page, 'param-datasetId');
        assert(labels.length === 1 && labels[0].startsWith('public.events'), `Beta: ${labels}`);
        await page.selectOption('[data-testid="param-datasetId"]', { index: 1 });
        await page.selectOption('[data-testid="param-environmentId"]', { label: 'Alpha' });
        await page.waitForFunction(() => {
          const select = document.querySelector(
            'select[data-testid="param-datasetId"][data-loaded]',
          );
          return select && [...select.options].some((o) => o.textContent.includes('orders'));
        });
        labels = await optionLabels(page, 'param-datasetId');
        assert(
          labels.length === 2 && labels.some((l) => l.startsWith('public.orders')),
          `Alpha: ${labels}`,
        );
        assert(
          (await page.inputValue('[data-testid="param-datasetId"]')) === '',
          'the Beta dataset stayed chosen after switching to Alpha',
        );
        await page.screenshot({ path: join(img, 'run-pickers.png'), fullPage: true });
        await page.selectOption('[data-testid="param-datasetId"]', {
          label: labels.find((l) => l.startsWith('public.orders')),
        });
        await page.click('[data-testid="run-submit"]');
        await finished(page, server, token);
        await page.waitForSelector('[data-testid="log-row"][data-source="superset_api"]');
        await page.waitForSelector('[data-testid="log-row"]:has-text("dataset 1 \\"orders\\"")');
      },
    );

    await step('compare-databases runs from two environment pickers', async () => {
      await page.click('[data-testid="nav-run"]');
      await page.selectOption('[data-testid="plugin-select"]', 'debug');
      await page.selectOption('[data-testid="param-action"]', 'compare-databases');
      await pickerLoaded(page, 'param-sourceEnvironmentId');
      await page.selectOption('[data-testid="param-sourceEnvironmentId"]', { label: 'Alpha' });
      await page.selectOption('[data-testid="param-targetEnvironmentId"]', { label: 'Beta' });
      await page.click('[data-testid="run-submit"]');
      await finished(page, server, token);
      await page.waitForSelector(
        '[data-testid="log-row"]:has-text("1 only in the source, 1 only in the target")',
      );
    });

    await step('a viewer sees the environments read-only', async () => {
      const viewerContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
      try {
        const viewer = await viewerContext.newPage();
        await login(viewer, server.url, 'viewer', 'viewer-password');
        await viewer.click('[data-testid="nav-environments"]');
        await viewer.waitForSelector('[data-testid="env-row"][data-name="Alpha"]');
        for (const testId of ['env-add', 'env-edit', 'env-delete', 'env-test']) {
          assert(
            (await viewer.$(`[data-testid="${testId}"]`)) === null,
            `${testId} shown to a viewer`,
          );
        }
      } finally {
        await viewerContext.close();
      }
    });

    await step('an admin deletes an environment after confirming', async () => {
      await page.click('[data-testid="nav-environments"]');
      const beta = '[data-testid="env-row"][data-name="Beta"]';
      await page.click(`${beta} [data-testid="env-delete"]`);
      await page.click(`${beta} [data-testid="env-delete-confirm"]`);
      await page.waitForSelector(beta, { state: 'detached' });
    });
  } finally {
    await context.close();
    await fakes.a.stop();
    await fakes.b.stop();
  }
}
