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
  /**
   * Backpressure: await it in loops that log a lot. Resolves at once while the task log keeps up;
   * while more than a batch of entries wait for the database, it waits until the flusher has taken
   * them (also through a database outage). Rejects with the cancellation error once the task is
   * cancelled (as `signal` aborts). Logging itself never blocks: a plugin that does not yield is
   * slowed by nothing, and what the database does not take in time goes to the spill on disk.
   */
  yield(): Promise<void>;
}

/** Injection token for the current task's context, resolvable in a task's DI scope. */
export const TASK_CONTEXT = Symbol('TASK_CONTEXT');
