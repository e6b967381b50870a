import type { LogEntry, LogPage, Page, Task, TaskStatus } from '@taskdeck/contracts';
import { ApiClient, waitFor } from './api-client';

export async function startTask(
  client: ApiClient,
  pluginId: string,
  params: Record<string, unknown>,
): Promise<Task> {
  const res = await client.post<Task>('/api/tasks', { pluginId, params });
  if (res.status !== 201) {
    throw new Error(`POST /api/tasks → ${res.status} ${JSON.stringify(res.body)}`);
  }
  return res.body;
}

export function waitForStatus(
  client: ApiClient,
  taskId: string,
  statuses: TaskStatus[],
  timeoutMs = 60_000,
): Promise<Task> {
  return waitFor(
    async () => {
      const res = await client.get<Task>(`/api/tasks/${taskId}`);
      return res.status === 200 && statuses.includes(res.body.status) ? res.body : undefined;
    },
    timeoutMs,
    `task ${taskId} to reach ${statuses.join('/')}`,
  );
}

/** Every entry matching `query`, paging forward with the cursor (limit 1000). */
export async function readAllLogs(
  client: ApiClient,
  taskId: string,
  query = '',
): Promise<LogEntry[]> {
  const all: LogEntry[] = [];
  let after = 0;
  for (;;) {
    const res = await client.get<LogPage>(
      `/api/tasks/${taskId}/logs?limit=1000&afterSeq=${after}${query ? `&${query}` : ''}`,
    );
    if (res.status !== 200) throw new Error(`GET logs → ${res.status} ${JSON.stringify(res.body)}`);
    all.push(...res.body.items);
    if (res.body.nextCursor === null) return all;
    after = res.body.nextCursor;
  }
}

/** The seq numbers 1..n, for comparing whole logs. */
export function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, i) => from + i);
}

/** Every task, newest first, following the list's cursor. */
export async function allTasks(client: ApiClient): Promise<Task[]> {
  const all: Task[] = [];
  let cursor: string | null = null;
  do {
    const res: { status: number; body: Page<Task> } = await client.get<Page<Task>>(
      `/api/tasks?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
    );
    if (res.status !== 200) throw new Error(`GET /api/tasks → ${res.status}`);
    all.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return all;
}
