// Browser tests of backups and storage: "Back up now" and the schedule editor on the Environments
// page, the Storage page (usage, filters, download, delete), and "Restore to…" into the same
// environment and into another that lacks the backup's database (its password asked in the form).
// run.mjs calls storageSteps() with its browser, server and step helpers.
import { join } from 'node:path';
import { tsImport } from 'tsx/esm/api';
import { ROOT } from './server.mjs';

async function taskOfPage(page, server, token) {
  await page.waitForURL(/\/tasks\/[0-9a-f-]{36}/);
  const id = new URL(page.url()).pathname.split('/').pop();
  let task;
  for (let i = 0; i < 300; i++) {
    task = await server.api('GET', `/api/tasks/${id}`, undefined, token);
    if (['SUCCESS', 'FAILED', 'CANCELLED'].includes(task.status)) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (task.status !== 'SUCCESS') throw new Error(`task ${task.status}: ${task.error}`);
  await page.waitForSelector('[data-testid="task-status"]:has-text("SUCCESS")');
  return task;
}

export async function storageSteps({ browser, server, step, assert, login, admin, img }) {
  const { FakeSuperset, FAKE_ADMIN } = await tsImport(
    join(ROOT, 'apps/api/test/fakes/superset/index.ts'),
    import.meta.url,
  );
  const gamma = await FakeSuperset.start();
  gamma.store.seed({ databases: 1, datasets: 2, charts: 4, dashboards: 3 });
  const delta = await FakeSuperset.start();
  const token = await server.token(admin.username, admin.password);
  const envs = {};
  for (const [name, fake] of [
    ['Gamma', gamma],
    ['Delta', delta],
  ]) {
    envs[name] = await server.api(
      'POST',
      '/api/environments',
      { name, url: fake.url, username: FAKE_ADMIN.username, password: FAKE_ADMIN.password },
      token,
    );
  }
  const context = await browser.newContext({
    viewport: { width: 1400, height: 900 },
    acceptDownloads: true,
  });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  const row = (name) => `[data-testid="env-row"][data-name="${name}"]`;
  let backupPath;
  try {
    await login(page, server.url, admin.username, admin.password);

    await step(
      'Back up now on the Environments page makes a backup, shown as the last one',
      async () => {
        await page.click('[data-testid="nav-environments"]');
        await page.waitForSelector(
          `${row('Gamma')} [data-testid="env-next-backup"]:has-text("not scheduled")`,
        );
        await page.click(`${row('Gamma')} [data-testid="env-backup-now"]`);
        const task = await taskOfPage(page, server, token);
        assert(
          task.pluginId === 'backup' && task.result.dashboards === 3,
          JSON.stringify(task.result),
        );
        backupPath = task.result.files[0].path;
        assert(/^backups\/Gamma\/Gamma-.*\.zip$/.test(backupPath), backupPath);
        await page.click('[data-testid="nav-environments"]');
        const last = await page.waitForSelector(
          `${row('Gamma')} [data-testid="env-last-backup"] span[title="${backupPath}"]`,
        );
        assert(/^\d{4}-\d\d-\d\d \d\d:\d\d$/.test((await last.textContent()).trim()), 'no date');
      },
    );

    await step('an admin schedules backups; a bad cron is refused', async () => {
      await page.click(`${row('Gamma')} [data-testid="env-schedule"]`);
      await page.fill('[data-testid="schedule-cron"]', 'every night');
      await page.click('[data-testid="schedule-save"]');
      await page.waitForSelector('[data-testid="backup-error"]:has-text("cron")');
      await page.fill('[data-testid="schedule-cron"]', '30 2 * * *');
      await page.fill('[data-testid="schedule-keep"]', '5');
      await page.click('[data-testid="schedule-save"]');
      await page.waitForSelector('[data-testid="schedule-form"]', { state: 'detached' });
      const next = await page.waitForSelector(
        `${row('Gamma')} [data-testid="env-next-backup"] span[title="30 2 * * * (UTC), keep 5"]`,
      );
      assert(/\d{4}-\d\d-\d\d/.test(await next.textContent()), 'no next run shown');
      await page.screenshot({ path: join(img, 'environments-backups.png') });
    });

    await step(
      'the Storage page shows usage and the backup, filters and downloads it',
      async () => {
        await page.click('[data-testid="nav-storage"]');
        await page.waitForSelector(`[data-testid="file-row"][data-path="${backupPath}"]`);
        const usage = await page.textContent('[data-testid="storage-usage"]');
        // Other steps store git work trees and screenshots too: the backups category holds the one.
        assert(/backups [^·]*· 1 file\(s\)/.test(usage), `usage: ${usage}`);
        await page.selectOption('[data-testid="storage-environment"]', 'Gamma');
        await page.selectOption('[data-testid="storage-category"]', 'screenshots');
        await page.waitForSelector('[data-testid="file-row"]', { state: 'detached' });
        await page.selectOption('[data-testid="storage-category"]', 'backups');
        await page.waitForSelector(`[data-testid="file-row"][data-path="${backupPath}"]`);
        const [download] = await Promise.all([
          page.waitForEvent('download'),
          page.click(
            `[data-testid="file-row"][data-path="${backupPath}"] [data-testid="file-download"]`,
          ),
        ]);
        assert(
          download.suggestedFilename() === backupPath.split('/').pop(),
          download.suggestedFilename(),
        );
        await page.screenshot({ path: join(img, 'storage.png') });
      },
    );

    await step('Restore to… the same environment brings a deleted dashboard back', async () => {
      const [first] = [...gamma.store.dashboards.values()];
      gamma.store.dashboards.delete(first.id);
      await page.click(
        `[data-testid="file-row"][data-path="${backupPath}"] [data-testid="file-restore"]`,
      );
      await page.waitForSelector('[data-testid="restore-panel"]');
      await page.selectOption('[data-testid="restore-environment"]', { label: 'Gamma' });
      await page.waitForSelector('[data-testid="restore-databases-ok"]');
      await page.check('[data-testid="restore-overwrite"]');
      await page.click('[data-testid="restore-start"]');
      const task = await taskOfPage(page, server, token);
      assert(task.params.action === 'restore' && task.params.overwrite === true, 'params');
      assert(
        [...gamma.store.dashboards.values()].some((d) => d.uuid === first.uuid),
        'the dashboard is not back',
      );
    });

    await step('Restore to… another environment asks the missing database password', async () => {
      await page.click('[data-testid="nav-storage"]');
      await page.click(
        `[data-testid="file-row"][data-path="${backupPath}"] [data-testid="file-restore"]`,
      );
      await page.selectOption('[data-testid="restore-environment"]', { label: 'Delta' });
      await page.waitForSelector('[data-testid="restore-password"]');
      assert(await page.isDisabled('[data-testid="restore-start"]'), 'restore allowed without it');
      await page.fill('[data-testid="restore-password"]', 'delta-db-secret-e2e');
      await page.click('[data-testid="restore-start"]');
      const task = await taskOfPage(page, server, token);
      assert(!JSON.stringify(task.params).includes('delta-db-secret-e2e'), 'password in params');
      assert(delta.store.dashboards.size === 3, `${delta.store.dashboards.size} dashboards`);
      assert(
        [...delta.store.databases.values()][0].password === 'delta-db-secret-e2e',
        'the password did not reach the import',
      );
    });

    await step(
      'a viewer downloads but neither deletes nor restores; an admin deletes',
      async () => {
        const viewerContext = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        try {
          const viewer = await viewerContext.newPage();
          await login(viewer, server.url, 'viewer', 'viewer-password');
          await viewer.click('[data-testid="nav-storage"]');
          await viewer.waitForSelector('[data-testid="file-download"]');
          for (const testId of ['file-delete', 'file-restore']) {
            assert(
              (await viewer.$(`[data-testid="${testId}"]`)) === null,
              `${testId} for a viewer`,
            );
          }
        } finally {
          await viewerContext.close();
        }
        await page.click('[data-testid="nav-storage"]');
        const file = `[data-testid="file-row"][data-path="${backupPath}"]`;
        await page.click(`${file} [data-testid="file-delete"]`);
        await page.click(`${file} [data-testid="file-delete-confirm"]`);
        await page.waitForSelector(file, { state: 'detached' });
      },
    );
  } finally {
    await context.close();
    await gamma.stop();
    await delta.stop();
  }
}
