// What a plugin receives for one task run (docs/api.md and docs/plugin_dev.md, "The API").
import type { TaskLogger } from './task-logger';

export interface TaskContext {
  readonly taskId: string;
  readonly params: unknown;
  /** Default source: the plugin's id. */
  readonly logger: TaskLogger;
  /** Aborted on cancel and on shutdown. */
  readonly signal: AbortSignal;
  progress(percent: number, message?: string): void;
}

/** Injection token for the current task's context, resolvable in a task's DI scope. */
export const TASK_CONTEXT = Symbol('TASK_CONTEXT');
