// What the task manager uses: loggers for a task and the task's log life cycle.
import { Injectable } from '@nestjs/common';
import { isUuid } from '../common/uuid';
import { LoggingConfigService } from '../settings/logging-config.service';
import { BufferedTaskLogger } from './buffered-task-logger';
import { sanitizeSource } from './log-record';
import { TaskLogWriter } from './task-log-writer';
import type { TaskLogger } from '../plugin-api/task-logger';

/** Source used when the one given is empty after sanitising. */
export const DEFAULT_TASK_LOG_SOURCE = 'task';

@Injectable()
export class TaskLogService {
  constructor(
    private readonly writer: TaskLogWriter,
    private readonly loggingConfig: LoggingConfigService,
  ) {}

  /** A logger for the task (source: e.g. the plugin's id). Throws only for a task id that is not a UUID. */
  createLogger(taskId: string, source: string): TaskLogger {
    assertTaskId(taskId);
    return new BufferedTaskLogger(
      this.writer,
      this.loggingConfig,
      taskId,
      sanitizeSource(source, DEFAULT_TASK_LOG_SOURCE),
    );
  }

  /** Loads where the task's seq numbering continues; call when the task starts running. */
  openTask(taskId: string): Promise<void> {
    assertTaskId(taskId);
    return this.writer.openTask(taskId);
  }

  /** Resolves when every entry the task logged is stored (and published); call before announcing its end. */
  closeTask(taskId: string): Promise<void> {
    return this.writer.closeTask(taskId);
  }

  /** Forgets a task's unstored entries; call before deleting its rows (deleteTaskLogs). */
  discardTask(taskId: string): Promise<void> {
    return this.writer.discardTask(taskId);
  }

  /** Resolves when every entry logged so far is stored. */
  flush(): Promise<void> {
    return this.writer.flush();
  }
}

function assertTaskId(taskId: string): void {
  if (!isUuid(taskId)) {
    throw new TypeError(`task log: task id must be a UUID, got ${JSON.stringify(taskId)}`);
  }
}
