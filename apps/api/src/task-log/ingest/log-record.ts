// What a task log call leaves in the buffer: made safe for Postgres and serialised at call time, so
// that the flusher only numbers and copies strings.
import { LOG_MESSAGE_MAX_BYTES, LOG_MESSAGE_TRUNCATED_MARKER } from '@taskdeck/contracts';
import type { LevelRank } from '../level-rank';
import { sanitizeText, truncateUtf8 } from '../safe-text';
import { metadataToJson } from './metadata-json';

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
export const RECORD_OVERHEAD_BYTES = 160;
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
