// The write face of the task log: loggers for a task, the task's log life cycle, the stream of
// committed batches (persist, then publish) and the deletion of a task's log.
import { Injectable } from '@nestjs/common';
import type { Observable } from 'rxjs';
import type { EntityManager } from 'typeorm';
import { isUuid } from '../../common/uuid';
import type { TaskLogger } from '../../plugin-api/task-logger';
import { LoggingConfigService } from '../../settings/logging-config.service';
import { TaskLogCounterEntity } from '../entities/task-log-counter.entity';
import { TaskLogEntryEntity } from '../entities/task-log-entry.entity';
import { sanitizeSource } from '../safe-text';
import { BufferedTaskLogger } from './buffered-task-logger';
import type { CommittedLogs } from './log-batch';
import { LogFlusher } from './log-flusher.service';

export type { CommittedLogs, TaskLogBatch } from './log-batch';

/** Source used when the one given is empty after sanitising. */
export const DEFAULT_TASK_LOG_SOURCE = 'task';

@Injectable()
export class TaskLogWriter {
  constructor(
    private readonly flusher: LogFlusher,
    private readonly loggingConfig: LoggingConfigService,
  ) {}

  /** Every commit, after it happened: the entries per task in ascending seq. */
  get committed$(): Observable<CommittedLogs> {
    return this.flusher.committed$;
  }

  /** A logger for the task (source: e.g. the plugin's id). Throws only for a task id that is not a UUID. */
  createLogger(taskId: string, source: string): TaskLogger {
    assertTaskId(taskId);
    return new BufferedTaskLogger(
      this.flusher,
      this.loggingConfig,
      taskId,
      sanitizeSource(source, DEFAULT_TASK_LOG_SOURCE),
    );
  }

  /** Loads where the task's seq numbering continues; call when the task starts running. */
  openTask(taskId: string): Promise<void> {
    assertTaskId(taskId);
    return this.flusher.openTask(taskId);
  }

  /** Resolves when every entry the task logged is stored (and published); call before announcing its end. */
  closeTask(taskId: string): Promise<void> {
    return this.flusher.closeTask(taskId);
  }

  /** Forgets a task's unstored entries; call before deleting its rows (deleteTaskLogs). */
  discardTask(taskId: string): Promise<void> {
    return this.flusher.discardTask(taskId);
  }

  /** Deletes a task's entries and counters inside the caller's transaction (after discardTask). */
  async deleteTaskLogs(taskId: string, manager: EntityManager): Promise<void> {
    await manager.delete(TaskLogEntryEntity, { taskId });
    await manager.delete(TaskLogCounterEntity, { taskId });
  }

  /**
   * Backpressure (TaskContext.yield): resolves at once while the log keeps up, else when the
   * flusher has room again; rejects with the signal's reason once it aborts.
   */
  waitForRoom(signal?: AbortSignal): Promise<void> {
    return this.flusher.waitForRoom(signal);
  }

  /** Resolves when every entry logged so far is stored. */
  flush(): Promise<void> {
    return this.flusher.flush();
  }
}

function assertTaskId(taskId: string): void {
  if (!isUuid(taskId)) {
    throw new TypeError(`task log: task id must be a UUID, got ${JSON.stringify(taskId)}`);
  }
}
