// A plugin that declares itself retryable: a failed attempt goes back to the queue and runs again
// after a back-off, a bounded number of times; the task stays RUNNING meanwhile and its log says
// which attempt failed. A task between two attempts can be cancelled at once.
import { Module } from '@nestjs/common';
import type { LogEntry, Task } from '@taskdeck/contracts';
import type { TaskContext } from '../src/plugin-api/task-context';
import { TaskPluginBase, TaskPluginDefinition } from '../src/plugin-api/task-plugin';
import { ApiClient, waitFor } from './utils/api-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';

interface FlakyParams {
  /** Attempts that fail before one succeeds. */
  failures: number;
}

const FLAKY_SCHEMA = {
  type: 'object' as const,
  properties: { failures: { type: 'integer' as const, minimum: 0 } },
  required: ['failures'],
};

/** Attempts per task, counted across attempts (the plugin instance is per attempt). */
const attempts = new Map<string, number>();

async function flakyRun(params: FlakyParams, context: TaskContext): Promise<{ attempt: number }> {
  const attempt = (attempts.get(context.taskId) ?? 0) + 1;
  attempts.set(context.taskId, attempt);
  if (attempt <= params.failures) throw new Error(`flaky failure ${attempt}`);
  return { attempt };
}

@TaskPluginDefinition({
  id: 'flaky',
  name: 'Flaky',
  description: 'fails its first attempts',
  paramsSchema: FLAKY_SCHEMA,
  retry: { attempts: 3, delaySeconds: 1, maxDelaySeconds: 2 },
})
class FlakyPlugin extends TaskPluginBase<FlakyParams> {
  execute(params: FlakyParams, context: TaskContext): Promise<{ attempt: number }> {
    return flakyRun(params, context);
  }
}

@TaskPluginDefinition({
  id: 'flaky-slow',
  name: 'Flaky, slow to retry',
  description: 'fails its first attempts and waits a minute before the next',
  paramsSchema: FLAKY_SCHEMA,
  retry: { attempts: 2, delaySeconds: 60 },
})
class SlowRetryPlugin extends TaskPluginBase<FlakyParams> {
  execute(params: FlakyParams, context: TaskContext): Promise<{ attempt: number }> {
    return flakyRun(params, context);
  }
}

@Module({ providers: [FlakyPlugin, SlowRetryPlugin] })
class FlakyPluginsModule {}

const messages = (log: LogEntry[]) => log.map((e) => `${e.level} ${e.message}`);

describe('retryable plugins', () => {
  let app: TestApp;
  let client: ApiClient;

  beforeAll(async () => {
    app = await startTestApp({ imports: [FlakyPluginsModule] });
    client = new ApiClient(app.url, await app.tokenFor('admin'));
  });
  afterAll(async () => {
    await app?.close();
  });

  it('runs a failed attempt again after a back-off, staying RUNNING, and logs each attempt', async () => {
    const task = await startTask(client, 'flaky', { failures: 2 });
    const seen = new Set<Task['status']>();
    const done = await waitFor(
      async () => {
        const res = await client.get<Task>(`/api/tasks/${task.id}`);
        seen.add(res.body.status);
        return ['SUCCESS', 'FAILED', 'CANCELLED'].includes(res.body.status) ? res.body : undefined;
      },
      60_000,
      'the flaky task to end',
    );
    expect(done.status).toBe('SUCCESS');
    expect(done.result).toEqual({ attempt: 3 });
    // Never back to PENDING once started: between attempts the task is still RUNNING.
    expect([...seen].filter((s) => s !== 'PENDING' && s !== 'RUNNING')).toEqual(['SUCCESS']);
    const log = messages(await readAllLogs(client, task.id));
    expect(log.filter((m) => /task started on .* \(attempt \d of 3\)/.test(m))).toHaveLength(3);
    expect(log).toContainEqual(
      expect.stringMatching(
        /^WARNING attempt 1 of 3 failed: flaky failure 1; the task runs again after a back-off/,
      ),
    );
    expect(log).toContainEqual(
      expect.stringMatching(/^WARNING attempt 2 of 3 failed: flaky failure 2/),
    );
    expect(log.at(-1)).toBe('INFO task succeeded');
  });

  it('ends FAILED after the last attempt, with its error', async () => {
    const task = await startTask(client, 'flaky', { failures: 5 });
    const done = await waitForStatus(client, task.id, ['SUCCESS', 'FAILED', 'CANCELLED'], 60_000);
    expect(done.status).toBe('FAILED');
    expect(done.error).toBe('flaky failure 3');
    expect(attempts.get(task.id)).toBe(3);
    const log = messages(await readAllLogs(client, task.id));
    expect(log.filter((m) => m.startsWith('WARNING attempt'))).toHaveLength(2);
    expect(log.at(-1)).toBe('ERROR task failed (attempt 3 of 3): flaky failure 3');
  });

  it('cancels a task waiting for its next attempt at once', async () => {
    const task = await startTask(client, 'flaky-slow', { failures: 1 });
    await waitFor(
      async () => {
        const log = await readAllLogs(client, task.id, 'level=WARNING');
        return log.some((e) => e.message.startsWith('attempt 1 of 2 failed')) ? true : undefined;
      },
      30_000,
      'the first attempt to fail',
    );
    expect((await client.get<Task>(`/api/tasks/${task.id}`)).body.status).toBe('RUNNING');
    const cancelled = await client.post<Task>(`/api/tasks/${task.id}/cancel`);
    expect(cancelled.status).toBe(200);
    expect(cancelled.body.status).toBe('CANCELLED');
    expect(cancelled.body.error).toBe('cancelled by admin');
    const log = messages(await readAllLogs(client, task.id));
    expect(log.at(-1)).toBe('WARNING cancelled by admin');
    expect(attempts.get(task.id)).toBe(1);
  });
});
