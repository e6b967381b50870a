// Keeps the trigram search index's pending list short, off the commit path.
//
// A GIN index with fastupdate (the default) takes new rows into a pending list and merges that list
// into the index in bulk — much cheaper than inserting every trigram of every message one by one
// (without it the flusher fell behind 10k entries/s on a 2-core machine). But the merge runs
// inside the insert that fills the list past gin_pending_list_limit (4 MB): under a steady stream
// of logs, every second or so one batch's COPY stalls for 50–100 ms, and so does the live stream
// behind it. This service merges the list itself, on a pool connection, every `searchIndexMergeMs`
// once enough rows were committed, so the list never fills and the flusher's transactions stay
// short. Concurrent inserts keep appending
// while a merge runs; merges from several instances wait for each other in PostgreSQL.
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnApplicationBootstrap,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { RateLimitedWarning } from '../../common/rate-limited-warning';
import { taskLogConfig } from '../../config/task-log.config';
import { LogFlusher } from './log-flusher.service';

/** The index the migrations create for message search (ILIKE). */
export const SEARCH_INDEX = 'task_log_entries_message_trgm_idx';
/** Fewer new rows than this are left in the list: merging a handful costs more than it saves. */
export const MERGE_AFTER_ROWS = 1000;
const MERGE_SQL = 'SELECT gin_clean_pending_list($1::regclass) AS pages';
/** Errors that will not go away by retrying: no such index, or the role does not own it. */
const PERMANENT = new Set(['42501', '42P01', '42704']);
const WARN_EVERY_MS = 60_000;

@Injectable()
export class SearchIndexMaintainer implements OnApplicationBootstrap, BeforeApplicationShutdown {
  private readonly logger = new Logger(SearchIndexMaintainer.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private mergedUpTo = 0;
  private readonly mergeFailures = new RateLimitedWarning(this.logger, WARN_EVERY_MS);
  private stopped = false;
  /** Merges run and pending-list pages they moved into the index (for tests and diagnostics). */
  readonly totals = { merges: 0, pages: 0 };

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly writer: LogFlusher,
    @Inject(taskLogConfig.KEY) private readonly cfg: ConfigType<typeof taskLogConfig>,
  ) {}

  onApplicationBootstrap(): void {
    if (this.cfg.searchIndexMergeMs > 0) this.schedule();
  }

  async beforeApplicationShutdown(): Promise<void> {
    this.stop();
    await this.running;
  }

  /** Merges now if enough rows were committed since the last merge; resolves when done. */
  tick(): Promise<void> {
    this.running ??= this.mergeIfDue().finally(() => {
      this.running = null;
    });
    return this.running;
  }

  private schedule(): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.tick().finally(() => this.schedule());
    }, this.cfg.searchIndexMergeMs);
    this.timer.unref();
  }

  private stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }

  private async mergeIfDue(): Promise<void> {
    const committed = this.writer.committedRows;
    if (this.stopped || committed - this.mergedUpTo < MERGE_AFTER_ROWS) return;
    try {
      const [row] = await this.dataSource.query<{ pages: string }[]>(MERGE_SQL, [SEARCH_INDEX]);
      this.mergedUpTo = committed;
      this.totals.merges++;
      this.totals.pages += Number(row?.pages ?? 0);
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      const message = error instanceof Error ? error.message : String(error);
      if (typeof code === 'string' && PERMANENT.has(code)) {
        this.stop();
        this.logger.warn(
          `search index merges stopped (${message}); inserts and autovacuum merge its pending list instead`,
        );
        return;
      }
      // The database is away or busy: the flusher has the same trouble and says so; try again later.
      this.mergeFailures.warn(`search index merge failed, will retry: ${message}`);
    }
  }
}
