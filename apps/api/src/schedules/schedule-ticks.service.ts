// A schedule's ticks become tasks. The queue's cron sends one job per tick into SCHEDULES_QUEUE
// (its cron pass runs on one instance at a time, and a tick's job is unique per minute), and one
// instance takes it: in one transaction it locks the schedule, skips the tick if the previous run
// has not finished (WARNING in the server log), or creates the task and its job and records it.
import {
  BadRequestException,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleInit,
} from '@nestjs/common';
import { isTaskFinished } from '@taskdeck/contracts';
import { JobQueue, type QueueJob, type QueueSettings } from '../queue/job-queue.service';
import type { TaskEntity } from '../task-manager/entities/task.entity';
import { TaskManager } from '../task-manager/task-manager.service';
import { TaskStore } from '../task-manager/task-store.service';
import { errorMessage } from '../task-manager/task-outcome';
import { TaskScheduleEntity } from './entities/task-schedule.entity';

export const SCHEDULES_QUEUE = 'taskdeck-schedules';
/** Tasks a schedule creates say this as their creator. */
export const SCHEDULE_CREATOR = 'schedule';

export interface ScheduleTickData {
  schedule: string;
}

const SCHEDULES_QUEUE_SETTINGS: QueueSettings = {
  notify: true,
  // A tick whose transaction failed (the database went away) is tried again; one that committed
  // is recognised by its job id and not run twice.
  retryLimit: 3,
  retryDelay: 5,
  retryBackoff: true,
  expireInSeconds: 300,
  deleteAfterSeconds: 3600,
};

@Injectable()
export class ScheduleTicks implements OnModuleInit, OnApplicationBootstrap {
  private readonly logger = new Logger(ScheduleTicks.name);

  constructor(
    private readonly queue: JobQueue,
    private readonly tasks: TaskManager,
    private readonly store: TaskStore,
  ) {}

  /** Before any module's bootstrap, so that modules may upsert schedules in theirs. */
  async onModuleInit(): Promise<void> {
    await this.queue.ensureQueue(SCHEDULES_QUEUE, SCHEDULES_QUEUE_SETTINGS);
  }

  /** Every role takes ticks: creating a task is not running it. */
  async onApplicationBootstrap(): Promise<void> {
    await this.queue.work<ScheduleTickData>(
      SCHEDULES_QUEUE,
      { concurrency: 2, pollingSeconds: 5 },
      async (job) => {
        await this.onTick(job);
      },
    );
  }

  /** One tick of one schedule: a task, or nothing (skipped, or the schedule is gone). */
  async onTick(job: QueueJob<ScheduleTickData>): Promise<TaskEntity | null> {
    const name = job.data.schedule;
    const task = await this.tasks.transaction(async (manager) => {
      const schedule = await manager.getRepository(TaskScheduleEntity).findOne({
        where: { name },
        lock: { mode: 'pessimistic_write' },
      });
      if (!schedule || schedule.lastTickJobId === job.id) return null;
      schedule.lastTickJobId = job.id;
      const previous = schedule.lastTaskId ? await this.store.find(schedule.lastTaskId) : null;
      if (previous && !isTaskFinished(previous.status)) {
        this.logger.warn(
          `schedule "${name}": the run due now is skipped, the previous one (task ${previous.id}) is still ${previous.status}`,
        );
        await manager.save(schedule);
        return null;
      }
      let created: TaskEntity;
      try {
        created = await this.tasks.createWithin(
          manager,
          schedule.pluginId,
          schedule.params,
          SCHEDULE_CREATOR,
        );
      } catch (error) {
        // The plugin is gone, or its schema no longer accepts the params: nothing to run.
        if (!(error instanceof BadRequestException)) throw error;
        this.logger.warn(
          `schedule "${name}": the run due now was not created: ${errorMessage(error)}`,
        );
        await manager.save(schedule);
        return null;
      }
      schedule.lastTaskId = created.id;
      await manager.save(schedule);
      return created;
    });
    if (task) this.tasks.announce(task);
    return task;
  }
}
