// A task plugin (docs/plugin_dev.md): the TaskPlugin interface that the registry and the runner see,
// and how a plugin class states its id, name, description and params schema — once, in
// @TaskPluginDefinition — and gets them as fields by extending TaskPluginBase.
import { Injectable, SetMetadata, applyDecorators } from '@nestjs/common';
import type { JsonSchema, PluginInfo } from '@taskdeck/contracts';
import { beliefScope } from './belief-scope';
import type { TaskContext } from './task-context';

export interface TaskPlugin<P = unknown, R = unknown> {
  readonly id: string;
  readonly name: string;
  readonly description: string;
  /** JSON Schema for P. */
  readonly paramsSchema: object;
  execute(params: P, context: TaskContext): Promise<R>;
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

/**
 * What a plugin states once about itself, in @TaskPluginDefinition: what GET /api/plugins lists,
 * the checks its params need beyond their JSON Schema, and whether a failed run may be retried.
 */
export interface TaskPluginDefinitionOptions extends PluginInfo {
  /**
   * What JSON Schema cannot say about the params (e.g. that a pattern compiles), checked by the
   * registry after the schema, before the task is stored: each problem returned is a reason of the
   * 400 (`params/pattern is not …`). Static, so the registry needs no instance of the plugin.
   */
  checkParams?: (params: Record<string, unknown>) => string[];
  /**
   * Declares the plugin safe to run again after a failed run (no harmful side effects twice).
   * Absent: a failed run is final, and a task whose worker died ends FAILED.
   */
  retry?: RetryPolicy;
}

const TASK_PLUGIN_DEFINITION = 'taskdeck:taskPlugin';

/**
 * What every plugin class extends: id, name, description and paramsSchema are read from the
 * class's @TaskPluginDefinition, so the class only writes execute().
 *
 * execute may leave out the context (the older signature, `execute(params)`): the runner passes
 * it all the same, and such a plugin finds its task through currentTaskContext() or by injecting
 * TASK_CONTEXT / TASK_LOGGER. What it logs through that default logger carries its id as source.
 */
export abstract class TaskPluginBase<P = unknown, R = unknown> implements TaskPlugin<P, R> {
  get id(): string {
    return definitionOf(this).id;
  }

  get name(): string {
    return definitionOf(this).name;
  }

  get description(): string {
    return definitionOf(this).description;
  }

  get paramsSchema(): JsonSchema {
    return definitionOf(this).paramsSchema;
  }

  abstract execute(params: P, context: TaskContext): Promise<R>;
}

/** A plugin class: what @TaskPluginDefinition decorates and the registry resolves per task. */
export type TaskPluginClass = abstract new (...args: never[]) => TaskPluginBase;

/**
 * Marks a plugin class (an @Injectable provider: add it to PluginsModule) and states what
 * GET /api/plugins lists for it, read without creating the plugin (a plugin that injects
 * TASK_CONTEXT is created per task).
 */
export function TaskPluginDefinition(
  definition: TaskPluginDefinitionOptions,
): (target: TaskPluginClass) => void {
  return applyDecorators(Injectable(), SetMetadata(TASK_PLUGIN_DEFINITION, definition));
}

/** The definition of a class decorated with @TaskPluginDefinition; undefined for any other. */
export function taskPluginDefinition(type: unknown): TaskPluginDefinitionOptions | undefined {
  if (typeof type !== 'function') return undefined;
  return Reflect.getMetadata(TASK_PLUGIN_DEFINITION, type) as
    TaskPluginDefinitionOptions | undefined;
}

function definitionOf(plugin: object): TaskPluginDefinitionOptions {
  const definition = taskPluginDefinition(plugin.constructor);
  if (!definition) {
    throw new Error(`${plugin.constructor.name} has no @TaskPluginDefinition`);
  }
  return definition;
}

/**
 * Runs one task's plugin in a belief scope named after it. The runner calls it inside the task's
 * AsyncLocalStorage context (runInTaskContext), which is what a plugin with the older
 * execute(params) reads its task from; the context argument is harmless to it.
 */
export function executePlugin<R>(
  plugin: TaskPlugin<unknown, R>,
  params: unknown,
  context: TaskContext,
): Promise<R> {
  return beliefScope(`task ${plugin.id}`, () => plugin.execute(params, context));
}
