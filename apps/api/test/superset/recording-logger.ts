// A TaskLogger that keeps every line, for tests that read what a client or plugin logged.
import type { TaskLogger } from '../../src/plugin-api';

export interface LoggedLine {
  level: 'DEBUG' | 'INFO' | 'WARNING' | 'ERROR';
  source: string;
  message: string;
  metadata?: object;
}

export function recordingLogger(
  lines: LoggedLine[] = [],
  source = 'test',
): TaskLogger & { lines: LoggedLine[] } {
  const push = (level: LoggedLine['level']) => (message: string, metadata?: object) => {
    lines.push({ level, source, message, metadata });
  };
  return {
    lines,
    debug: push('DEBUG'),
    info: push('INFO'),
    warning: push('WARNING'),
    error: push('ERROR'),
    withSource: (next: string) => recordingLogger(lines, next),
  };
}
