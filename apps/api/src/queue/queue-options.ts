// How Taskdeck runs pg-boss. The intervals here are what the failure bounds in
// docs/operations.md are made of; change them together.
import type { ConstructorOptions } from 'pg-boss';

export const QUEUE_SCHEMA = 'pgboss';

/**
 * How often some instance (one per pass, whichever claims it) looks for jobs whose heartbeat
 * stopped or that ran out of time. A dead worker's job is failed at most this long after its
 * heartbeat went stale.
 */
export const SUPERVISE_SECONDS = 5;

/**
 * How often some instance (again one per pass) evaluates the schedules. The queue's cron has one
 * minute resolution; a tick's job is sent within this (plus CRON_SEND_SECONDS) after its minute.
 */
export const CRON_PASS_SECONDS = 5;
export const CRON_SEND_SECONDS = 1;

/**
 * Connections of the queue's own pool: fetches, completions and heartbeats are single short
 * statements, so a few serve any concurrency. Plus one held for LISTEN.
 */
export const QUEUE_POOL_SIZE = 4;

export function queueOptions(databaseUrl: string, instanceId: string): ConstructorOptions {
  return {
    connectionString: databaseUrl,
    schema: QUEUE_SCHEMA,
    max: QUEUE_POOL_SIZE,
    application_name: `taskdeck-queue ${instanceId}`.slice(0, 63),
    // The queue's own writes (fetch, complete, fail, heartbeat, supervise) do not wait for the WAL
    // flush: a task's pickup then costs one flush less. Safe because everything that matters is
    // committed synchronously on the app's connection: the job is inserted with its task, and the
    // claim that follows a fetch flushes the fetch with it (WAL is written in order). A crash can
    // only undo queue bookkeeping — a fetch (the job is fetched again; the claim is conditional), a
    // completion (the dead-letter handler then finds the task finished and does nothing).
    options: '-c synchronous_commit=off',
    // New jobs wake idle workers at once (NOTIFY on commit); polling stays as the safety net.
    useListenNotify: true,
    superviseIntervalSeconds: SUPERVISE_SECONDS,
    monitorIntervalSeconds: SUPERVISE_SECONDS,
    // Completed jobs are only bookkeeping (tasks keep their own history): clear them hourly.
    maintenanceIntervalSeconds: 3600,
    cronMonitorIntervalSeconds: CRON_PASS_SECONDS,
    cronWorkerIntervalSeconds: CRON_SEND_SECONDS,
  };
}
