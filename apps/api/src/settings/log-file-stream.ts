// LOG_FILE: the server log as JSON lines, written to exactly the configured path (log shippers
// follow that path). At 50 MB, and at midnight UTC, the current file is renamed to
// `<name>.<YYYY-MM-DD>.<n>` next to it and a new one is started at the path; the 14 newest
// rotated files are kept. rotating-file-stream does the renaming, logrotate-style; it lists the
// rotated files it owns in `.<name>.history`.
import { mkdirSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { createStream, type Options, type RotatingFileStream } from 'rotating-file-stream';

export const LOG_FILE_ROTATION = { size: '50M', interval: '1d', maxFiles: 14 } as const;

/** The name a rotated file gets: the date its period began (UTC), and a counter for that day. */
export function rotatedName(name: string, time: Date, index: number): string {
  return `${name}.${time.toISOString().slice(0, 10)}.${index}`;
}

export function createLogFileStream(
  path: string,
  rotation: Pick<Options, 'size' | 'interval' | 'maxFiles'> = LOG_FILE_ROTATION,
): RotatingFileStream {
  const name = basename(path);
  mkdirSync(dirname(path), { recursive: true });
  return createStream(
    (time, index) => (time ? rotatedName(name, new Date(time), index ?? 1) : name),
    {
      ...rotation,
      path: dirname(path),
      intervalUTC: true,
      history: `.${name}.history`,
    },
  );
}
