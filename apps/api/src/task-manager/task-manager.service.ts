// Runs plugin tasks in the background: a FIFO queue, a concurrency limit, cancel (here or on the
// instance that runs the task), delete, shutdown. TaskRunner runs one claimed task; status changes
// are stored before they are announced.
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
import { ClusterBus } from '../cluster/cluster-bus.service';
import { tasksConfig } from '../config';
import { PluginRegistry } from '../plugins/plugin-registry.service';
import { TaskLogWriter } from '../task-log/ingest/task-log-writer.service';
import { TaskEventsService } from './task-events.service';
import { SHUTDOWN_REASON, TaskCancelledError, errorMessage } from './task-outcome';
import { TaskRunner } from './task-runner.service';
import { TaskStore, type TaskListFilter } from './task-store.service';
import { toTask } from './task-mapper';

/** Cluster message: abort this task wherever it runs. */
export const CANCEL_MESSAGE = 'task.cancel';

export interface CancelMessage {
  taskId: string;
  reason: string;
}

interface ActiveRun {
  controller: AbortController;
  done: Promise<void>;
}

/** Claimed (the UPDATE is under way) but not started: a cancel arriving meanwhile waits here. */
interface PendingClaim {
  abortReason: string | null;
}

@Injectable()
export class TaskManager implements OnModuleDestroy {
  private readonly logger = new Logger(TaskManager.name);
  private readonly queue: string[] = [];
  private readonly queued = new Set<string>();
  /** Claimed or running here, by task id; its size is what the concurrency limit counts. */
  private readonly active = new Map<string, ActiveRun | PendingClaim>();
  /** Every claim-and-run under way, for shutdown to wait on. */
  private readonly inFlight = new Set<Promise<void>>();
  private accepting = true;

  constructor(
    private readonly store: TaskStore,
    private readonly registry: PluginRegistry,
    private readonly runner: TaskRunner,
    private readonly taskLog: TaskLogWriter,
    private readonly events: TaskEventsService,
    private readonly cluster: ClusterBus,
    @Inject(tasksConfig.KEY) private readonly config: ConfigType<typeof tasksConfig>,
  ) {
    this.cluster.on<CancelMessage>(CANCEL_MESSAGE).subscribe(({ data }) => {
      this.abortLocal(data.taskId, data.reason);
    });
  }

  get instanceId(): string {
    return this.config.instanceId;
  }

  /** Ids of the tasks claimed or running on this instance. */
  runningIds(): string[] {
    return [...this.active.keys()];
  }

  async create(pluginId: string, params: unknown, createdBy: string): Promise<Task> {
    const validated = this.registry.validateParams(pluginId, params);
    if (!this.accepting) throw new ServiceUnavailableException('the server is shutting down');
    const entity = await this.store.insertPending(pluginId, validated, createdBy);
    const task = toTask(entity);
    this.events.changed(task);
    this.enqueue(entity.id);
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
    const entity = await this.store.find(id);
    if (!entity) throw new NotFoundException(`task ${id} not found`);
    return toTask(entity);
  }

  /** Queues a PENDING task (again, after a restart); the claim keeps it from running twice. */
  enqueue(id: string): void {
    if (!this.accepting || this.queued.has(id) || this.active.has(id)) return;
    this.queued.add(id);
    this.queue.push(id);
    this.pump();
  }

  /**
   * PENDING: CANCELLED at once. RUNNING: aborted where it runs (here, or through the cluster bus);
   * it becomes CANCELLED once its plugin settles. A finished task: 409.
   */
  async cancel(id: string, by: string): Promise<Task> {
    const entity = await this.store.find(id);
    if (!entity) throw new NotFoundException(`task ${id} not found`);
    if (isTaskFinished(entity.status)) {
      throw new ConflictException(`task ${id} has already finished (${entity.status})`);
    }
    const reason = `cancelled by ${by}`;
    if (entity.status === 'PENDING' && (await this.store.cancelPending(id, reason))) {
      this.dequeue(id);
      return this.announce(id);
    }
    if (!this.abortLocal(id, reason)) {
      // Another instance runs it (or is claiming it): the flag is the fallback its heartbeat
      // checks, should the broadcast not reach it.
      await this.store.requestCancel(id);
      await this.cluster
        .publish<CancelMessage>(CANCEL_MESSAGE, { taskId: id, reason })
        .catch((error: Error) => {
          this.logger.warn(`could not broadcast the cancel of ${id}: ${error.message}`);
        });
    }
    return this.get(id);
  }

