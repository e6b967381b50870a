// Tasks whose run ended without its worker saying so. After a (re)start: tasks this instance left
// RUNNING become FAILED at once ("interrupted by server restart"), PENDING tasks without a job get
// one; then the worker starts. While running: jobs the queue gave up on — their worker stopped
// heartbeating (it died), or an attempt ran out of time — come through the dead-letter queue, and
// their task ends FAILED with the reason. Never a silent re-run: only a retryable plugin's job is
// retried, by the queue, and the next attempt's log says so.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { isTaskFinished } from '@taskdeck/contracts';
import { tasksConfig } from '../config';
import { JobQueue, type QueueJob } from '../queue/job-queue.service';
import { TaskLogWriter } from '../task-log/ingest/task-log-writer.service';
import type { TaskEntity } from './entities/task.entity';
import { TaskEventsService } from './task-events.service';
import {
  FAILED_JOBS_POLL_SECONDS,
  FAILED_TASKS_QUEUE,
  MAX_ATTEMPT_SECONDS,
  TASKS_QUEUE,
  failedTasksQueueSettings,
  tasksQueueSettings,
  type TaskJobData,
} from './task-job-options';
import { TaskJobs } from './task-jobs.service';
import { RESTART_ERROR, errorMessage } from './task-outcome';
import { TaskStore } from './task-store.service';
import { TaskWorker } from './task-worker.service';
import { toTask } from './task-mapper';

/** What pg-boss stores on a job whose heartbeat stopped, and on one that ran out of time. */
const HEARTBEAT_TIMEOUT = 'job heartbeat timeout';
const TIMED_OUT = /timed out|exceeded/;

@Injectable()
export class TaskRecoveryService implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(TaskRecoveryService.name);

  constructor(
    private readonly store: TaskStore,
    private readonly jobs: TaskJobs,
    private readonly queue: JobQueue,
    private readonly worker: TaskWorker,
    private readonly taskLog: TaskLogWriter,
    private readonly events: TaskEventsService,
    @Inject(tasksConfig.KEY) private readonly config: ConfigType<typeof tasksConfig>,
  ) {}

  /** Before any module's bootstrap, so that tasks may be created in one. */
  async onModuleInit(): Promise<void> {
    await this.queue.ensureQueue(FAILED_TASKS_QUEUE, failedTasksQueueSettings());
    await this.queue.ensureQueue(TASKS_QUEUE, tasksQueueSettings(this.config.heartbeatSeconds));
  }

  async onApplicationBootstrap(): Promise<void> {
    // Nothing runs here yet: every task still RUNNING under this instance's name is an orphan.
    const orphans = await this.store.runningOn(this.config.instanceId);
    for (const task of orphans) {
      await this.noteInLog(task, `${RESTART_ERROR}: the task was running on ${owner(task)}`);
    }
    const failed = await this.store.failOwnOrphans(this.config.instanceId, RESTART_ERROR);
    await this.queue.fail(
      TASKS_QUEUE,
      failed.flatMap((task) => (task.jobId ? [task.jobId] : [])),
      RESTART_ERROR,
    );
    for (const task of failed) this.announceFailed(task);
    await this.giveJobsToPendingTasks();
    // Every role: failing a task whose worker died is not running one.
    await this.queue.work<TaskJobData>(
      FAILED_TASKS_QUEUE,
      { concurrency: 1, pollingSeconds: FAILED_JOBS_POLL_SECONDS },
      (job) => this.onJobFailed(job),
    );
    await this.worker.start();
  }

  /** A task job the queue gave up on: its task (if this is still its job) ends FAILED. */
  async onJobFailed(job: QueueJob<TaskJobData>): Promise<void> {
    const origin = await this.queue.originOf(job);
    if (!origin) return;
    const task = await this.store.find(job.data.taskId);
    if (!task || task.jobId !== origin.id || isTaskFinished(task.status)) return;
    const error = this.failureReason(task, origin.reason);
    // The log's last line first, as for any end: whoever sees FAILED can read why.
    await this.noteInLog(task, error);
    const failed = await this.store.failUnfinished(task.id, origin.id, error);
    if (failed) this.announceFailed(failed);
  }

  private failureReason(task: TaskEntity, reason: string | null): string {
    if (reason === HEARTBEAT_TIMEOUT) {
      return `the worker running it (${owner(task)}) stopped answering: no heartbeat for ${this.config.heartbeatSeconds} s`;
    }
    if (reason && TIMED_OUT.test(reason)) {
      return `ran longer than the ${MAX_ATTEMPT_SECONDS / 3600} h an attempt may take`;
    }
    return `the job queue gave up on it: ${reason ?? 'no reason given'}`;
  }

  /** Tasks left PENDING by a version of Taskdeck without the job queue: each gets its job. */
  private async giveJobsToPendingTasks(): Promise<void> {
    const ids = await this.store.pendingWithoutJob();
    if (ids.length) this.logger.log(`queueing ${ids.length} pending task(s) that have no job`);
    for (const id of ids) {
      const task = await this.store.find(id);
      if (task) await this.jobs.replace(id, task.pluginId, null);
    }
  }

  /** The ERROR line that ends the task's log, committed before the task is stored FAILED. */
  private async noteInLog(task: TaskEntity, error: string): Promise<void> {
    try {
      await this.taskLog.openTask(task.id);
      this.taskLog.createLogger(task.id, task.pluginId).error(error);
      await this.taskLog.closeTask(task.id);
    } catch (cause) {
      this.logger.warn(`the log of task ${task.id} did not get its end: ${errorMessage(cause)}`);
    }
  }

  private announceFailed(task: TaskEntity): void {
    this.logger.warn(`task ${task.id} (${task.pluginId}) marked FAILED: ${task.error}`);
    this.events.changed(toTask(task));
  }
}

function owner(task: TaskEntity): string {
  return task.ownerInstance ?? 'an unknown instance';
}
