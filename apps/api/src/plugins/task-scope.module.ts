import { Global, Module } from '@nestjs/common';
import { taskScopeProviders } from './task-scope.providers';

/**
 * TASK_CONTEXT and TASK_LOGGER for every module: a plugin that lives in a module of its own (and
 * its collaborators there) injects the running task's context without importing PluginsModule.
 */
@Global()
@Module({ providers: taskScopeProviders, exports: taskScopeProviders })
export class TaskScopeModule {}
