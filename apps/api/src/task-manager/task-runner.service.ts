// One attempt of one claimed task: its TaskContext, the plugin resolved in the task's own DI
// context id and run inside the task's AsyncLocalStorage context, the outcome, then the end —
// stored after the whole log is committed, and announced after it is stored. A failed attempt of a
// retryable plugin with attempts left is not an end: the task stays RUNNING, run by nobody, until
// the queue hands its job out again after the back-off.
import { Inject, Injectable, Logger } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { ContextIdFactory, ModuleRef } from '@nestjs/core';
import { tasksConfig } from '../config';
import { runInTaskContext } from '../plugin-api/current-task';
import type { TaskContext } from '../plugin-api/task-context';
import type { TaskLogger } from '../plugin-api/task-logger';
import { executePlugin, type TaskPlugin } from '../plugin-api/task-plugin';
import { TaskFailure } from '../plugin-api/task-failure';
import { PluginRegistry } from '../plugins/plugin-registry.service';
import { TaskRun } from '../plugins/task-run';
import { TaskLogWriter } from '../task-log/ingest/task-log-writer.service';
import type { TaskEntity } from './entities/task.entity';
import { TaskEventsService } from './task-events.service';
import { attemptLabel, type Attempt } from './task-job-options';
import {
  JobLostError,
  TaskCancelledError,
  errorMessage,
  errorMetadata,
  storableResult,
  type TaskOutcome,
} from './task-outcome';
import { retryWrite } from './store-retry';
import { TaskProgress } from './task-progress';
import { TaskStore } from './task-store.service';
import { toTask } from './task-mapper';

/** A store write that fails (database away) is retried this long before the run gives up on it. */
const STORE_RETRY_MS = 5 * 60_000;

@Injectable()
export class TaskRunner {
  private readonly logger = new Logger(TaskRunner.name);
  private stopping = false;

  constructor(
    private readonly store: TaskStore,
    private readonly registry: PluginRegistry,
    private readonly taskLog: TaskLogWriter,
    private readonly events: TaskEventsService,
    private readonly moduleRef: ModuleRef,
    @Inject(tasksConfig.KEY) private readonly config: ConfigType<typeof tasksConfig>,
  ) {}

  /** From now on a failing store write is retried only for the shutdown grace period. */
  beginShutdown(): void {
    this.stopping = true;
  }

  /**
   * Runs an attempt of a task this instance claimed (RUNNING, owned here). 'finished': the end is
   * stored; 'retry': the attempt failed and the queue should run the task again. Never rejects.
   */
  async run(
    entity: TaskEntity,
    controller: AbortController,
    attempt: Attempt,
  ): Promise<'finished' | 'retry'> {
    const { id, pluginId } = entity;
    const logger = this.taskLog.createLogger(id, pluginId);
    await this.retryStore(`open the log of ${id}`, () => this.taskLog.openTask(id));
    const progress = new TaskProgress(entity, {
      setProgress: (taskId, value) => this.store.setProgress(taskId, value),
      changed: (task) => this.events.changed(task),
    });
    const context: TaskContext = {
      taskId: id,
      params: entity.params,
      logger,
      signal: controller.signal,
      progress: (percent, message) => {
        if (message) logger.info(message);
        progress.report(percent);
      },
      yield: () => this.taskLog.waitForRoom(controller.signal),
    };

    const outcome = await this.execute(entity, context, logger, attempt);
    await progress.settle();
    const retry =
      outcome.status === 'FAILED' && attempt.number < attempt.of && !controller.signal.aborted;
    logEnd(logger, outcome, attempt, retry);
    // The whole log is stored before the final status is: a client that sees the end can read it all.
    await this.retryStore(`store the log of ${id}`, () => this.taskLog.closeTask(id));
    if (retry) {
      await this.retryStore(`release ${id} for its next attempt`, () =>
        this.store.releaseForRetry(id, this.config.instanceId),
      );
      return 'retry';
    }
    const stored = await this.retryStore(`finish ${id}`, () =>
      this.store.finish(id, this.config.instanceId, outcome),
    );
    if (stored) this.events.changed(toTask(stored));
    else if (stored === null) {
      this.logger.warn(
        `task ${id} was deleted or ended elsewhere while it ran; its ${outcome.status} was not stored`,
      );
    }
    return 'finished';
  }

