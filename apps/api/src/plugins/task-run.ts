import type { TaskContext } from '../plugin-api/task-context';
import type { TaskLogger } from '../plugin-api/task-logger';

/**
 * One run of one task, registered as the "request" of the task's DI context id: TASK_CONTEXT and
 * TASK_LOGGER resolve from it for the plugin and every task-scoped provider it injects.
 */
export class TaskRun {
  constructor(
    readonly taskId: string,
    readonly pluginId: string,
    readonly context: TaskContext,
  ) {}

  get logger(): TaskLogger {
    return this.context.logger;
  }
}
