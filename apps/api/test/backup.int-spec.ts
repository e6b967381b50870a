// The backup and storage plugins through the real app against fake Supersets: 250 dashboards with
// 3 failing exports make one importable ZIP (one root folder, shared files once), cancel leaves
// nothing behind, `keep` and the storage plugin's prune and verify, and restores (same environment
// and another, with a database password that never shows in params or logs).
import { mkdir, readdir, readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type {
  BackupDatabase,
  BackupResult,
  Environment,
  RestoreResult,
  StoredFile,
  Task,
} from '@taskdeck/contracts';
import { unzipSync } from 'fflate';
import { parse } from 'yaml';
import { StorageService } from '../src/storage/storage.service';
import { importDashboards } from './fakes/superset/fake-import';
import { FakeSuperset, FAKE_ADMIN } from './fakes/superset';
import { ApiClient } from './utils/api-client';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { startTestApp, type TestApp } from './utils/test-app';

describe('backup and storage plugins', () => {
  let t: TestApp;
  let prod: FakeSuperset;
  let other: FakeSuperset;
  let admin: ApiClient;
  let operator: ApiClient;
  let prodEnv: Environment;
  let otherEnv: Environment;
  let storageRoot: string;
  const failing = new Set<number>();

  beforeAll(async () => {
    // gunicorn's request-line limit, so that an export of every id at once would fail.
    prod = await FakeSuperset.start({ maxRequestLine: 4094 });
    other = await FakeSuperset.start({ maxRequestLine: 4094 });
    const db = prod.store.addDatabase({ database_name: 'warehouse' });
    const datasets = [0, 1, 2].map((i) =>
      prod.store.addDataset({ database_id: db.id, table_name: `table_${i}` }),
    );
    // Charts shared by many dashboards: their files are the same in every chunk.
    const shared = datasets.map((ds, i) =>
      prod.store.addChart({ datasource_id: ds.id, slice_name: `Shared ${i}` }),
    );
    for (let i = 0; i < 250; i++) {
      const own = prod.store.addChart({
        datasource_id: datasets[i % 3].id,
        slice_name: `Chart ${i}`,
      });
      prod.store.addDashboard({
        dashboard_title: `Dashboard ${i}`,
        chart_ids: [own.id, shared[i % 3].id],
      });
    }
    const ids = [...prod.store.dashboards.keys()];
    for (const index of [7, 120, 121]) failing.add(ids[index]);
    for (const id of failing) prod.exportFailures.add(id);

    t = await startTestApp();
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' });
    const add = async (name: string, fake: FakeSuperset) =>
      (
        await admin.post<Environment>('/api/environments', {
          name,
          url: fake.url,
          username: FAKE_ADMIN.username,
          password: FAKE_ADMIN.password,
        })
      ).body;
    prodEnv = await add('prod', prod);
    otherEnv = await add('other', other);
    storageRoot = join(process.env.DATA_DIR!, 'storage');
  });
  afterAll(async () => {
    await t?.close();
    await prod?.stop();
    await other?.stop();
  });

  async function run(pluginId: string, params: Record<string, unknown>): Promise<Task> {
    const task = await startTask(operator, pluginId, params);
    return waitForStatus(operator, task.id, ['SUCCESS', 'FAILED', 'CANCELLED'], 120_000);
  }

  const backupsOf = async (env: string) =>
    (
      await operator.get<StoredFile[]>(
        `/api/storage/files?category=backups&prefix=${encodeURIComponent(`backups/${env}/`)}`,
      )
    ).body;

  it('backs up 250 dashboards with 3 failing exports into one importable ZIP', async () => {
    prod.resetStats();
    const task = await run('backup', { environmentId: prodEnv.id });
    expect(task.status).toBe('SUCCESS');
    expect(task.progress).toBe(100);
    const result = task.result as BackupResult;
    expect(result.dashboards).toBe(247);
    expect(result.failed.map((f) => f.id)).toEqual([...failing].sort((a, b) => a - b));
    expect(result.failed[0]).toEqual({
      id: [...failing][0],
      title: 'Dashboard 7',
      error: expect.stringContaining('answered 500'),
    });
    expect(result.files).toHaveLength(1);
    const [file] = result.files;
    expect(file.path).toMatch(/^backups\/prod\/prod-\d{4}-\d\d-\d\dT\d\d-\d\d-\d\dZ\.zip$/);
    expect(file.dashboards).toBe(247);
    expect(await backupsOf('prod')).toEqual([expect.objectContaining({ path: file.path })]);

    // Chunks of 50, never one long request line; the failing chunks were split.
    const exports = prod.requests.filter((r) => r.path === '/api/v1/dashboard/export/');
    expect(exports.every((r) => (r.q as number[]).length <= 50)).toBe(true);
    expect(exports.filter((r) => r.status === 200).length).toBeGreaterThan(5);

    const zip = new Uint8Array(await readFile(join(storageRoot, file.path)));
    expect(zip.length).toBe(file.size);
    const entries = unzipSync(zip);
    const names = Object.keys(entries);
    const roots = new Set(names.map((n) => n.split('/')[0]));
    expect(roots.size).toBe(1);
    const [root] = roots;
    expect(root).toMatch(/^dashboard_export_\d{8}T\d{6}$/);
    expect(names).toContain(`${root}/metadata.yaml`);
    expect(parse(new TextDecoder().decode(entries[`${root}/metadata.yaml`]))).toMatchObject({
      version: '1.0.0',
      type: 'Dashboard',
    });
    expect(names.filter((n) => n.includes('/dashboards/'))).toHaveLength(247);
    expect(names.filter((n) => n.includes('/databases/'))).toEqual([
      `${root}/databases/warehouse.yaml`,
    ]);
    expect(names.filter((n) => /Shared_\d/.test(n))).toHaveLength(3);
    expect(new Set(names).size).toBe(names.length);

    // It imports as it is (the fake's import is Superset's).
    const target = await FakeSuperset.start();
    try {
      importDashboards(target.store, zip, { 'databases/warehouse.yaml': 'pw' }, false);
      expect(target.store.dashboards.size).toBe(247);
    } finally {
      await target.stop();
    }

    const logs = await readAllLogs(operator, task.id);
    const warnings = logs.filter((e) => e.level === 'WARNING' && e.source === 'superset_api');
    expect(warnings.map((w) => w.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(new RegExp(`dashboard ${[...failing][0]} "Dashboard 7" could not`)),
      ]),
    );
    expect(warnings.filter((w) => /could not be exported/.test(w.message))).toHaveLength(3);
    expect(
      logs.some(
        (e) => e.source === 'storage' && e.level === 'INFO' && /backed up 247/.test(e.message),
      ),
    ).toBe(true);
    expect(
      logs.some(
        (e) => e.source === 'storage' && e.level === 'DEBUG' && e.message.includes(file.path),
      ),
    ).toBe(true);
    expect(logs.some((e) => e.source === 'superset_api' && e.level === 'DEBUG')).toBe(true);
  });

  it('cancel stops between chunks and leaves nothing behind', async () => {
    const before = await backupsOf('prod');
    prod.latencyMs = 150;
    try {
      const task = await startTask(operator, 'backup', {
        environmentId: prodEnv.id,
        chunkSize: 5,
      });
      await waitForStatus(operator, task.id, ['RUNNING']);
      await new Promise((r) => setTimeout(r, 1200));
      expect((await operator.post(`/api/tasks/${task.id}/cancel`)).status).toBe(200);
      const done = await waitForStatus(operator, task.id, ['CANCELLED', 'SUCCESS', 'FAILED']);
      expect(done.status).toBe('CANCELLED');
    } finally {
      prod.latencyMs = 0;
    }
    expect(await backupsOf('prod')).toEqual(before);
    expect((await readdir(join(storageRoot, 'backups', 'prod'))).sort()).toEqual(
      before.map((f) => f.name).sort(),
    );
  });

  it('fails when nothing could be exported, and writes nothing', async () => {
    const ids = [...failing];
    const task = await run('backup', { environmentId: prodEnv.id, dashboardIds: ids });
    expect(task.status).toBe('FAILED');
    expect(task.error).toContain('no dashboard of "prod" could be exported');
    expect(await readdir(join(storageRoot, 'backups', 'prod'))).toHaveLength(1);
  });

  it('keep prunes older backups of that environment after a success', async () => {
    const ids = [...prod.store.dashboards.keys()].filter((id) => !failing.has(id)).slice(0, 3);
    await new Promise((r) => setTimeout(r, 1100)); // another second: another file name
    const second = await run('backup', { environmentId: prodEnv.id, dashboardIds: ids });
    expect(second.status).toBe('SUCCESS');
    expect(await backupsOf('prod')).toHaveLength(2);
    await new Promise((r) => setTimeout(r, 1100));
    const third = await run('backup', { environmentId: prodEnv.id, dashboardIds: ids, keep: 1 });
    const result = third.result as BackupResult;
    expect(result.pruned).toHaveLength(2);
    expect((await backupsOf('prod')).map((f) => f.path)).toEqual([result.files[0].path]);
  });

  it('storage usage, prune (dry run and real) and verify', async () => {
    const [kept] = await backupsOf('prod');
    await t.app
      .get(StorageService)
      .writeAtomic(
        'backups/prod/prod-2020-01-01T00-00-00Z.zip',
        await readFile(join(storageRoot, kept.path)),
      );
    await mkdir(join(storageRoot, 'backups', 'other'), { recursive: true });
    await writeFile(join(storageRoot, 'backups', 'other', 'broken.zip'), 'not a zip');

    // A file's age is its modification time: make this one old.
    const old = new Date('2020-01-01T00:00:00Z');
    await utimes(join(storageRoot, 'backups/prod/prod-2020-01-01T00-00-00Z.zip'), old, old);

    const usage = await run('storage', { action: 'usage' });
    expect(usage.status).toBe('SUCCESS');
    expect(usage.result).toMatchObject({
      action: 'usage',
      files: 3,
      byEnvironment: { prod: { files: 2 }, other: { files: 1, bytes: 9 } },
    });

    const verify = await run('storage', { action: 'verify' });
    expect(verify.result).toMatchObject({
      action: 'verify',
      checked: 3,
      ok: 2,
      broken: [{ path: 'backups/other/broken.zip', error: expect.any(String) }],
    });
    const verifyLogs = await readAllLogs(operator, verify.id);
    expect(
      verifyLogs
        .filter((e) => e.level === 'WARNING' && e.source === 'storage')
        .map((e) => e.message),
    ).toEqual([expect.stringContaining('backups/other/broken.zip is broken')]);
    expect(verifyLogs.some((e) => e.source === 'filesystem' && e.level === 'DEBUG')).toBe(true);

    const dry = await run('storage', { action: 'prune', olderThanDays: 30, dryRun: true });
    expect(dry.result).toMatchObject({
      dryRun: true,
      deleted: [expect.objectContaining({ path: 'backups/prod/prod-2020-01-01T00-00-00Z.zip' })],
    });
    expect(await backupsOf('prod')).toHaveLength(2);
    const pruned = await run('storage', { action: 'prune', olderThanDays: 30 });
    expect(pruned.result).toMatchObject({ dryRun: false, kept: 2 });
    expect((await backupsOf('prod')).map((f) => f.path)).toEqual([kept.path]);
    const pruneLogs = await readAllLogs(operator, pruned.id);
    expect(
      pruneLogs.some(
        (e) =>
          e.source === 'filesystem' &&
          e.level === 'DEBUG' &&
          e.message.startsWith('deleted backups/prod/prod-2020'),
      ),
    ).toBe(true);

    const bad = await operator.post('/api/tasks', {
      pluginId: 'storage',
      params: { action: 'prune' },
    });
    expect(bad.status).toBe(400);
  });

  it('restores into the same environment and into another with the database password', async () => {
    const [backup] = await backupsOf('prod');
    const restoreIds = [...prod.store.dashboards.values()]
      .filter((d) => !failing.has(d.id))
      .slice(0, 1);
    const gone = restoreIds[0];
    prod.store.dashboards.delete(gone.id);

    const same = await run('backup', {
      action: 'restore',
      environmentId: prodEnv.id,
      path: backup.path,
      overwrite: true,
    });
    expect(same.status).toBe('SUCCESS');
    expect((same.result as RestoreResult).restored).toBe(backup.path);
    expect([...prod.store.dashboards.values()].some((d) => d.uuid === gone.uuid)).toBe(true);

    // The other Superset lacks the database: the form asks for its password.
    const dbs = await operator.get<BackupDatabase[]>(
      `/api/backups/databases?path=${encodeURIComponent(backup.path)}&environmentId=${otherEnv.id}`,
    );
    expect(dbs.status).toBe(200);
    expect(dbs.body).toEqual([
      {
        uuid: expect.any(String),
        name: 'warehouse',
        file: 'databases/warehouse.yaml',
        onTarget: false,
        needsPassword: true,
      },
    ]);
    const lacking = await run('backup', {
      action: 'restore',
      environmentId: otherEnv.id,
      path: backup.path,
    });
    expect(lacking.status).toBe('FAILED');
    expect(lacking.error).toContain('lacks database(s) "warehouse"');
    expect(other.store.dashboards.size).toBe(0);

    const secret = 'warehouse-db-password-71c2';
    const restored = await run('backup', {
      action: 'restore',
      environmentId: otherEnv.id,
      path: backup.path,
      passwords: { [dbs.body[0].uuid]: secret },
    });
    expect(restored.status).toBe('SUCCESS');
    expect(other.store.dashboards.size).toBe((restored.result as RestoreResult).dashboards);
    expect([...other.store.databases.values()][0].password).toBe(secret);
    expect(JSON.stringify(restored.params)).not.toContain(secret);
    expect(JSON.stringify(await readAllLogs(operator, restored.id))).not.toContain(secret);

    for (const path of ['../x.zip', 'backups/../../etc/passwd']) {
      const res = await operator.post('/api/tasks', {
        pluginId: 'backup',
        params: { action: 'restore', environmentId: otherEnv.id, path },
      });
      if (res.status === 201) {
        const failed = await waitForStatus(operator, (res.body as Task).id, ['FAILED']);
        expect(failed.error).toContain('invalid storage path');
      } else {
        expect(res.status).toBe(400);
      }
    }
    expect(
      (
        await operator.get(
          `/api/backups/databases?path=${encodeURIComponent('../x.zip')}&environmentId=${otherEnv.id}`,
        )
      ).status,
    ).toBe(400);
  });
});
