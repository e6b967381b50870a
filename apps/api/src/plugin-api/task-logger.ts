// The logging API a plugin sees (docs/plugin_dev.md). A call never blocks on the database and
// never throws into the plugin.
export interface TaskLogger {
  debug(message: string, metadata?: object): void;
  info(message: string, metadata?: object): void;
  warning(message: string, metadata?: object): void;
  error(message: string, metadata?: object): void;
  /** Same task, another source tag. */
  withSource(source: string): TaskLogger;
}

/** Injection token for the current task's default logger (source: the plugin's id). */
export const TASK_LOGGER = Symbol('TASK_LOGGER');
