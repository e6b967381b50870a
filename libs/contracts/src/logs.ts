import type { LogLevel } from './levels';

/** One entry of a task's log. `seq` starts at 1 per task and is the cursor everywhere. */
export interface LogEntry {
  taskId: string;
  seq: number;
  timestamp: string;
  level: LogLevel;
  source: string;
  message: string;
  metadata: Record<string, unknown> | null;
}

/** Query of `GET /api/tasks/:id/logs` (all optional, combined with AND). */
export interface LogQuery {
  /** Minimum level. */
  level?: LogLevel;
  /** One source or several, comma-separated in the query string. */
  source?: string;
  /** Case-insensitive substring of the message, matched literally. */
  search?: string;
  afterSeq?: number;
  beforeSeq?: number;
  /** 1–1000, default 100. */
  limit?: number;
}

export interface LogPage {
  /** Ascending seq. */
  items: LogEntry[];
  /** The `afterSeq` of the next page, or null at the end. */
  nextCursor: number | null;
  /** The `beforeSeq` that loads the page of older entries, or null when there are none. */
  prevCursor: number | null;
}

export interface LogStats {
  total: number;
  byLevel: Record<LogLevel, number>;
  bySource: Record<string, number>;
}

export const LOG_DOWNLOAD_FORMATS = ['text', 'ndjson'] as const;
export type LogDownloadFormat = (typeof LOG_DOWNLOAD_FORMATS)[number];

/** A log filter (REST `source`, socket `sources`) names at most this many sources. */
export const LOG_FILTER_MAX_SOURCES = 50;
/** A source has at most this many characters, as stored and as filtered on. */
export const LOG_SOURCE_MAX_LENGTH = 100;
/** A `search` has at most this many characters. */
export const LOG_SEARCH_MAX_LENGTH = 500;

export const LOG_PAGE_DEFAULT_LIMIT = 100;
export const LOG_PAGE_MAX_LIMIT = 1000;
/** Messages longer than this many bytes (UTF-8) are cut and end with LOG_MESSAGE_TRUNCATED_MARKER. */
export const LOG_MESSAGE_MAX_BYTES = 64 * 1024;
export const LOG_MESSAGE_TRUNCATED_MARKER = '… [truncated]';
