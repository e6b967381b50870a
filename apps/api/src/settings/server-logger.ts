// The server's own log: pino, pretty on a terminal in development, JSON in production, and also
// JSON to a rotating file when LOG_FILE is set. One root logger, so its level can follow the
// `level` setting at runtime (ServerLogLevelService).
import type { LogLevel } from '@taskdeck/contracts';
import pino, { type DestinationStream, type Level, type Logger, type StreamEntry } from 'pino';
import pinoPretty from 'pino-pretty';
import pinoRoll from 'pino-roll';

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
  /** Rotating JSON file (daily and at 50 MB, 14 files kept). */
  logFile?: string;
  /** Tests keep the console quiet. */
  silent?: boolean;
}

export async function createRootLogger(options: ServerLoggerOptions): Promise<Logger> {
  const streams: StreamEntry[] = [];
  if (!options.silent) {
    const console: DestinationStream =
      !options.production && process.stdout.isTTY
        ? pinoPretty({ colorize: true, translateTime: 'SYS:HH:MM:ss.l', sync: true })
        : pino.destination({ fd: 1, sync: false });
    streams.push({ level: 'trace', stream: console });
  }
  if (options.logFile) {
    const file = await pinoRoll({
      file: options.logFile,
      frequency: 'daily',
      size: '50m',
      mkdir: true,
      limit: { count: 14 },
    });
    streams.push({ level: 'trace', stream: file });
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
