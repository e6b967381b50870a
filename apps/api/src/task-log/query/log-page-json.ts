// A page of the log as PostgreSQL's text, and its JSON: the HTTP page route sends the entries' text
// as it came from the driver, written once into the answer's JSON, instead of parsing every field
// (bigint, jsonb) into objects only to stringify them again. The same rows give the LogPage
// objects of the live stream's replay (toLogEntry). docs/performance-notes.md, "The HTTP path".
import type { LogEntry } from '@taskdeck/contracts';
import { levelName, type LevelRank } from '../level-rank';

/**
 * One entry as PostgreSQL's text output: seq, ts (ISO 8601, see ENTRY_COLUMNS), level rank, source,
 * message, metadata (jsonb text) or null.
 */
export type RawEntry = [string, string, string, string, string, string | null];

/** A page before it is turned into objects or JSON: the entries in ascending seq, and the cursors. */
export interface RawLogPage {
  entries: RawEntry[];
  nextCursor: number | null;
  prevCursor: number | null;
}

export function toLogEntry(taskId: string, row: RawEntry): LogEntry {
  return {
    taskId,
    seq: Number(row[0]),
    timestamp: row[1],
    level: levelName(Number(row[2]) as LevelRank),
    source: row[3],
    message: row[4],
    metadata: row[5] === null ? null : (JSON.parse(row[5]) as Record<string, unknown>),
  };
}

/**
 * The JSON of `{ items, nextCursor, prevCursor }` (LogPage), written from the text: seq and metadata
 * are PostgreSQL's own valid JSON (a bigint, a jsonb value), the strings are JSON.stringify'd.
 * JSON.parse of it equals the LogPage of the same rows (log-page-json.spec.ts).
 */
export function logPageJson(taskId: string, page: RawLogPage): string {
  const id = JSON.stringify(taskId);
  let out = '{"items":[';
  for (let i = 0; i < page.entries.length; i++) {
    const [seq, ts, level, source, message, metadata] = page.entries[i];
    if (i > 0) out += ',';
    out +=
      `{"taskId":${id},"seq":${seq},"timestamp":${JSON.stringify(ts)},` +
      `"level":"${levelName(Number(level) as LevelRank)}","source":${JSON.stringify(source)},` +
      `"message":${JSON.stringify(message)},"metadata":${metadata ?? 'null'}}`;
  }
  return `${out}],"nextCursor":${page.nextCursor},"prevCursor":${page.prevCursor}}`;
}
