// Every write that changes a task together with its queue job, each in one transaction: a task is
// never stored without its job, and a job never outlives the chance to run its task.
import { randomUUID } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, type EntityManager } from 'typeorm';
import { PluginRegistry } from '../plugins/plugin-registry.service';
import { JobQueue } from '../queue/job-queue.service';
import type { TaskEntity } from './entities/task.entity';
import { TASKS_QUEUE, taskJobOptions, type TaskJobData } from './task-job-options';
import { TaskStore } from './task-store.service';

@Injectable()
export class TaskJobs {
  constructor(
    private readonly store: TaskStore,
    private readonly queue: JobQueue,
    private readonly registry: PluginRegistry,
    @InjectDataSource() private readonly dataSource: DataSource,
  ) {}

  /** Runs `work` in a transaction of the tasks' database (for callers that add writes of their own). */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.dataSource.transaction(work);
  }

  /** A PENDING task and its job, in the caller's transaction. `params` are already validated. */
  async insert(
    manager: EntityManager,
    pluginId: string,
    params: Record<string, unknown>,
    createdBy: string,
  ): Promise<TaskEntity> {
    const jobId = randomUUID();
    const task = await this.store.insertPending(manager, { pluginId, params, createdBy, jobId });
    await this.send(manager, task.id, pluginId, jobId);
    return task;
  }

  /**
   * A PENDING task gets a new job in place of `fromJobId` (null: it had none). False, with nothing
   * sent, when the task is no longer PENDING or already has another job.
   */
  replace(taskId: string, pluginId: string, fromJobId: string | null): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      const jobId = randomUUID();
      if (!(await this.store.replaceJob(manager, taskId, fromJobId, jobId))) return false;
      await this.send(manager, taskId, pluginId, jobId);
      return true;
    });
  }

  /**
   * Cancels a task nobody runs (PENDING, or between two attempts) and its job, together. False
   * when the task is not idle (any more): a worker has it.
   */
  cancelIdle(task: TaskEntity, reason: string): Promise<boolean> {
    return this.dataSource.transaction(async (manager) => {
      if (!(await this.store.cancelIdle(manager, task.id, reason))) return false;
      if (task.jobId) await this.queue.cancel(TASKS_QUEUE, [task.jobId], manager);
      return true;
    });
  }

  private async send(
    manager: EntityManager,
    taskId: string,
    pluginId: string,
    jobId: string,
  ): Promise<void> {
    const retry = this.registry.get(pluginId)?.retry ?? null;
    await this.queue.send(
      TASKS_QUEUE,
      { taskId } satisfies TaskJobData,
      taskJobOptions(jobId, retry),
      manager,
    );
  }
}
