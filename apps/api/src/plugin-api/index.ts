// The plugin API: what a plugin author imports, from one place (docs/plugin_dev.md).
export { BeliefScope, beliefScope } from './belief-scope';
export { currentTaskContext } from './current-task';
export { TASK_CONTEXT, type TaskContext } from './task-context';
export { TASK_LOGGER, type TaskLogger } from './task-logger';
export { TaskFailure } from './task-failure';
export {
  TaskPluginBase,
  TaskPluginDefinition,
  type TaskPlugin,
  type TaskPluginDefinitionOptions,
} from './task-plugin';
