// A TaskContext for specs: what the code under test logs, under which source and level, and the
// progress it reports, recorded in memory. For plugin specs as much as for the server's own.
import type { LogLevel } from '@taskdeck/contracts';
import type { TaskContext } from '../task-context';
import type { TaskLogger } from '../task-logger';

export interface RecordedLine {
  level: LogLevel;
  source: string;
  message: string;
  metadata?: object;
}

export interface RecordingTaskContext {
  context: TaskContext;
  lines: RecordedLine[];
  progress: number[];
}

/**
 * `logger`, when given, takes the lines instead (e.g. one shared with a Superset client's
 * recorder, or a silent one in a benchmark); `lines` then stays empty.
 */
export function recordingTaskContext(
  options: { source?: string; signal?: AbortSignal; logger?: TaskLogger; taskId?: string } = {},
): RecordingTaskContext {
  const lines: RecordedLine[] = [];
  const progress: number[] = [];
  const logger = (source: string): TaskLogger => {
    const line = (level: LogLevel) => (message: string, metadata?: object) => {
      lines.push(
        metadata === undefined ? { level, source, message } : { level, source, message, metadata },
      );
    };
    return {
      debug: line('DEBUG'),
      info: line('INFO'),
      warning: line('WARNING'),
      error: line('ERROR'),
      withSource: (next) => logger(next),
    };
  };
  const context: TaskContext = {
    taskId: options.taskId ?? '00000000-0000-4000-8000-000000000000',
    params: {},
    logger: options.logger ?? logger(options.source ?? 'task'),
    signal: options.signal ?? new AbortController().signal,
    progress: (percent) => progress.push(percent),
    yield: () => {
      const signal = context.signal;
      if (!signal.aborted) return Promise.resolve();
      return Promise.reject(
        signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError'),
      );
    },
  };
  return { context, lines, progress };
}
