// The download formats: a plain text log (one line per entry, the message as written) or NDJSON
// (one contract LogEntry per line).
import type { LogDownloadFormat, LogEntry } from '@taskdeck/contracts';

/** `2026-11-25T06:00:00.123Z INFO    [git] pushed {"ref":"main"}` */
export function formatTextLine(entry: LogEntry): string {
  const metadata = entry.metadata === null ? '' : ` ${JSON.stringify(entry.metadata)}`;
  return `${entry.timestamp} ${entry.level.padEnd(7)} [${entry.source}] ${entry.message}${metadata}\n`;
}

export function formatNdjsonLine(entry: LogEntry): string {
  return `${JSON.stringify(entry)}\n`;
}

/** One string per chunk of entries: few, large writes. */
export async function* formatLog(
  chunks: AsyncIterable<LogEntry[]>,
  format: LogDownloadFormat,
): AsyncGenerator<string, void, undefined> {
  const line = format === 'ndjson' ? formatNdjsonLine : formatTextLine;
  for await (const chunk of chunks) {
    let text = '';
    for (const entry of chunk) text += line(entry);
    yield text;
  }
}

export const DOWNLOAD_CONTENT_TYPES: Record<LogDownloadFormat, string> = {
  text: 'text/plain; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
};

export function downloadFileName(taskId: string, format: LogDownloadFormat): string {
  return `task-${taskId}.${format === 'ndjson' ? 'ndjson' : 'log'}`;
}
