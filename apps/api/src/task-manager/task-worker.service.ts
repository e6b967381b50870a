// Runs tasks from the job queue, on instances whose role runs tasks (TASKDECK_ROLE all or worker):
// up to TASK_CONCURRENCY jobs at once; each job's task is claimed (→ RUNNING here), run by
// TaskRunner and ended. A retryable plugin's failed attempt goes back to the queue, which runs it
// again after a back-off. Also: aborting a task that runs here (cancel, a lost job, shutdown).
import { setTimeout as sleep } from 'node:timers/promises';
import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ClusterBus } from '../cluster/cluster-bus.service';
import { tasksConfig } from '../config';
import { runsTasks } from '../config/tasks.config';
import { JobQueue, type QueueJob } from '../queue/job-queue.service';
import { TaskEventsService } from './task-events.service';
import { TASKS_QUEUE, attemptOf, type TaskJobData } from './task-job-options';
import { TaskJobs } from './task-jobs.service';
import { JobLostError, SHUTDOWN_REASON, TaskCancelledError, errorMessage } from './task-outcome';
import { TaskRunner } from './task-runner.service';
import { TaskStore } from './task-store.service';
import { toTask } from './task-mapper';

/** Cluster message: abort this task wherever it runs. */
export const CANCEL_MESSAGE = 'task.cancel';

export interface CancelMessage {
  taskId: string;
  reason: string;
}

/** A cancel broadcast this instance missed is still applied: the cancel flag is read this often. */
export const CANCEL_CHECK_MS = 5000;
/**
 * An idle worker looks for jobs this often (new jobs wake it at once): a retry starts at most this
 * long after its back-off ended.
 */
export const TASK_POLL_SECONDS = 2;

/** A job taken here: claimed and not yet started (no controller), or running. */
interface LocalRun {
  controller: AbortController | null;
  /** A cancel that arrived while the task was being claimed. */
  abortReason: string | null;
  done: Promise<void>;
}

@Injectable()
export class TaskWorker implements OnModuleDestroy {
  private readonly logger = new Logger(TaskWorker.name);
  private readonly runs = new Map<string, LocalRun>();
  private stopping = false;
  private cancelTimer: NodeJS.Timeout | null = null;

  constructor(
    private readonly store: TaskStore,
    private readonly jobs: TaskJobs,
    private readonly runner: TaskRunner,
    private readonly queue: JobQueue,
    private readonly events: TaskEventsService,
    cluster: ClusterBus,
    @Inject(tasksConfig.KEY) private readonly config: ConfigType<typeof tasksConfig>,
  ) {
    cluster.on<CancelMessage>(CANCEL_MESSAGE).subscribe(({ data }) => {
      this.abortLocal(data.taskId, data.reason);
    });
  }

  /** Starts taking jobs (after the restart recovery); an `api` instance takes none. */
  async start(): Promise<void> {
    if (!runsTasks(this.config.role)) return;
    await this.queue.work<TaskJobData>(
      TASKS_QUEUE,
      { concurrency: this.config.concurrency, pollingSeconds: TASK_POLL_SECONDS },
      (job) => this.take(job),
    );
    this.cancelTimer = setInterval(() => void this.applyCancelFlags(), CANCEL_CHECK_MS);
    this.cancelTimer.unref();
  }

  /** Ids of the tasks claimed or running on this instance. */
  runningIds(): string[] {
    return [...this.runs.keys()];
  }

  /** Aborts a task if it runs here; true when it did (a claim under way remembers it: false). */
  abortLocal(id: string, reason: string): boolean {
    const run = this.runs.get(id);
    if (!run) return false;
    if (!run.controller) {
      run.abortReason ??= reason;
      return false;
    }
    if (!run.controller.signal.aborted) run.controller.abort(new TaskCancelledError(reason));
    return true;
  }

  /** Resolves once the task has stopped here, or at once when it does not run here. */
  async stopped(id: string): Promise<void> {
    await this.runs.get(id)?.done.catch(() => undefined);
  }

