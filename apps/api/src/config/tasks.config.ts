import { hostname } from 'node:os';
import { registerAs } from '@nestjs/config';
import { envInt, envString } from './env';

export const tasksConfig = registerAs('tasks', () => ({
  /** Tasks run at once on this instance; the rest wait in a FIFO queue. */
  concurrency: envInt(process.env, 'TASK_CONCURRENCY', 4, 1, 256),
  /** Finished tasks older than this are deleted with their logs. */
  retentionDays: envInt(process.env, 'TASK_RETENTION_DAYS', 30, 1, 36_500),
  cleanupIntervalMs: envInt(process.env, 'TASK_CLEANUP_INTERVAL_MS', 3_600_000, 1000, 86_400_000),
  /** How long shutdown waits for cancelled tasks to stop. */
  shutdownGraceMs: envInt(process.env, 'TASK_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  /** Stable name of this server instance: owner of the tasks it runs. */
  instanceId: envString(process.env, 'INSTANCE_ID', `${hostname()}:${process.env.PORT ?? '3000'}`),
}));
