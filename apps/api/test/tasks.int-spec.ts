// Tasks over REST on the debug plugin: roles, validation, lifecycle, cancel, delete, listing.
import type { LogPage, Page, PluginInfo, Task } from '@taskdeck/contracts';
import { ApiClient, waitFor } from './utils/api-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

describe('tasks over REST', () => {
  let t: TestApp;
  let anon: ApiClient;
  let viewer: ApiClient;
  let operator: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp({ env: { TASK_CONCURRENCY: '2' } });
    anon = new ApiClient(t.url);
    viewer = anon.as(await t.tokenFor('viewer'));
    operator = anon.as(await t.tokenFor('operator'));
    admin = anon.as(await t.tokenFor('admin'));
  });
  afterAll(() => t.close());

  it('lists the debug plugin with a JSON Schema for its params', async () => {
    const res = await viewer.get<PluginInfo[]>('/api/plugins');
    expect(res.status).toBe(200);
    const debug = res.body.find((p) => p.id === 'debug');
    expect(debug).toMatchObject({
      id: 'debug',
      name: expect.any(String),
      description: expect.any(String),
    });
    expect(debug?.paramsSchema.type).toBe('object');
    expect(debug?.paramsSchema.properties?.action?.enum).toEqual(
      expect.arrayContaining(['emit', 'sleep', 'fail', 'system']),
    );
  });

  it('runs a task to SUCCESS with timestamps, progress 100 and its creator', async () => {
    const created = await operator.post<Task>('/api/tasks', {
      pluginId: 'debug',
      params: { action: 'emit', count: 10 },
    });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      pluginId: 'debug',
      status: 'PENDING',
      createdBy: 'operator-user',
    });
    const done = await waitForStatus(viewer, created.body.id, ['SUCCESS']);
    expect(done.progress).toBe(100);
    expect(done.error).toBeNull();
    expect(Date.parse(done.startedAt!)).toBeGreaterThanOrEqual(Date.parse(done.createdAt));
    expect(Date.parse(done.finishedAt!)).toBeGreaterThanOrEqual(Date.parse(done.startedAt!));
  });

  it('fails a task whose plugin throws, with the error stored and logged at ERROR with a stack', async () => {
    const task = await startTask(operator, 'debug', { action: 'fail', message: 'boom on purpose' });
    const done = await waitForStatus(viewer, task.id, ['FAILED']);
    expect(done.error).toContain('boom on purpose');
    const errors = await readAllLogs(viewer, task.id, 'level=ERROR');
    expect(errors.some((e) => e.message.includes('boom on purpose'))).toBe(true);
    expect(
      errors.some((e) => typeof (e.metadata as { stack?: string } | null)?.stack === 'string'),
    ).toBe(true);
    // Other tasks are unaffected.
    const ok = await startTask(operator, 'debug', { action: 'emit', count: 3 });
    await waitForStatus(viewer, ok.id, ['SUCCESS']);
  });

  it('cancels a running task; it ends CANCELLED', async () => {
    const task = await startTask(operator, 'debug', { action: 'sleep', ms: 60_000 });
    await waitForStatus(viewer, task.id, ['RUNNING']);
    const res = await operator.post<Task>(`/api/tasks/${task.id}/cancel`);
    expect([200, 201]).toContain(res.status);
    const done = await waitForStatus(viewer, task.id, ['CANCELLED'], 10_000);
    expect(done.finishedAt).not.toBeNull();
  });

  it('queues past the concurrency limit (FIFO) and cancels a PENDING task at once', async () => {
    const a = await startTask(operator, 'debug', { action: 'sleep', ms: 60_000 });
    const b = await startTask(operator, 'debug', { action: 'sleep', ms: 60_000 });
    const c = await startTask(operator, 'debug', { action: 'emit', count: 1 });
    await waitForStatus(viewer, a.id, ['RUNNING']);
    await waitForStatus(viewer, b.id, ['RUNNING']);
    expect((await viewer.get<Task>(`/api/tasks/${c.id}`)).body.status).toBe('PENDING');
    const cancelled = await operator.post<Task>(`/api/tasks/${c.id}/cancel`);
    expect(cancelled.body.status).toBe('CANCELLED');
    await operator.post(`/api/tasks/${a.id}/cancel`);
    await operator.post(`/api/tasks/${b.id}/cancel`);
    await waitForStatus(viewer, a.id, ['CANCELLED']);
    await waitForStatus(viewer, b.id, ['CANCELLED']);
    expect((await viewer.get<Task>(`/api/tasks/${c.id}`)).body.startedAt).toBeNull();
  });

  it('answers 409 when cancelling a finished task', async () => {
    const task = await startTask(operator, 'debug', { action: 'emit', count: 1 });
    await waitForStatus(viewer, task.id, ['SUCCESS']);
    expect((await operator.post(`/api/tasks/${task.id}/cancel`)).status).toBe(409);
  });

  it('rejects unknown plugins and params that fail the schema with 400 and a reason, creating nothing', async () => {
    const before = (await viewer.get<Page<Task>>('/api/tasks?limit=100')).body.items.length;
    const cases: unknown[] = [
      { pluginId: 'nope', params: {} },
      { pluginId: 'debug', params: { action: 'explode' } },
      { pluginId: 'debug', params: { action: 'emit', count: 0 } },
      { pluginId: 'debug', params: { action: 'emit', count: 1_000_001 } },
      { pluginId: 'debug', params: { action: 'emit', count: 'many' } },
      { pluginId: 'debug', params: 'emit' },
      { pluginId: 'debug', params: [1, 2] },
      { params: { action: 'emit' } },
      { pluginId: 'debug', params: { action: 'emit', count: 1 }, extra: 1 },
    ];
    for (const body of cases) {
      const res = await operator.post<{ message: string | string[] }>('/api/tasks', body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(String(res.body.message).length).toBeGreaterThan(3);
    }
    expect((await viewer.get<Page<Task>>('/api/tasks?limit=100')).body.items.length).toBe(before);
  });

  it('enforces roles: viewer reads, operator runs and cancels, admin deletes', async () => {
    const task = await startTask(operator, 'debug', { action: 'emit', count: 1 });
    await waitForStatus(viewer, task.id, ['SUCCESS']);
    const body = { pluginId: 'debug', params: { action: 'emit', count: 1 } };

    for (const path of [
      '/api/tasks',
      `/api/tasks/${task.id}`,
      '/api/plugins',
      `/api/tasks/${task.id}/logs`,
    ]) {
      expect((await anon.get(path)).status).toBe(401);
      expect((await viewer.get(path)).status).toBe(200);
    }
    expect((await anon.post('/api/tasks', body)).status).toBe(401);
    expect((await viewer.post('/api/tasks', body)).status).toBe(403);
    expect((await viewer.post(`/api/tasks/${task.id}/cancel`)).status).toBe(403);
    expect((await anon.post(`/api/tasks/${task.id}/cancel`)).status).toBe(401);
    for (const client of [viewer, operator]) {
      expect((await client.delete(`/api/tasks/${task.id}`)).status).toBe(403);
    }
    expect((await anon.delete(`/api/tasks/${task.id}`)).status).toBe(401);
    expect((await viewer.get(`/api/tasks/${task.id}`)).status).toBe(200);
  });

  it('deletes a task with its log (204), then answers 404', async () => {
    const task = await startTask(operator, 'debug', { action: 'emit', count: 50 });
    await waitForStatus(viewer, task.id, ['SUCCESS']);
    expect((await admin.delete(`/api/tasks/${task.id}`)).status).toBe(204);
    expect((await viewer.get(`/api/tasks/${task.id}`)).status).toBe(404);
    expect((await viewer.get(`/api/tasks/${task.id}/logs`)).status).toBe(404);
    const [{ n }] = await t.dataSource.query<{ n: string }[]>(
      'SELECT (SELECT count(*) FROM task_log_entries WHERE task_id = $1) + (SELECT count(*) FROM task_log_counters WHERE task_id = $1) AS n',
      [task.id],
    );
    expect(Number(n)).toBe(0);
    expect((await admin.delete(`/api/tasks/${task.id}`)).status).toBe(404);
  });

  it('deletes a running task: it is stopped and nothing of it remains', async () => {
    const task = await startTask(operator, 'debug', {
      action: 'emit',
      count: 1_000_000,
      intervalMs: 1,
    });
    await waitFor(async () => {
      const page = await viewer.get<LogPage>(`/api/tasks/${task.id}/logs?limit=1`);
      return page.body.items.length > 0 ? true : undefined;
    });
    expect((await admin.delete(`/api/tasks/${task.id}`)).status).toBe(204);
    await new Promise((r) => setTimeout(r, 300));
    const [{ n }] = await t.dataSource.query<{ n: string }[]>(
      'SELECT count(*) AS n FROM task_log_entries WHERE task_id = $1',
      [task.id],
    );
    expect(Number(n)).toBe(0);
  });

  it('answers 400 for malformed ids and 404 for unknown ones', async () => {
    expect((await viewer.get('/api/tasks/123')).status).toBe(400);
    expect((await operator.post('/api/tasks/123/cancel')).status).toBe(400);
    expect((await admin.delete('/api/tasks/123')).status).toBe(400);
    expect((await viewer.get(`/api/tasks/${UNKNOWN}`)).status).toBe(404);
    expect((await operator.post(`/api/tasks/${UNKNOWN}/cancel`)).status).toBe(404);
    expect((await admin.delete(`/api/tasks/${UNKNOWN}`)).status).toBe(404);
  });

  it('lists newest first with filters and a cursor, missing and repeating nothing', async () => {
    const mine: string[] = [];
    for (let i = 0; i < 7; i++) {
      mine.push((await startTask(operator, 'debug', { action: 'emit', count: 1 })).id);
    }
    for (const id of mine) await waitForStatus(viewer, id, ['SUCCESS']);

    const seen: Task[] = [];
    let cursor: string | null = null;
    do {
      const res: { status: number; body: Page<Task> } = await viewer.get<Page<Task>>(
        `/api/tasks?status=SUCCESS&pluginId=debug&limit=3${cursor ? `&cursor=${cursor}` : ''}`,
      );
      expect(res.status).toBe(200);
      seen.push(...res.body.items);
      cursor = res.body.nextCursor;
    } while (cursor);
    expect(new Set(seen.map((x) => x.id)).size).toBe(seen.length);
    expect(seen.every((x) => x.status === 'SUCCESS' && x.pluginId === 'debug')).toBe(true);
    const times = seen.map((x) => Date.parse(x.createdAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));
    expect(seen.map((x) => x.id)).toEqual(expect.arrayContaining(mine));

    for (const query of [
      'status=DONE',
      'limit=0',
      'limit=1000',
      'cursor=%%%',
      'cursor=bm90LWEtY3Vyc29y',
      'pluginId=%00',
      'pluginId=Debug%20plugin',
    ]) {
      expect({ query, status: (await viewer.get(`/api/tasks?${query}`)).status }).toEqual({
        query,
        status: 400,
      });
    }
  });
});
