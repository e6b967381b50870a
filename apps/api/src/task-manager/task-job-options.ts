// Tasks on the job queue: the queues, what a job carries, and how a plugin's retry policy becomes
// job options. One job per task run (a released job is replaced by a new one, see TaskWorker).
import type { SendOptions } from 'pg-boss';
import type { RetryPolicy } from '../plugin-api/task-plugin';
import type { QueueJob, QueueSettings } from '../queue/job-queue.service';
import { SUPERVISE_SECONDS } from '../queue/queue-options';

/** Jobs that run tasks. */
export const TASKS_QUEUE = 'taskdeck-tasks';
/** Where the queue moves a task job it gave up on (worker dead, out of time): its task ends FAILED. */
export const FAILED_TASKS_QUEUE = 'taskdeck-tasks-failed';

/** The longest one attempt may run (pg-boss's ceiling); past it the task ends FAILED. */
export const MAX_ATTEMPT_SECONDS = 24 * 3600;
/** A job waiting for a worker is kept this long (ten years: a PENDING task must not lose it). */
const WAITING_JOB_RETENTION_SECONDS = 10 * 365 * 24 * 3600;
/** Finished jobs are bookkeeping only (the task row is the history). */
const FINISHED_JOB_RETENTION_SECONDS = 3600;

const DEFAULT_RETRY_DELAY_SECONDS = 10;
const DEFAULT_RETRY_MAX_DELAY_SECONDS = 600;

/** Dead-lettered jobs (see FAILED_TASKS_QUEUE) are looked for this often. */
export const FAILED_JOBS_POLL_SECONDS = 1;

/**
 * How long after its worker died a task ends FAILED, at the latest: the job's heartbeat goes stale
 * (it was refreshed at most heartbeatSeconds / 2 before, and is stale heartbeatSeconds after that
 * refresh), a supervise pass sees it (every SUPERVISE_SECONDS), the dead-letter worker takes it
 * (FAILED_JOBS_POLL_SECONDS), and 10 s for the queries, the final log flush and event loops under
 * load (4 s was not enough on a saturated 2-core machine: 20.6 s with a 10 s heartbeat, where an
 * idle one takes 10.3 s).
 */
export function deadWorkerBoundSeconds(heartbeatSeconds: number): number {
  return heartbeatSeconds + SUPERVISE_SECONDS + FAILED_JOBS_POLL_SECONDS + 10;
}

export interface TaskJobData {
  taskId: string;
}

export function tasksQueueSettings(heartbeatSeconds: number): QueueSettings {
  return {
    // A new job wakes idle workers at once (LISTEN/NOTIFY) instead of at their next poll.
    notify: true,
    retryLimit: 0,
    heartbeatSeconds,
    expireInSeconds: MAX_ATTEMPT_SECONDS,
    retentionSeconds: WAITING_JOB_RETENTION_SECONDS,
    deleteAfterSeconds: FINISHED_JOB_RETENTION_SECONDS,
    deadLetter: FAILED_TASKS_QUEUE,
  };
}

export function failedTasksQueueSettings(): QueueSettings {
  // Dead-lettering emits no notification: its worker polls (every second, see TaskRecoveryService).
  return { notify: false, retryLimit: 0, deleteAfterSeconds: FINISHED_JOB_RETENTION_SECONDS };
}

/** The job of one task: not retried, or retried with back-off as the plugin declares. */
export function taskJobOptions(jobId: string, retry: RetryPolicy | null): SendOptions {
  if (!retry) return { id: jobId, retryLimit: 0 };
  return {
    id: jobId,
    retryLimit: retry.attempts - 1,
    retryDelay: retry.delaySeconds ?? DEFAULT_RETRY_DELAY_SECONDS,
    retryBackoff: true,
    retryDelayMax: retry.maxDelaySeconds ?? DEFAULT_RETRY_MAX_DELAY_SECONDS,
  };
}

/** Which run of its task a job is: 1 of 1 for a plugin that is not retryable. */
export interface Attempt {
  number: number;
  of: number;
}

export function attemptOf(job: Pick<QueueJob<unknown>, 'retryCount' | 'retryLimit'>): Attempt {
  return { number: job.retryCount + 1, of: job.retryLimit + 1 };
}

/** "" for a single attempt, " (attempt 2 of 3)" otherwise: appended to the task's log lines. */
export function attemptLabel(attempt: Attempt): string {
  return attempt.of > 1 ? ` (attempt ${attempt.number} of ${attempt.of})` : '';
}
