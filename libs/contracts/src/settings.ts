import type { LogLevel } from './levels';

export interface LoggingConfig {
  /** Minimum level of the server's own log (console and file). */
  level: LogLevel;
  /** Minimum level a task log entry needs to be stored and streamed. */
  taskLogLevel: LogLevel;
  /** Belief-scope tracing (entry / exit / coherence lines at DEBUG). */
  enableBeliefState: boolean;
}

export type UpdateLoggingConfigRequest = Partial<LoggingConfig>;

export const DEFAULT_LOGGING_CONFIG: LoggingConfig = {
  level: 'INFO',
  taskLogLevel: 'INFO',
  enableBeliefState: true,
};