  /** Takes no more jobs, cancels what runs here and waits for it (up to the grace period). */
  async onModuleDestroy(): Promise<void> {
    this.stopping = true;
    this.runner.beginShutdown();
    if (this.cancelTimer) clearInterval(this.cancelTimer);
    await this.queue.stopWork(TASKS_QUEUE, false).catch(() => undefined);
    for (const id of this.runs.keys()) this.abortLocal(id, SHUTDOWN_REASON);
    if (!this.runs.size) return;
    this.logger.log(`waiting for ${this.runs.size} cancelled task(s) to stop`);
    const all = Promise.allSettled([...this.runs.values()].map((r) => r.done));
    const grace = sleep(this.config.shutdownGraceMs, 'timeout' as const, { ref: false });
    if ((await Promise.race([all, grace])) === 'timeout') {
      this.logger.warn(
        `${this.runs.size} task(s) did not stop within ${this.config.shutdownGraceMs} ms`,
      );
    }
  }

  /** The queue's handler: resolves when the job is done, rejects to have the queue retry it. */
  private take(job: QueueJob<TaskJobData>): Promise<void> {
    const { taskId } = job.data;
    // A task has one job at a time, so an earlier run of it here is one the queue took back (a
    // missed heartbeat) and retried: let that run stop first; the claim then sees how it ended.
    const earlier = this.runs.get(taskId)?.done.catch(() => undefined) ?? Promise.resolve();
    const run: LocalRun = { controller: null, abortReason: null, done: Promise.resolve() };
    const done = earlier
      .then(() => this.runJob(job, run))
      .finally(() => {
        if (this.runs.get(taskId) === run) this.runs.delete(taskId);
      });
    run.done = done;
    this.runs.set(taskId, run);
    return done;
  }

  private async runJob(job: QueueJob<TaskJobData>, run: LocalRun): Promise<void> {
    const { taskId } = job.data;
    const attempt = attemptOf(job);
    if (this.stopping && attempt.number === 1) {
      // Taken while this instance stops: the task stays PENDING, with a fresh job for another
      // worker (or this one after its restart); this job then completes.
      const task = await this.store.find(taskId);
      if (task) await this.jobs.replace(taskId, task.pluginId, job.id);
      return;
    }
    const entity = await this.runner.retryStore(`claim task ${taskId}`, () =>
      this.store.claim(taskId, job.id, this.config.instanceId, attempt.number > 1),
    );
    if (entity === undefined) throw new Error(`task ${taskId} could not be claimed`);
    if (entity === null) return; // cancelled, deleted, or given another job meanwhile
    this.events.changed(toTask(entity));

    const controller = new AbortController();
    run.controller = controller;
    const reason =
      run.abortReason ??
      (this.stopping ? SHUTDOWN_REASON : null) ??
      (entity.cancelRequested ? 'cancelled' : null);
    if (reason) controller.abort(new TaskCancelledError(reason));
    // The queue aborts the job's signal when it no longer counts this run as the job's: a missed
    // heartbeat, the attempt's time limit. The job is failed or retried there; this run stops.
    const lost = (): void => {
      if (controller.signal.aborted) return;
      const why = job.signal.reason instanceof Error ? job.signal.reason.message : 'job lost';
      controller.abort(new JobLostError(`the job queue took the task from this worker: ${why}`));
    };
    job.signal.addEventListener('abort', lost, { once: true });
    if (job.signal.aborted) lost();
    try {
      if ((await this.runner.run(entity, controller, attempt)) === 'retry') {
        // Rejecting fails this attempt of the job: the queue retries it after the back-off.
        throw new Error(`attempt ${attempt.number} of ${attempt.of} failed`);
      }
    } finally {
      job.signal.removeEventListener('abort', lost);
    }
  }

  /** Applies cancels whose broadcast this instance missed (e.g. while its bus reconnected). */
  private async applyCancelFlags(): Promise<void> {
    try {
      for (const id of await this.store.cancelRequested(this.runningIds())) {
        this.abortLocal(id, 'cancelled');
      }
    } catch (error) {
      this.logger.warn(`reading cancel requests failed: ${errorMessage(error)}`);
    }
  }
}
