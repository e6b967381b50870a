import { registerAs } from '@nestjs/config';
import { envInt } from './env';

/** The log buffer and its flusher (group commit). */
export const taskLogConfig = registerAs('taskLog', () => ({
  /** Flush as soon as this many entries wait. */
  batchSize: envInt(process.env, 'TASK_LOG_BATCH_SIZE', 2000, 1, 50_000),
  /** Flush at the latest this long after the first waiting entry arrived. */
  flushIntervalMs: envInt(process.env, 'TASK_LOG_FLUSH_MS', 20, 1, 10_000),
  /** Entries held while the database is unreachable; past it, the lowest levels are dropped. */
  bufferCapacity: envInt(process.env, 'TASK_LOG_BUFFER_CAPACITY', 200_000, 1000, 10_000_000),
  /** Same bound in bytes (message + metadata, approximate). */
  bufferMaxBytes: envInt(
    process.env,
    'TASK_LOG_BUFFER_MAX_BYTES',
    128 * 1024 * 1024,
    1024 * 1024,
    8 * 1024 ** 3,
  ),
  /**
   * How often the trigram search index's pending list is merged, off the commit path, once enough
   * rows were written (search-index-maintainer.ts); 0 leaves it to the inserts and autovacuum.
   */
  searchIndexMergeMs: envInt(process.env, 'TASK_LOG_SEARCH_INDEX_MERGE_MS', 200, 0, 60_000),
}));
