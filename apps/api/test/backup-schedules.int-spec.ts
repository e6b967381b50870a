// Backup schedules: the API (roles, bad cron, enable/disable, delete) and, on two app instances on
// one database sharing one storage folder, a scheduled backup that starts exactly once per tick,
// created by "schedule", whose file then shows as the environment's last backup.
import { randomBytes } from 'node:crypto';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type {
  BackupSchedule,
  Environment,
  EnvironmentBackupStatus,
  Task,
  TaskSchedule,
} from '@taskdeck/contracts';
import { FakeSuperset, FAKE_ADMIN } from './fakes/superset';
import { ApiClient, waitFor } from './utils/api-client';
import { awayFromMinuteEnd } from './utils/minute';
import { allTasks, waitForStatus } from './utils/tasks';
import { startTwoInstances, type TwoInstances } from './utils/two-instances';

const MINUTE = 60_000;

describe('backup schedules on two instances', () => {
  let fake: FakeSuperset;
  let two: TwoInstances;
  let admin: ApiClient;
  let viewer: ApiClient;
  let env: Environment;

  beforeAll(async () => {
    fake = await FakeSuperset.start();
    fake.store.seed({ databases: 1, datasets: 2, charts: 4, dashboards: 3 });
    const storage = await mkdtemp(join(tmpdir(), 'taskdeck-shared-storage-'));
    // One storage folder and one secrets key for both, as a deployment shares them.
    two = await startTwoInstances({
      STORAGE_DIR: storage,
      SECRETS_KEY: randomBytes(32).toString('hex'),
    });
    admin = new ApiClient(two.a.url, await two.a.tokenFor('admin'));
    viewer = new ApiClient(two.a.url, await two.a.tokenFor('viewer'));
    env = (
      await admin.post<Environment>('/api/environments', {
        name: 'prod',
        url: fake.url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
      })
    ).body;
  });
  afterAll(async () => {
    await two?.close();
    await fake?.stop();
  });

  const path = () => `/api/environments/${env.id}/backup-schedule`;

  it('validates, enables, disables and deletes a schedule', async () => {
    expect((await viewer.get<EnvironmentBackupStatus>(path())).body).toEqual({
      environmentId: env.id,
      schedule: null,
      lastBackup: null,
    });
    expect((await viewer.request('PUT', path(), { cron: '0 3 * * *' })).status).toBe(403);
    for (const cron of ['0 3 * *', '61 3 * * *', 'every day at 3', '* * * * * *']) {
      const bad = await admin.request<{ message: string }>('PUT', path(), { cron });
      expect([cron, bad.status]).toEqual([cron, 400]);
    }
    expect((await admin.request('PUT', path(), { cron: '0 3 * * *', keep: 0 })).status).toBe(400);
    expect(
      (
        await admin.request('PUT', `/api/environments/${crypto.randomUUID()}/backup-schedule`, {
          cron: '0 3 * * *',
        })
      ).status,
    ).toBe(404);
    expect((await admin.get<TaskSchedule[]>('/api/schedules')).body).toEqual([]);

    const on = await admin.request<BackupSchedule>('PUT', path(), { cron: '0 3 * * *', keep: 3 });
    expect(on.status).toBe(200);
    expect(on.body).toMatchObject({ cron: '0 3 * * *', keep: 3, enabled: true });
    expect(on.body.nextRunAt).toMatch(/T03:00:00\.000Z$/);
    const [schedule] = (await admin.get<TaskSchedule[]>('/api/schedules')).body;
    expect(schedule).toMatchObject({
      name: `backup.${env.id}`,
      pluginId: 'backup',
      params: { environmentId: env.id, keep: 3 },
    });

    const off = await admin.request<BackupSchedule>('PUT', path(), {
      cron: '0 4 * * *',
      enabled: false,
    });
    expect(off.body).toMatchObject({ cron: '0 4 * * *', keep: 3, enabled: false, nextRunAt: null });
    expect((await admin.get<TaskSchedule[]>('/api/schedules')).body).toEqual([]);
    expect((await viewer.get<EnvironmentBackupStatus[]>('/api/backup-schedules')).body).toEqual([
      { environmentId: env.id, schedule: off.body, lastBackup: null },
    ]);
    expect((await admin.delete(path())).status).toBe(204);
    expect((await admin.delete(path())).status).toBe(404);
  });

  it('deleting an environment stops its schedule at once', async () => {
    const doomed = (
      await admin.post<Environment>('/api/environments', {
        name: 'doomed',
        url: fake.url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
      })
    ).body;
    const schedulePath = `/api/environments/${doomed.id}/backup-schedule`;
    expect((await admin.request('PUT', schedulePath, { cron: '0 3 * * *' })).status).toBe(200);
    const names = async () =>
      (await admin.get<TaskSchedule[]>('/api/schedules')).body.map((s) => s.name);
    expect(await names()).toContain(`backup.${doomed.id}`);

    expect((await admin.delete(`/api/environments/${doomed.id}`)).status).toBe(204);
    // No listing of /api/backup-schedules in between: the delete itself removes it.
    await waitFor(
      async () => ((await names()).includes(`backup.${doomed.id}`) ? undefined : true),
      10_000,
      "the deleted environment's schedule to go",
    );
  });

  it('a scheduled backup starts exactly once per tick across both instances', async () => {
    await awayFromMinuteEnd();
    const set = await admin.request<BackupSchedule>('PUT', path(), { cron: '* * * * *', keep: 5 });
    expect(set.status).toBe(200);
    const setUpAt = Date.now();
    const firstWhole = Math.floor(setUpAt / MINUTE) * MINUTE + MINUTE;
    // A tick's task is created within seconds of its minute; wait out the whole first minute.
    const closedBy = firstWhole + MINUTE;
    await waitFor(async () => (Date.now() >= closedBy ? true : undefined), 3 * MINUTE, 'ticks');
    await admin.request('PUT', path(), { cron: '* * * * *', enabled: false });

    const scheduled = (await allTasks(admin)).filter(
      (t) => t.createdBy === 'schedule' && t.pluginId === 'backup',
    );
    const inFirstWhole = scheduled.filter((t) => {
      const at = Date.parse(t.createdAt);
      return at >= firstWhole && at < firstWhole + MINUTE;
    });
    expect(inFirstWhole).toHaveLength(1);
    const perMinute = new Map<number, Task[]>();
    for (const task of scheduled) {
      const minute = Math.floor(Date.parse(task.createdAt) / MINUTE);
      perMinute.set(minute, [...(perMinute.get(minute) ?? []), task]);
    }
    for (const list of perMinute.values()) expect(list).toHaveLength(1);
    const done = await waitForStatus(admin, inFirstWhole[0].id, ['SUCCESS', 'FAILED']);
    expect([done.status, done.error]).toEqual(['SUCCESS', null]);

    const status = (await viewer.get<EnvironmentBackupStatus>(path())).body;
    expect(status.lastBackup?.path).toMatch(/^backups\/prod\/prod-.*\.zip$/);
    expect(status.schedule).toMatchObject({ enabled: false, keep: 5 });
    // The file is in the shared storage, so both instances list it.
    const fromB = new ApiClient(two.b.url, await two.b.tokenFor('viewer'));
    expect((await fromB.get<EnvironmentBackupStatus>(path())).body.lastBackup?.path).toBe(
      status.lastBackup?.path,
    );
  }, 240_000); // up to 25 s to leave a minute's end, then two minutes of ticks
});
