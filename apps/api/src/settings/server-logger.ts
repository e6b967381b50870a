// The server's own log: pino, pretty on a terminal in development, JSON in production, and also
// JSON to LOG_FILE when it is set (log-file-stream.ts: that exact path, rotated beside it). One root logger, so its level can follow the
// `level` setting at runtime (ServerLogLevelService).
import type { LogLevel } from '@taskdeck/contracts';
import pino, { type DestinationStream, type Level, type Logger, type StreamEntry } from 'pino';
import pinoPretty from 'pino-pretty';
import { createLogFileStream } from './log-file-stream';

/** Never logged: credentials in headers, bodies and answers. */
export const REDACTED_PATHS = [
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'password',
  '*.password',
  'accessToken',
  '*.accessToken',
  'token',
  '*.token',
];

const PINO_LEVEL: Record<LogLevel, Level> = {
  DEBUG: 'debug',
  INFO: 'info',
  WARNING: 'warn',
  ERROR: 'error',
};

export function pinoLevel(level: LogLevel): Level {
  return PINO_LEVEL[level];
}

/** Query parameters that may carry a credential are masked in logged URLs. */
export function redactUrl(url: string): string {
  return url.replace(/([?&](?:token|access_token|password|auth)=)[^&]*/gi, '$1[redacted]');
}

export interface ServerLoggerOptions {
  production: boolean;
  /** JSON file at exactly this path, rotated daily and at 50 MB (log-file-stream.ts). */
  logFile?: string;
  /** Tests keep the console quiet. */
  silent?: boolean;
}

export function createRootLogger(options: ServerLoggerOptions): Logger {
  const streams: StreamEntry[] = [];
  if (!options.silent) {
    const console: DestinationStream =
      !options.production && process.stdout.isTTY
        ? pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', sync: true })
        : pino.destination({ fd: 1, sync: false });
    streams.push({ level: 'trace', stream: console });
  }
  if (options.logFile) {
    streams.push({ level: 'trace', stream: createLogFileStream(options.logFile) });
  }
  return pino(
    {
      level: streams.length ? 'info' : 'silent',
      redact: { paths: REDACTED_PATHS, censor: '[redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    pino.multistream(streams),
  );
}
