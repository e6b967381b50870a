import { hostname } from 'node:os';
import { registerAs } from '@nestjs/config';
import { InvalidSettingError, envInt, envString } from './env';

/** What an instance does: `all` serves the API and runs tasks, `api` only serves, `worker` only runs. */
export const INSTANCE_ROLES = ['all', 'api', 'worker'] as const;
export type InstanceRole = (typeof INSTANCE_ROLES)[number];

export function instanceRole(env: Record<string, string | undefined>): InstanceRole {
  const raw = envString(env, 'TASKDECK_ROLE', 'all');
  if (!(INSTANCE_ROLES as readonly string[]).includes(raw)) {
    throw new InvalidSettingError('TASKDECK_ROLE', raw, `one of ${INSTANCE_ROLES.join(', ')}`);
  }
  return raw as InstanceRole;
}

/** Whether an instance of this role takes task jobs from the queue. */
export function runsTasks(role: InstanceRole): boolean {
  return role !== 'api';
}

export const tasksConfig = registerAs('tasks', () => ({
  role: instanceRole(process.env),
  /** Tasks run at once on this instance (with the worker role); the rest wait in the queue. */
  concurrency: envInt(process.env, 'TASK_CONCURRENCY', 4, 1, 256),
  /**
   * A running task's job is refreshed every half of this; a job not refreshed for this long is
   * taken from its (dead) worker and its task ends FAILED (or is retried, for a retryable plugin).
   */
  heartbeatSeconds: envInt(process.env, 'TASK_HEARTBEAT_SECONDS', 30, 10, 3600),
  /** Finished tasks older than this are deleted with their logs. */
  retentionDays: envInt(process.env, 'TASK_RETENTION_DAYS', 30, 1, 36_500),
  cleanupIntervalMs: envInt(process.env, 'TASK_CLEANUP_INTERVAL_MS', 3_600_000, 1000, 86_400_000),
  /** How long shutdown waits for cancelled tasks to stop. */
  shutdownGraceMs: envInt(process.env, 'TASK_SHUTDOWN_GRACE_MS', 10_000, 0, 600_000),
  /** Stable name of this server instance: owner of the tasks it runs. */
  instanceId: envString(process.env, 'INSTANCE_ID', `${hostname()}:${process.env.PORT ?? '3000'}`),
}));
