// What a task log call leaves in the buffer: made safe for Postgres and serialised at call time, so
// that the flusher only numbers and copies strings.
import {
  LOG_LEVELS,
  LOG_MESSAGE_MAX_BYTES,
  LOG_MESSAGE_TRUNCATED_MARKER,
  LOG_SOURCE_MAX_LENGTH,
  type LogLevel,
} from '@taskdeck/contracts';
import { metadataToJson } from './metadata-json';
import { sanitizeText, truncateUtf8 } from './safe-text';

/** DEBUG 0, INFO 1, WARNING 2, ERROR 3: what task_log_entries.level stores. */
export type LevelRank = 0 | 1 | 2 | 3;

export const LEVEL_RANK: Readonly<Record<LogLevel, LevelRank>> = {
  DEBUG: 0,
  INFO: 1,
  WARNING: 2,
  ERROR: 3,
};

export function levelName(rank: LevelRank): LogLevel {
  return LOG_LEVELS[rank];
}

export interface LogRecord {
  taskId: string;
  /** Epoch milliseconds of the call. */
  ts: number;
  level: LevelRank;
  source: string;
  message: string;
  /** JSON text of a plain object, or null. */
  metadataJson: string | null;
  /** Memory the record holds, roughly: what the buffer's byte bound counts. */
  approxBytes: number;
  /** Call order across all tasks, stamped by LogBuffer.push; the flush cursor. */
  pos: number;
}

/** Strings, the object and the buffer slot: a rough fixed cost per record. */
const RECORD_OVERHEAD_BYTES = 160;
const UNPRINTABLE_MESSAGE = '[message could not be converted to text]';

export function createLogRecord(
  taskId: string,
  level: LevelRank,
  source: string,
  message: unknown,
  metadata: unknown,
): LogRecord {
  const text = sanitizeMessage(message);
  const metadataJson = metadataToJson(metadata);
  return {
    taskId,
    ts: Date.now(),
    level,
    source,
    message: text,
    metadataJson,
    approxBytes:
      RECORD_OVERHEAD_BYTES + 2 * (text.length + (metadataJson === null ? 0 : metadataJson.length)),
    pos: 0,
  };
}

/** Any value → message text: safe for Postgres, at most LOG_MESSAGE_MAX_BYTES UTF-8 bytes. */
export function sanitizeMessage(message: unknown): string {
  let text: string;
  if (typeof message === 'string') {
    text = message;
  } else if (message === undefined || message === null) {
    text = '';
  } else {
    try {
      // Whatever the plugin passed: String() is what a console would show for it.
      // eslint-disable-next-line @typescript-eslint/no-base-to-string
      text = String(message);
    } catch {
      text = UNPRINTABLE_MESSAGE; // e.g. an object whose toString throws, or a Symbol.toPrimitive trap
    }
  }
  return truncateUtf8(sanitizeText(text), LOG_MESSAGE_MAX_BYTES, LOG_MESSAGE_TRUNCATED_MARKER);
}

/**
 * A source tag as stored: text, trimmed, no control characters, at most 100 characters;
 * `fallback` when nothing is left.
 */
export function sanitizeSource(source: unknown, fallback: string): string {
  let text: string;
  try {
    if (typeof source === 'string') text = source;
    else if (source === undefined || source === null) text = '';
    // eslint-disable-next-line @typescript-eslint/no-base-to-string -- any value a plugin passes
    else text = String(source);
  } catch {
    text = '';
  }
  // eslint-disable-next-line no-control-regex
  text = sanitizeText(text.replace(/[\u0000-\u001f\u007f]/g, ' ')).trim();
  if (text.length > LOG_SOURCE_MAX_LENGTH) {
    text = text.slice(0, LOG_SOURCE_MAX_LENGTH);
    // Do not end on half a surrogate pair.
    if (/[\uD800-\uDBFF]$/.test(text)) text = text.slice(0, -1);
    text = text.trimEnd();
  }
  return text === '' ? fallback : text;
}
