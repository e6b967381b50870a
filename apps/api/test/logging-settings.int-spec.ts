// Logging settings at runtime (issue "Logging levels and runtime configuration"): roles, validation,
// audit, live effect on a running task, store-and-stream filtering, belief scopes, restarts.
import type { LoggingConfig } from '@taskdeck/contracts';
import { ApiClient, waitFor } from './utils/api-client';
import { collector } from './utils/socket-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { range, readAllLogs, startTask, waitForStatus } from './utils/tasks';

describe('logging settings', () => {
  let t: TestApp;
  let anon: ApiClient;
  let viewer: ApiClient;
  let operator: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    anon = new ApiClient(t.url);
    viewer = anon.as(await t.tokenFor('viewer'));
    operator = anon.as(await t.tokenFor('operator'));
    admin = anon.as(await t.tokenFor('admin'));
  });
  afterAll(() => t?.close());

  it('serves the defaults to any role, and nothing without a token', async () => {
    for (const client of [viewer, operator, admin]) {
      const res = await client.get<LoggingConfig>('/api/settings/logging');
      expect(res.status).toBe(200);
      expect(res.body).toEqual({ level: 'INFO', taskLogLevel: 'INFO', enableBeliefState: true });
    }
    expect((await anon.get('/api/settings/logging')).status).toBe(401);
  });

  it('lets only an admin change them: 401 / 403 otherwise, and nothing changes', async () => {
    expect((await anon.patch('/api/settings/logging', { level: 'DEBUG' })).status).toBe(401);
    expect((await viewer.patch('/api/settings/logging', { level: 'DEBUG' })).status).toBe(403);
    expect((await operator.patch('/api/settings/logging', { level: 'DEBUG' })).status).toBe(403);
    expect((await viewer.get<LoggingConfig>('/api/settings/logging')).body.level).toBe('INFO');
  });

  it('answers 400 for unknown levels, wrong types and unknown fields, changing nothing', async () => {
    const audits = async () =>
      (await t.dataSource.query<{ n: string }[]>('SELECT count(*) AS n FROM settings_audit'))[0].n;
    const auditsBefore = await audits();
    for (const body of [
      { level: 'VERBOSE' },
      { taskLogLevel: 'warning' },
      { taskLogLevel: 3 },
      { enableBeliefState: 'yes' },
      { colour: 'blue' },
      { level: 'DEBUG', taskLogLevel: 'NOPE' },
      // null is a wrong value, not "left out": it once killed the process ({level: null}) and
      // stored a null taskLogLevel that let DEBUG entries through.
      { level: null },
      { taskLogLevel: null },
      { enableBeliefState: null },
      { level: 'DEBUG', taskLogLevel: null },
      [],
      'INFO',
    ]) {
      const res = await admin.patch<{ message: string[] }>('/api/settings/logging', body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.message.length).toBeGreaterThan(0);
    }
    expect((await admin.get<LoggingConfig>('/api/settings/logging')).body).toEqual({
      level: 'INFO',
      taskLogLevel: 'INFO',
      enableBeliefState: true,
    });
    expect(await audits()).toBe(auditsBefore);
    expect((await anon.get('/api/health')).status).toBe(200);
  });

  it('applies an admin’s change, keeps the other fields, and audits who changed what', async () => {
    const res = await admin.patch<LoggingConfig>('/api/settings/logging', { level: 'WARNING' });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ level: 'WARNING', taskLogLevel: 'INFO', enableBeliefState: true });
    const [audit] = await t.dataSource.query<
      { changed_by: string; old_value: LoggingConfig; new_value: LoggingConfig }[]
    >(
      `SELECT changed_by, old_value, new_value FROM settings_audit WHERE key = 'logging' ORDER BY id DESC LIMIT 1`,
    );
    expect(audit.changed_by).toBe('admin');
    expect(audit.old_value.level).toBe('INFO');
    expect(audit.new_value.level).toBe('WARNING');
    await admin.patch('/api/settings/logging', { level: 'INFO' });
  });

  it('filters task entries at store and at stream by taskLogLevel; dropped entries take no seq', async () => {
    await admin.patch('/api/settings/logging', { taskLogLevel: 'ERROR' });
    try {
      const task = await startTask(operator, 'debug', {
        action: 'emit',
        count: 400,
        intervalMs: 1,
        sources: ['a'],
      });
      const client = await collector(t.url, await t.tokenFor('viewer'));
      try {
        expect((await client.subscribe({ taskId: task.id, afterSeq: 0 })).ok).toBe(true);
        await waitForStatus(operator, task.id, ['SUCCESS']);
        const stored = await readAllLogs(viewer, task.id);
        expect(stored.length).toBeGreaterThan(0);
        expect(stored.every((e) => e.level === 'ERROR')).toBe(true);
        expect(stored.filter((e) => e.source === 'a')).toHaveLength(100);
        expect(stored.map((e) => e.seq)).toEqual(range(1, stored.length));
        await waitFor(async () =>
          (client.entries.get(task.id)?.length ?? 0) >= stored.length ? true : undefined,
        );
        expect(client.entries.get(task.id)!.every((e) => e.level === 'ERROR')).toBe(true);
      } finally {
        client.close();
      }
    } finally {
      await admin.patch('/api/settings/logging', { taskLogLevel: 'INFO' });
    }
  });

  it('applies a change live to a running task, without a restart', async () => {
    await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' });
    const task = await startTask(operator, 'debug', {
      action: 'emit',
      count: 4000,
      intervalMs: 1,
      sources: ['live'],
    });
    await waitFor(async () => {
      const stats = await viewer.get<{ byLevel: { DEBUG: number } }>(
        `/api/tasks/${task.id}/logs/stats`,
      );
      return stats.body.byLevel.DEBUG > 50 ? true : undefined;
    });
    await admin.patch('/api/settings/logging', { taskLogLevel: 'WARNING' });
    const changedAt = Date.now();
    await waitForStatus(operator, task.id, ['SUCCESS'], 60_000);
    const stored = await readAllLogs(viewer, task.id);
    expect(stored.map((e) => e.seq)).toEqual(range(1, stored.length));
    const emitted = stored.filter((e) => e.source === 'live');
    expect(emitted.some((e) => e.level === 'DEBUG')).toBe(true);
    // Logged after the change (with a margin for the request itself): nothing below WARNING.
    const after = emitted.filter((e) => Date.parse(e.timestamp) > changedAt + 50);
    expect(after.length).toBeGreaterThan(100);
    expect(after.every((e) => e.level === 'WARNING' || e.level === 'ERROR')).toBe(true);
    await admin.patch('/api/settings/logging', { taskLogLevel: 'INFO' });
  });

  it('writes belief-scope lines at DEBUG under the plugin’s source, and none when switched off', async () => {
    await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG', enableBeliefState: true });
    const on = await startTask(operator, 'debug', { action: 'emit', count: 3, sources: ['x'] });
    await waitForStatus(operator, on.id, ['SUCCESS']);
    const lines = (await readAllLogs(viewer, on.id)).filter((e) =>
      /\] (Entry|Exit|Coherence)/.test(e.message),
    );
    expect(lines.map((e) => e.message)).toEqual(
      expect.arrayContaining([
        '[debug.emit] Entry',
        '[debug.emit] Exit',
        '[debug.emit] Coherence OK',
      ]),
    );
    expect(lines.every((e) => e.level === 'DEBUG' && e.source === 'debug')).toBe(true);
    expect(lines.find((e) => e.message.endsWith('Exit'))?.metadata).toEqual({
      durationMs: expect.any(Number),
    });

    const failing = await startTask(operator, 'debug', { action: 'fail', message: 'on purpose' });
    await waitForStatus(operator, failing.id, ['FAILED']);
    const failedLines = await readAllLogs(viewer, failing.id, 'level=DEBUG&search=Coherence');
    expect(failedLines.some((e) => e.message.includes('Coherence failed: Error: on purpose'))).toBe(
      true,
    );

    await admin.patch('/api/settings/logging', { enableBeliefState: false });
    const off = await startTask(operator, 'debug', { action: 'emit', count: 3, sources: ['x'] });
    await waitForStatus(operator, off.id, ['SUCCESS']);
    expect(
      (await readAllLogs(viewer, off.id)).filter((e) =>
        /\] (Entry|Exit|Coherence)/.test(e.message),
      ),
    ).toEqual([]);
    await admin.patch('/api/settings/logging', { taskLogLevel: 'INFO', enableBeliefState: true });
  });

  it('keeps the settings across a restart', async () => {
    await admin.patch('/api/settings/logging', {
      level: 'ERROR',
      taskLogLevel: 'WARNING',
      enableBeliefState: false,
    });
    const databaseUrl = t.databaseUrl;
    await t.close();
    t = await startTestApp({ databaseUrl });
    const fresh = new ApiClient(t.url, await t.tokenFor('viewer'));
    expect((await fresh.get<LoggingConfig>('/api/settings/logging')).body).toEqual({
      level: 'ERROR',
      taskLogLevel: 'WARNING',
      enableBeliefState: false,
    });
  });
});
