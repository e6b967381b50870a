// How a log entry reads as text: its local time with milliseconds and the copied line.
import type { LogEntry } from '@taskdeck/contracts';

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** Local wall-clock time with milliseconds, e.g. `14:03:07.042`. */
export function localTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}.${pad(d.getMilliseconds(), 3)}`;
}

/** Local date and time, for tooltips. */
export function localDateTime(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${localTime(iso)}`;
}

/** One line as it is copied: the same shape as the text download. */
export function entryAsText(entry: LogEntry): string {
  const metadata = entry.metadata ? ` ${JSON.stringify(entry.metadata)}` : '';
  return `${entry.timestamp} ${entry.level} [${entry.source}] ${entry.message}${metadata}`;
}

export function metadataJson(entry: LogEntry): string {
  return JSON.stringify(entry.metadata, null, 2);
}
