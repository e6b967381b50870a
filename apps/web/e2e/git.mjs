// Browser test of the git pages: an admin adds a repository (a bare repository on disk as the
// remote), an operator's path runs a commit from the repository page through the run form, and
// the repository page then shows that commit. run.mjs calls gitSteps().
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from './server.mjs';

export async function gitSteps({ browser, server, step, assert, login, admin, img }) {
  const { FakeSuperset, FAKE_ADMIN } = await tsImport(
    join(ROOT, 'apps/api/test/fakes/superset/index.ts'),
    import.meta.url,
  );
  const fake = await FakeSuperset.start();
  const db = fake.store.addDatabase({ database_name: 'warehouse' });
  const orders = fake.store.addDataset({ database_id: db.id, table_name: 'orders' });
  const chart = fake.store.addChart({ datasource_id: orders.id, slice_name: 'Revenue' });
  fake.store.addDashboard({ dashboard_title: 'Sales', chart_ids: [chart.id] });
  const remote = join(mkdtempSync(join(tmpdir(), 'taskdeck-e2e-git-')), 'remote.git');
  execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);

  const token = await server.token(admin.username, admin.password);
  await server.api(
    'POST',
    '/api/environments',
    {
      name: 'GitProd',
      url: fake.url,
      username: FAKE_ADMIN.username,
      password: FAKE_ADMIN.password,
    },
    token,
  );
  const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  try {
    await login(page, server.url, admin.username, admin.password);

    await step('an admin adds a git repository on the Repositories page', async () => {
      await page.click('[data-testid="nav-repositories"]');
      await page.waitForSelector('h1:has-text("Repositories")');
      await page.click('[data-testid="repo-add"]');
      await page.fill('[data-testid="repo-name"]', 'dashboards');
      await page.fill('[data-testid="repo-remote"]', 'https://me:pw@git.example.com/x.git');
      await page.click('[data-testid="repo-save"]');
      await page.waitForSelector('text=Remote must not hold credentials');
      await page.fill('[data-testid="repo-remote"]', `file://${remote}`);
      await page.fill('[data-testid="repo-author-email"]', 'bot@example.com');
      await page.click('[data-testid="repo-save"]');
      await page.waitForSelector('[data-testid="repo-row"][data-name="dashboards"]');
      await page.click(
        '[data-testid="repo-row"][data-name="dashboards"] [data-testid="repo-test"]',
      );
      await page.waitForSelector('[data-testid="repo-test-result"]:has-text("The remote answers")');
    });

    await step(
      'runs a commit from the repository page and sees it in the commit list',
      async () => {
        await page.click('[data-testid="repo-open"]:has-text("dashboards")');
        await page.waitForSelector('[data-testid="repo-title"]:has-text("dashboards")');
        await page.waitForSelector('[data-testid="repo-no-commits"]');
        await page.click('[data-testid="repo-commit"]');
        await page.waitForURL(/\/tasks\/new\?plugin=git/);
        await page.waitForSelector('select[data-testid="param-repositoryId"][data-loaded]');
        assert(
          (await page.inputValue('[data-testid="param-action"]')) === 'commit',
          'the action is not prefilled',
        );
        assert(
          (await page.$eval('[data-testid="param-repositoryId"]', (s) =>
            s.options[s.selectedIndex]?.textContent?.trim(),
          )) === 'dashboards',
          'the repository is not prefilled',
        );
        await page.waitForSelector('select[data-testid="param-environmentId"][data-loaded]');
        await page.selectOption('[data-testid="param-environmentId"]', { label: 'GitProd' });
        await page.click('[data-testid="run-submit"]');
        await page.waitForURL(/\/tasks\/[0-9a-f-]{36}/);
        await page.waitForSelector('[data-testid="task-status"]:has-text("SUCCESS")', {
          timeout: 60_000,
        });
        await page.goBack();
        await page.goBack();
        await page.waitForSelector('[data-testid="commit-row"]');
        const row = await page.textContent('[data-testid="commit-row"]');
        assert(
          row.includes('Update 1 dashboard from GitProd: Sales'),
          `the commit row shows: ${row}`,
        );
        assert(/\d+ files/.test(row), `no file count in: ${row}`);
        await page.screenshot({ path: join(img, 'git-repository.png') });
      },
    );
  } finally {
    await context.close();
    await fake.stop();
  }
}
