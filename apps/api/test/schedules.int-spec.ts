// Named schedules through the admin API and the facility behind it: validation that changes
// nothing, the queue's schedule written with the row, and what one tick does (a task created by
// "schedule", a retried tick not run twice, a tick skipped with a WARNING while the previous run
// has not finished).
import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Task, TaskSchedule } from '@taskdeck/contracts';
import type { QueueJob } from '../src/queue/job-queue.service';
import {
  SCHEDULES_QUEUE,
  ScheduleTicks,
  type ScheduleTickData,
} from '../src/schedules/schedule-ticks.service';
import { ApiClient, waitFor } from './utils/api-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { waitForStatus } from './utils/tasks';

async function fileLog(dir: string): Promise<string> {
  let text = '';
  for (const name of (await readdir(dir)).sort()) text += await readFile(join(dir, name), 'utf8');
  return text;
}

/** A tick as the queue hands it over (only its id and data are read). */
function tick(schedule: string, id = randomUUID()): QueueJob<ScheduleTickData> {
  return { id, data: { schedule } } as QueueJob<ScheduleTickData>;
}

describe('schedules', () => {
  let t: TestApp;
  let admin: ApiClient;
  let logDir: string;

  beforeAll(async () => {
    logDir = await mkdtemp(join(tmpdir(), 'taskdeck-schedules-log-'));
    t = await startTestApp({ env: { LOG_FILE: join(logDir, 'server.log') } });
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
  });
  afterAll(() => t?.close());

  const queueSchedules = async (): Promise<{ key: string; cron: string }[]> =>
    t.dataSource.query(`SELECT key, cron FROM pgboss.schedule WHERE name = $1 ORDER BY key`, [
      SCHEDULES_QUEUE,
    ]);

  it('upserts, lists and removes a schedule, with the queue schedule written alongside', async () => {
    const put = await admin.request<TaskSchedule>('PUT', '/api/schedules/nightly.report', {
      cron: '30 2 * * *',
      timezone: 'Europe/Paris',
      pluginId: 'debug',
      params: { action: 'sleep', ms: 0 },
    });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      name: 'nightly.report',
      cron: '30 2 * * *',
      timezone: 'Europe/Paris',
      pluginId: 'debug',
      params: { action: 'sleep', ms: 0, sources: ['debug'] }, // the schema's defaults applied
      lastTaskId: null,
    });
    expect(Date.parse(put.body.nextRunAt!)).toBeGreaterThan(Date.now());
    expect(await queueSchedules()).toEqual([{ key: 'nightly.report', cron: '30 2 * * *' }]);

    const changed = await admin.request<TaskSchedule>('PUT', '/api/schedules/nightly.report', {
      cron: '0 3 * * 1',
      pluginId: 'debug',
      params: { action: 'system' },
    });
    expect(changed.body).toMatchObject({ cron: '0 3 * * 1', timezone: 'UTC' });
    expect(changed.body.createdAt).toBe(put.body.createdAt);
    expect(await queueSchedules()).toEqual([{ key: 'nightly.report', cron: '0 3 * * 1' }]);

    const viewer = new ApiClient(t.url, await t.tokenFor('viewer'));
    expect((await viewer.get<TaskSchedule[]>('/api/schedules')).body.map((s) => s.name)).toEqual([
      'nightly.report',
    ]);
    expect((await viewer.get('/api/schedules/nightly.report')).status).toBe(200);
    expect((await viewer.delete('/api/schedules/nightly.report')).status).toBe(403);
    const operator = new ApiClient(t.url, await t.tokenFor('operator'));
    const denied = await operator.request('PUT', '/api/schedules/other', {
      cron: '* * * * *',
      pluginId: 'debug',
    });
    expect(denied.status).toBe(403);

    expect((await admin.delete('/api/schedules/nightly.report')).status).toBe(204);
    expect((await admin.delete('/api/schedules/nightly.report')).status).toBe(404);
    expect((await admin.get('/api/schedules/nightly.report')).status).toBe(404);
    expect(await queueSchedules()).toEqual([]);
  });

  it('answers 400 with the reason for bad input and stores nothing', async () => {
    const valid = { cron: '*/5 * * * *', pluginId: 'debug', params: { action: 'sleep', ms: 0 } };
    const cases: [string, Record<string, unknown>, RegExp][] = [
      ['bad name!', valid, /schedule names/],
      ['-leading-dash', valid, /schedule names/],
      ['a/b', valid, /schedule names/],
      ['ok', { ...valid, cron: '*/5 * * * * *' }, /five fields/],
      ['ok', { ...valid, cron: 'on each day of week' }, /cannot be read/],
      ['ok', { ...valid, cron: '61 * * * *' }, /cannot be read/],
      ['ok', { ...valid, timezone: 'Mars/Olympus' }, /cannot be read/],
      ['ok', { ...valid, pluginId: 'nope' }, /unknown plugin/],
      ['ok', { ...valid, params: { action: 'explode' } }, /params\/action must be one of/],
      ['ok', { pluginId: 'debug' }, /cron must be a string/],
      ['ok', { ...valid, extra: 1 }, /property extra should not exist/],
    ];
    for (const [name, body, reason] of cases) {
      const res = await admin.request<{ message: string | string[] }>(
        'PUT',
        `/api/schedules/${encodeURIComponent(name)}`,
        body,
      );
      expect({ name, status: res.status }).toEqual({ name, status: 400 });
      expect([res.body.message].flat().join('; ')).toMatch(reason);
    }
    expect((await admin.get<TaskSchedule[]>('/api/schedules')).body).toEqual([]);
    expect(await queueSchedules()).toEqual([]);
  });

  it('makes one task per tick, runs a retried tick once, and skips a tick while the last run is unfinished', async () => {
    const created = await admin.request('PUT', '/api/schedules/sleeper', {
      cron: '0 0 1 1 *',
      pluginId: 'debug',
      params: { action: 'sleep', ms: 60_000 },
    });
    expect(created.status).toBe(200);
    const ticks = t.app.get(ScheduleTicks);
    const first = tick('sleeper');

    const task = await ticks.onTick(first);
    expect(task).not.toBeNull();
    const running = await waitForStatus(admin, task!.id, ['RUNNING']);
    expect(running.createdBy).toBe('schedule');
    expect(running.pluginId).toBe('debug');
    expect((await admin.get<TaskSchedule>('/api/schedules/sleeper')).body.lastTaskId).toBe(
      task!.id,
    );

    // The same tick handed over again (the queue retries a tick it thinks failed): nothing new.
    expect(await ticks.onTick(first)).toBeNull();
    // The next tick, while the first run still runs: skipped, and the server log says why.
    expect(await ticks.onTick(tick('sleeper'))).toBeNull();
    await waitFor(
      async () =>
        (await fileLog(logDir)).includes(
          `schedule \\"sleeper\\": the run due now is skipped, the previous one (task ${task!.id}) is still RUNNING`,
        )
          ? true
          : undefined,
      5000,
      'the WARNING about the skipped tick',
    );
    const page = await admin.get<{ items: Task[] }>('/api/tasks?limit=100');
    expect(page.body.items.filter((x) => x.createdBy === 'schedule')).toHaveLength(1);

    // Once the run has ended, the next tick runs again.
    expect((await admin.post(`/api/tasks/${task!.id}/cancel`)).status).toBe(200);
    await waitForStatus(admin, task!.id, ['CANCELLED']);
    const next = await ticks.onTick(tick('sleeper'));
    expect(next).not.toBeNull();
    expect(next!.id).not.toBe(task!.id);
    expect((await admin.post(`/api/tasks/${next!.id}/cancel`)).status).toBe(200);

    // A tick for a schedule removed meanwhile does nothing.
    expect((await admin.delete('/api/schedules/sleeper')).status).toBe(204);
    expect(await ticks.onTick(tick('sleeper'))).toBeNull();
  });
});
