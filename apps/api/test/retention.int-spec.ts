// TaskCleanupService: finished tasks past TASK_RETENTION_DAYS go with their logs; recent ones and
// unfinished ones stay.
import { TaskCleanupService } from '../src/task-manager/task-cleanup.service';
import { ApiClient } from './utils/api-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { startTask, waitForStatus } from './utils/tasks';

describe('retention', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await startTestApp({ env: { TASK_RETENTION_DAYS: '7' } });
  });
  afterAll(() => t?.close());

  it('deletes finished tasks older than the retention with their logs, and nothing else', async () => {
    const operator = new ApiClient(t.url, await t.tokenFor('operator'));
    const old = await startTask(operator, 'debug', { action: 'emit', count: 20 });
    const recent = await startTask(operator, 'debug', { action: 'emit', count: 20 });
    await waitForStatus(operator, old.id, ['SUCCESS']);
    await waitForStatus(operator, recent.id, ['SUCCESS']);
    const running = await startTask(operator, 'debug', { action: 'sleep', ms: 60_000 });
    await waitForStatus(operator, running.id, ['RUNNING']);
    await t.dataSource.query(
      `UPDATE tasks SET finished_at = now() - interval '8 days' WHERE id = $1`,
      [old.id],
    );
    await t.dataSource.query(
      `UPDATE tasks SET created_at = now() - interval '30 days' WHERE id = $1`,
      [running.id],
    );

    expect(await t.app.get(TaskCleanupService).runOnce()).toBe(1);

    expect((await operator.get(`/api/tasks/${old.id}`)).status).toBe(404);
    const [{ n }] = await t.dataSource.query<{ n: string }[]>(
      `SELECT (SELECT count(*) FROM task_log_entries WHERE task_id = $1) + (SELECT count(*) FROM task_log_counters WHERE task_id = $1) AS n`,
      [old.id],
    );
    expect(Number(n)).toBe(0);
    expect((await operator.get(`/api/tasks/${recent.id}`)).status).toBe(200);
    expect((await operator.get(`/api/tasks/${running.id}`)).status).toBe(200);
    await operator.post(`/api/tasks/${running.id}/cancel`);
  });
});
