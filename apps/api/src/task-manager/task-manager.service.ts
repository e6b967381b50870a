// The tasks as the API sees them: create (the task and its queue job in one transaction), read,
// cancel (here, on the instance that runs the task, or at once when nobody runs it) and delete.
// Running them is TaskWorker's, on whichever instance takes the job. Status changes are stored
// before they are announced.
import { setTimeout as sleep } from 'node:timers/promises';
import {
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
  ServiceUnavailableException,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { isTaskFinished, type Page, type Task } from '@taskdeck/contracts';
import type { EntityManager } from 'typeorm';
import { ClusterBus } from '../cluster/cluster-bus.service';
import { tasksConfig } from '../config';
import { PluginRegistry } from '../plugins/plugin-registry.service';
import { TaskLogWriter } from '../task-log/ingest/task-log-writer.service';
import type { TaskEntity } from './entities/task.entity';
import { TaskEventsService } from './task-events.service';
import { TaskJobs } from './task-jobs.service';
import { TaskStore, type TaskListFilter } from './task-store.service';
import { CANCEL_MESSAGE, TaskWorker, type CancelMessage } from './task-worker.service';
import { toTask } from './task-mapper';

@Injectable()
export class TaskManager implements OnModuleDestroy {
  private readonly logger = new Logger(TaskManager.name);
  private accepting = true;

  constructor(
    private readonly store: TaskStore,
    private readonly jobs: TaskJobs,
    private readonly registry: PluginRegistry,
    private readonly worker: TaskWorker,
    private readonly taskLog: TaskLogWriter,
    private readonly events: TaskEventsService,
    private readonly cluster: ClusterBus,
    @Inject(tasksConfig.KEY) private readonly config: ConfigType<typeof tasksConfig>,
  ) {}

  /** A new PENDING task and its job; any instance with the worker role may run it. */
  async create(pluginId: string, params: unknown, createdBy: string): Promise<Task> {
    const validated = this.registry.validateParams(pluginId, params);
    this.assertAccepting();
    const entity = await this.jobs.transaction((manager) =>
      this.jobs.insert(manager, pluginId, validated, createdBy),
    );
    return this.announce(entity);
  }

  /** A transaction on the tasks' database, for callers that create a task with writes of their own. */
  transaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    return this.jobs.transaction(work);
  }

  /**
   * A new task and its job inside the caller's transaction (see `transaction`). Announce the task
   * with `announce` once the transaction has committed.
   */
  createWithin(
    manager: EntityManager,
    pluginId: string,
    params: unknown,
    createdBy: string,
  ): Promise<TaskEntity> {
    const validated = this.registry.validateParams(pluginId, params);
    this.assertAccepting();
    return this.jobs.insert(manager, pluginId, validated, createdBy);
  }

  announce(entity: TaskEntity): Task {
    const task = toTask(entity);
    this.events.changed(task);
    return task;
  }

  list(filter: TaskListFilter): Promise<Page<Task>> {
    return this.store.list(filter);
  }

  /** Whether the task exists, without loading it. */
  exists(id: string): Promise<boolean> {
    return this.store.exists(id);
  }

  async get(id: string): Promise<Task> {
    return toTask(await this.find(id));
  }

  /**
   * PENDING, or RUNNING between two attempts: CANCELLED at once (its job cancelled with it).
   * RUNNING: aborted where it runs (here, or through the cluster bus); it becomes CANCELLED once
   * its plugin settles. A finished task: 409.
   */
  async cancel(id: string, by: string): Promise<Task> {
    const entity = await this.find(id);
    if (isTaskFinished(entity.status)) {
      throw new ConflictException(`task ${id} has already finished (${entity.status})`);
    }
    const reason = `cancelled by ${by}`;
    if (this.worker.abortLocal(id, reason)) return this.get(id);
    if (await this.jobs.cancelIdle(entity, reason)) {
      if (entity.status === 'RUNNING') await this.noteInLog(entity, reason);
      return this.announce(await this.find(id));
    }
    // Another instance runs it (or is claiming it): the flag is the fallback its worker checks,
    // should the broadcast not reach it.
    await this.store.requestCancel(id);
    await this.cluster
      .publish<CancelMessage>(CANCEL_MESSAGE, { taskId: id, reason })
      .catch((error: Error) => {
        this.logger.warn(`could not broadcast the cancel of ${id}: ${error.message}`);
      });
    return this.get(id);
  }

  /** Deletes a task and its log; a running task is cancelled and awaited first (bounded). */
  async delete(id: string, by: string): Promise<void> {
    const entity = await this.find(id);
    if (!isTaskFinished(entity.status)) {
      await this.cancel(id, by).catch(() => undefined);
      await this.waitUntilStopped(id);
    }
    await this.taskLog.discardTask(id);
    await this.store.delete(id);
    this.events.deleted(id);
  }

  /** From now on new tasks are refused (503): the server is stopping. */
  onModuleDestroy(): void {
    this.accepting = false;
  }

  private assertAccepting(): void {
    if (!this.accepting) throw new ServiceUnavailableException('the server is shutting down');
  }

  private async find(id: string): Promise<TaskEntity> {
    const entity = await this.store.find(id);
    if (!entity) throw new NotFoundException(`task ${id} not found`);
    return entity;
  }

  /** The WARNING a task cancelled between two attempts gets in its log (no run writes one). */
  private async noteInLog(task: TaskEntity, message: string): Promise<void> {
    await this.taskLog.openTask(task.id);
    this.taskLog.createLogger(task.id, task.pluginId).warning(message);
    await this.taskLog.closeTask(task.id);
  }

  private async waitUntilStopped(id: string): Promise<void> {
    const deadline = Date.now() + this.config.shutdownGraceMs;
    await Promise.race([
      this.worker.stopped(id),
      sleep(this.config.shutdownGraceMs, undefined, { ref: false }),
    ]);
    while (Date.now() < deadline) {
      const entity = await this.store.find(id);
      if (!entity || isTaskFinished(entity.status)) return;
      await sleep(100);
    }
    this.logger.warn(
      `task ${id} did not stop within ${this.config.shutdownGraceMs} ms; deleting it anyway`,
    );
  }
}
