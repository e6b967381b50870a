// The plugin API (CONTRACT.md "Plugin API") and the decorator that registers a plugin class.
import { Injectable, SetMetadata, applyDecorators, type Type } from '@nestjs/common';
import type { JsonSchema, PluginInfo } from '@taskdeck/contracts';
import type { TaskContext } from '../task-log/task-context';

export type { TaskContext } from '../task-log/task-context';
export type { TaskLogger } from '../task-log/task-logger';

export interface TaskPlugin<P = unknown, R = unknown> {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** JSON Schema for P. */
  readonly paramsSchema: object;
  execute(params: P, context: TaskContext): Promise<R>;
}

/**
 * A plugin written against the older signature: no context argument. What it logs through the
 * task's default logger (inject TASK_LOGGER, or currentTaskContext()) carries its id as source.
 */
export interface LegacyTaskPlugin<P = unknown, R = unknown> {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  readonly paramsSchema: object;
  execute(params: P): Promise<R>;
}

export interface TaskPluginMetadata {
  id: string;
  name: string;
  description: string;
  paramsSchema: JsonSchema;
  /**
   * Declares the plugin safe to run again after a failed run (no harmful side effects twice).
   * Absent: a failed run is final, and a task whose worker died ends FAILED.
   */
  retry?: RetryPolicy;
}

/** How a retryable plugin's task is run again after a failed attempt (exponential back-off). */
export interface RetryPolicy {
  /** Attempts in all, the first one included: 2 to 10. */
  attempts: number;
  /** Back-off before the second attempt, in seconds (default 10); it doubles, with jitter, after. */
  delaySeconds?: number;
  /** The longest back-off, in seconds (default 600). */
  maxDelaySeconds?: number;
}

export const TASK_PLUGIN_METADATA = 'taskdeck:taskPlugin';

/**
 * Marks a provider as a task plugin and states what the registry lists without instantiating it
 * (a plugin that injects TASK_CONTEXT is created per task). Add the class to PluginsModule.
 */
export function TaskPluginDefinition(metadata: TaskPluginMetadata): ClassDecorator {
  return applyDecorators(Injectable(), SetMetadata(TASK_PLUGIN_METADATA, metadata));
}

/** A registered plugin: its metadata and its class (resolved per task through Nest DI). */
export interface RegisteredPlugin {
  info: PluginInfo;
  type: Type<TaskPlugin | LegacyTaskPlugin>;
  /** Null: not retryable. */
  retry: RetryPolicy | null;
}
