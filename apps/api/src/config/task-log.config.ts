import { join, resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { envInt, envString } from './env';

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
   * The spill (log-spill.ts): entries past the in-memory queue go to append-only files here, and
   * are committed in order once the database catches up. Each instance needs its own directory.
   */
  spillDir: resolve(
    envString(
      process.env,
      'TASK_LOG_SPILL_DIR',
      join(envString(process.env, 'DATA_DIR', './data'), 'log-spill'),
    ),
  ),
  /** Disk the spill may use; past it entries are dropped as without it. 0: no spill. */
  spillMaxBytes: envInt(process.env, 'TASK_LOG_SPILL_MAX_BYTES', 1024 ** 3, 0, 1024 ** 4),
  /**
   * How often the trigram search index's pending list is merged, off the commit path, once enough
   * rows were written (search-index-maintainer.ts); 0 leaves it to the inserts and autovacuum.
   */
  searchIndexMergeMs: envInt(process.env, 'TASK_LOG_SEARCH_INDEX_MERGE_MS', 200, 0, 60_000),
}));
