// The task context of the code running now, across awaits: how belief scopes and code that was
// not handed a context (plugins with the older execute(params), helpers deep in a call chain) find
// the running task.
import { AsyncLocalStorage } from 'node:async_hooks';
import type { TaskContext } from './task-context';

const storage = new AsyncLocalStorage<TaskContext>();

export function runInTaskContext<T>(context: TaskContext, fn: () => T): T {
  return storage.run(context, fn);
}

/** The context of the task whose code is running, or undefined outside of a task. */
export function currentTaskContext(): TaskContext | undefined {
  return storage.getStore();
}
