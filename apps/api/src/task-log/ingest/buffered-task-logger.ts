// The TaskLogger a plugin holds: filters by the configured level, builds the record and leaves it in
// the buffer. Never awaits, never throws into the plugin.
import { Logger } from '@nestjs/common';
import { RateLimitedWarning } from '../../common/rate-limited-warning';
import type { TaskLogger } from '../../plugin-api/task-logger';
import type { LevelRank } from '../level-rank';
import { sanitizeSource } from '../safe-text';
import { createLogRecord } from './log-record';
import type { LogRecordSink } from './log-flusher.service';

/** What the logger reads on every call; LoggingConfigService has it (runtime changes apply at once). */
export interface TaskLogLevelSource {
  readonly taskLogLevelRank: number;
}

/** withSource loggers kept per task; a plugin inventing sources without end gets fresh ones. */
const MAX_CACHED_SOURCES = 256;
const WARN_EVERY_MS = 10_000;

export class BufferedTaskLogger implements TaskLogger {
  /** One for the whole process: a failing call fails the same way in every task. */
  private static readonly failures = new RateLimitedWarning(
    new Logger(BufferedTaskLogger.name),
    WARN_EVERY_MS,
  );

  /**
   * @param source already sanitised (see sanitizeSource)
   * @param family the loggers of this task by source, shared by withSource
   */
  constructor(
    private readonly sink: LogRecordSink,
    private readonly levels: TaskLogLevelSource,
    readonly taskId: string,
    readonly source: string,
    private readonly family: Map<string, BufferedTaskLogger> = new Map(),
  ) {
    if (!family.has(source)) family.set(source, this);
  }

  debug(message: string, metadata?: object): void {
    this.log(0, message, metadata);
  }

  info(message: string, metadata?: object): void {
    this.log(1, message, metadata);
  }

  warning(message: string, metadata?: object): void {
    this.log(2, message, metadata);
  }

  error(message: string, metadata?: object): void {
    this.log(3, message, metadata);
  }

  withSource(source: string): TaskLogger {
    try {
      const clean = sanitizeSource(source, this.source);
      const known = this.family.get(clean);
      if (known) return known;
      if (this.family.size >= MAX_CACHED_SOURCES) {
        return new BufferedTaskLogger(this.sink, this.levels, this.taskId, clean, new Map());
      }
      return new BufferedTaskLogger(this.sink, this.levels, this.taskId, clean, this.family);
    } catch (error) {
      BufferedTaskLogger.report(error);
      return this;
    }
  }

  private log(level: LevelRank, message: unknown, metadata: unknown): void {
    try {
      // Read on each call: a settings change applies to the very next entry. Dropped entries take no seq.
      if (level < this.levels.taskLogLevelRank) return;
      this.sink.append(createLogRecord(this.taskId, level, this.source, message, metadata));
    } catch (error) {
      BufferedTaskLogger.report(error);
    }
  }

  private static report(error: unknown): void {
    try {
      BufferedTaskLogger.failures.warn(
        () => `a task log call failed and was ignored: ${String(error)}`,
      );
    } catch {
      // The server log is gone too: the plugin must still not see it.
    }
  }
}