  private async execute(
    entity: TaskEntity,
    context: TaskContext,
    logger: TaskLogger,
    attempt: Attempt,
  ): Promise<TaskOutcome> {
    const { signal } = context;
    try {
      const result = await runInTaskContext(context, async () => {
        const plugin = await this.resolvePlugin(entity, context);
        logger.info(`task started on ${this.config.instanceId}${attemptLabel(attempt)}`, {
          pluginId: entity.pluginId,
          params: entity.params,
        });
        return executePlugin(plugin, entity.params, context);
      });
      // Cancelled, but the plugin finished anyway: still CANCELLED (what the operator asked for),
      // keeping the result it returned.
      if (signal.aborted) return abortedOutcome(signal, storableResult(result));
      return { status: 'SUCCESS', result: storableResult(result), error: null };
    } catch (error) {
      if (signal.aborted) {
        if (!isAbortOutcome(error, signal)) {
          logger.warning(
            `after the abort the task ended with: ${errorMessage(error)}`,
            errorMetadata(error),
          );
        }
        return abortedOutcome(signal, null);
      }
      // A TaskFailure keeps what the plugin got so far as the result.
      const result = error instanceof TaskFailure ? storableResult(error.result) : null;
      return { status: 'FAILED', result, error: errorMessage(error), cause: error };
    }
  }

  /** The plugin in a DI context of its own, where TASK_CONTEXT and TASK_LOGGER are this run's. */
  private async resolvePlugin(entity: TaskEntity, context: TaskContext): Promise<TaskPlugin> {
    const registered = this.registry.get(entity.pluginId);
    if (!registered) throw new Error(`plugin "${entity.pluginId}" is not installed on this server`);
    const contextId = ContextIdFactory.create();
    this.moduleRef.registerRequestByContextId(
      new TaskRun(entity.id, entity.pluginId, context),
      contextId,
    );
    return this.moduleRef.resolve(registered.type, contextId, { strict: false });
  }

  /** Retries a write while the database is away (bounded); undefined when it never succeeded. */
  retryStore<T>(what: string, write: () => Promise<T>): Promise<T | undefined> {
    const deadline = Date.now() + (this.stopping ? this.config.shutdownGraceMs : STORE_RETRY_MS);
    return retryWrite(what, write, deadline, this.logger);
  }
}

/** Stopped from outside: CANCELLED (cancel, shutdown), or FAILED when the queue took the job back. */
function abortedOutcome(signal: AbortSignal, result: unknown): TaskOutcome {
  if (signal.reason instanceof JobLostError) {
    return { status: 'FAILED', result: null, error: signal.reason.reason };
  }
  const reason = signal.reason instanceof TaskCancelledError ? signal.reason.reason : 'cancelled';
  return { status: 'CANCELLED', result, error: reason };
}

/** The attempt's last line in the task's log. */
function logEnd(logger: TaskLogger, outcome: TaskOutcome, attempt: Attempt, retry: boolean): void {
  const message = outcome.error ?? outcome.status.toLowerCase();
  switch (outcome.status) {
    case 'SUCCESS':
      logger.info('task succeeded');
      return;
    case 'CANCELLED':
      logger.warning(message);
      return;
    case 'FAILED':
      if (retry) {
        logger.warning(
          `attempt ${attempt.number} of ${attempt.of} failed: ${message}; the task runs again after a back-off`,
          errorMetadata(outcome.cause),
        );
      } else if (outcome.cause !== undefined) {
        logger.error(
          `task failed${attemptLabel(attempt)}: ${message}`,
          errorMetadata(outcome.cause),
        );
      } else {
        logger.error(`task failed${attemptLabel(attempt)}: ${message}`);
      }
  }
}

/** The plugin stopped because of the abort (threw the signal's reason or an AbortError). */
function isAbortOutcome(error: unknown, signal: AbortSignal): boolean {
  return error === signal.reason || (error instanceof Error && error.name === 'AbortError');
}
