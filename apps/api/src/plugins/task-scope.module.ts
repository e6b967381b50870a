import { Global, Module, Scope, type Provider } from '@nestjs/common';
import { REQUEST } from '@nestjs/core';
import { TASK_CONTEXT } from '../plugin-api/task-context';
import { TASK_LOGGER } from '../plugin-api/task-logger';
import { TaskRun } from './task-run';

/** The run a task-scoped provider is created for; anything else (an HTTP request) is a wiring bug. */
function taskRun(request: unknown, token: string): TaskRun {
  if (request instanceof TaskRun) return request;
  throw new Error(`${token} can only be injected into providers resolved for a task run`);
}

/**
 * Per-task providers: the runner registers each run as the "request" of the run's DI context id,
 * so a plugin and every collaborator it injects get that run's context.
 */
const taskScopeProviders: Provider[] = [
  {
    provide: TASK_CONTEXT,
    scope: Scope.REQUEST,
    inject: [REQUEST],
    useFactory: (request: unknown) => taskRun(request, 'TASK_CONTEXT').context,
  },
  {
    provide: TASK_LOGGER,
    scope: Scope.REQUEST,
    inject: [REQUEST],
    useFactory: (request: unknown) => taskRun(request, 'TASK_LOGGER').logger,
  },
];

/**
 * TASK_CONTEXT and TASK_LOGGER for every module: a plugin that lives in a module of its own (and
 * its collaborators there) injects the running task's context without importing PluginsModule.
 */
@Global()
@Module({ providers: taskScopeProviders, exports: taskScopeProviders })
export class TaskScopeModule {}
