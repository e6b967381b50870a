// A cluster of built server processes on one database: one api instance and workers, the way
// docker-compose.yml runs it (roles, instance ids, a shared JWT secret).
import type { LogEntry, Task } from '@taskdeck/contracts';
import { ApiClient } from './api-client';
import { adminToken, startServerProcess, type ServerProcess } from './server-process';
import { readAllLogs } from './tasks';

export interface TestCluster {
  api: ServerProcess;
  workers: ServerProcess[];
  /** Signed in as the admin on the api instance, with that token. */
  client: ApiClient;
  token: string;
  stop(): Promise<void>;
}

export async function startCluster(options: {
  databaseUrl: string;
  workers: number;
  /** Environment of every instance (e.g. TASK_HEARTBEAT_SECONDS). */
  env?: Record<string, string>;
  workerEnv?: Record<string, string>;
}): Promise<TestCluster> {
  const { databaseUrl, env = {} } = options;
  // The api instance first: it creates the admin user the others then find.
  const api = await startServerProcess({
    databaseUrl,
    env: { ...env, TASKDECK_ROLE: 'api', INSTANCE_ID: 'api-1' },
  });
  const started = await Promise.allSettled(
    Array.from({ length: options.workers }, (_, i) =>
      startServerProcess({
        databaseUrl,
        env: {
          ...env,
          ...options.workerEnv,
          TASKDECK_ROLE: 'worker',
          INSTANCE_ID: `worker-${i + 1}`,
        },
      }),
    ),
  );
  const workers = started.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
  const failed = started.find((r) => r.status === 'rejected');
  if (failed) {
    await Promise.all([api, ...workers].map((s) => s.kill('SIGTERM')));
    throw failed.reason;
  }
  const token = await adminToken(api.url);
  return {
    api,
    workers,
    client: new ApiClient(api.url, token),
    token,
    stop: async () => {
      await Promise.all([api, ...workers].map((s) => s.kill('SIGTERM')));
    },
  };
}

const STARTED = /^task started on (\S+)/;

/** The instances a task's log says it started on (once per attempt), and its success lines. */
export async function runsOf(
  client: ApiClient,
  task: Task,
): Promise<{ on: string[]; ends: number }> {
  const lines: LogEntry[] = await readAllLogs(client, task.id, 'search=task%20s');
  return {
    on: lines.flatMap((e) => STARTED.exec(e.message)?.[1] ?? []),
    ends: lines.filter((e) => e.message === 'task succeeded').length,
  };
}