  /** Deletes a task and its log; a running task is cancelled and awaited first (bounded). */
  async delete(id: string, by: string): Promise<void> {
    const entity = await this.store.find(id);
    if (!entity) throw new NotFoundException(`task ${id} not found`);
    if (!isTaskFinished(entity.status)) {
      await this.cancel(id, by).catch(() => undefined);
      await this.waitUntilStopped(id);
    }
    this.dequeue(id);
    await this.taskLog.discardTask(id);
    await this.store.delete(id);
    this.events.deleted(id);
  }

  /** Aborts a task if it runs here; true when it did (a claim under way remembers it: false). */
  abortLocal(id: string, reason: string): boolean {
    const run = this.active.get(id);
    if (!run) return false;
    if (!('controller' in run)) {
      run.abortReason ??= reason;
      return false;
    }
    if (!run.controller.signal.aborted) run.controller.abort(new TaskCancelledError(reason));
    return true;
  }

  /** Takes no more work, cancels what runs here and waits for it (up to the grace period). */
  async onModuleDestroy(): Promise<void> {
    this.accepting = false;
    this.runner.beginShutdown();
    this.queue.length = 0;
    this.queued.clear();
    for (const id of this.active.keys()) this.abortLocal(id, SHUTDOWN_REASON);
    if (!this.inFlight.size) return;
    this.logger.log(`waiting for ${this.inFlight.size} cancelled task(s) to stop`);
    const grace = sleep(this.config.shutdownGraceMs, 'timeout' as const, { ref: false });
    if ((await Promise.race([Promise.allSettled([...this.inFlight]), grace])) === 'timeout') {
      this.logger.warn(
        `${this.inFlight.size} task(s) did not stop within ${this.config.shutdownGraceMs} ms`,
      );
    }
  }

  private dequeue(id: string): void {
    if (!this.queued.delete(id)) return;
    const index = this.queue.indexOf(id);
    if (index >= 0) this.queue.splice(index, 1);
  }

  private pump(): void {
    while (this.accepting && this.active.size < this.config.concurrency && this.queue.length) {
      const id = this.queue.shift()!;
      this.queued.delete(id);
      this.active.set(id, { abortReason: null });
      const work = this.claimAndRun(id);
      this.inFlight.add(work);
      void work.finally(() => this.inFlight.delete(work));
    }
  }

  private async claimAndRun(id: string): Promise<void> {
    try {
      const entity = await this.store.claim(id, this.instanceId);
      if (!entity) return; // another instance has it, or it was cancelled meanwhile
      const claim = this.active.get(id);
      if (!this.accepting) {
        // Never started: back to PENDING for the next start rather than FAILED by it.
        await this.store.release(id, this.instanceId);
        return;
      }
      this.events.changed(toTask(entity));
      const controller = new AbortController();
      const pendingAbort = claim && !('controller' in claim) ? claim.abortReason : null;
      const reason = pendingAbort ?? (entity.cancelRequested ? 'cancelled' : null);
      if (reason) controller.abort(new TaskCancelledError(reason));
      const done = this.runner.run(entity, controller);
      this.active.set(id, { controller, done });
      await done;
    } catch (error) {
      this.logger.error(`task ${id} could not be run: ${errorMessage(error)}`);
    } finally {
      this.active.delete(id);
      this.pump();
    }
  }

  private async announce(id: string): Promise<Task> {
    const task = await this.get(id);
    this.events.changed(task);
    return task;
  }

  private async waitUntilStopped(id: string): Promise<void> {
    const local = this.active.get(id);
    if (local && 'controller' in local) {
      await Promise.race([
        local.done,
        sleep(this.config.shutdownGraceMs, undefined, { ref: false }),
      ]);
      return;
    }
    const deadline = Date.now() + this.config.shutdownGraceMs;
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
