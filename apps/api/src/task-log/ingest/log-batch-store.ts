// The flusher's database side: one dedicated connection from the TypeORM pool, one transaction per
// batch with a single COPY for the rows and a single upsert for the counters.
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import type { DataSource } from 'typeorm';
import type { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver.js';
import type { CounterDeltas } from './log-batch';
import type { SpillCursor } from './log-spill';

const COPY_ENTRIES =
  'COPY task_log_entries (task_id, seq, ts, level, source, message, metadata) FROM STDIN';
const UPSERT_COUNTERS = `
  INSERT INTO task_log_counters (task_id, level, source, count)
  SELECT * FROM unnest($1::uuid[], $2::smallint[], $3::text[], $4::bigint[])
  ON CONFLICT (task_id, level, source) DO UPDATE SET count = task_log_counters.count + EXCLUDED.count`;
// The counters' sum is the last seq; the PK's max(seq) (one index probe) guards against counters
// that ever fell behind, so that numbering never collides with stored rows twice.
const LOAD_TOTALS = `
  SELECT t.id AS task_id, GREATEST(
    (SELECT coalesce(sum(c.count), 0) FROM task_log_counters c WHERE c.task_id = t.id),
    (SELECT coalesce(max(e.seq), 0) FROM task_log_entries e WHERE e.task_id = t.id)
  )::bigint AS total
  FROM unnest($1::uuid[]) AS t(id)`;

const SAVE_SPILL_CURSOR = `
  INSERT INTO task_log_spill_cursors (spill_id, segment, "offset", updated_at)
  VALUES ($1, $2, $3, now())
  ON CONFLICT (spill_id) DO UPDATE SET segment = EXCLUDED.segment, "offset" = EXCLUDED."offset", updated_at = now()`;
const LOAD_SPILL_CURSOR =
  'SELECT segment, "offset" FROM task_log_spill_cursors WHERE spill_id = $1';

/** The spill's position stored with a batch that holds spilled records (log-spill.ts). */
export interface StoredSpillCursor extends SpillCursor {
  spillId: string;
}

/** A write that takes longer is abandoned (connection dropped) and retried: the network may be gone. */
const WRITE_TIMEOUT_MS = 30_000;

interface TotalRow {
  task_id: string;
  total: string;
}

interface Held {
  client: PoolClient;
  release: (error?: Error | boolean) => void;
  broken: boolean;
}

export class LogBatchStore {
  private held: Held | null = null;

  constructor(private readonly dataSource: DataSource) {}

  /**
   * The last stored seq of each task (0 for none). `pooled` reads on a pool connection: for
   * callers outside the flush loop, which must not slip a query into a batch's transaction.
   */
  async loadTotals(taskIds: readonly string[], pooled = false): Promise<Map<string, number>> {
    const rows: TotalRow[] = pooled
      ? await this.dataSource.query(LOAD_TOTALS, [taskIds])
      : await this.withConnection(
          async (client) => (await client.query<TotalRow>(LOAD_TOTALS, [taskIds])).rows,
        );
    return new Map(rows.map((row) => [row.task_id, Number(row.total)]));
  }

  /** Where the spill's committed part ends, as last stored; null for a spill never committed from. */
  async loadSpillCursor(spillId: string): Promise<SpillCursor | null> {
    const rows: { segment: string; offset: string }[] = await this.dataSource.query(
      LOAD_SPILL_CURSOR,
      [spillId],
    );
    return rows.length
      ? { segment: Number(rows[0].segment), offset: Number(rows[0].offset) }
      : null;
  }

  /**
   * Stores the rows and adds the counter deltas in one transaction, with the spill's cursor when
   * the batch holds spilled records: a restart then replays exactly what is not stored.
   */
  async write(
    copyPieces: readonly string[],
    counters: CounterDeltas,
    spill: StoredSpillCursor | null = null,
  ): Promise<void> {
    await this.withConnection(async (client) => {
      await client.query('BEGIN');
      await pipeline(Readable.from(copyPieces), client.query(copyFrom(COPY_ENTRIES)));
      await client.query(UPSERT_COUNTERS, [
        counters.taskIds,
        counters.levels,
        counters.sources,
        counters.counts,
      ]);
      if (spill) {
        await client.query(SAVE_SPILL_CURSOR, [spill.spillId, spill.segment, spill.offset]);
      }
      await client.query('COMMIT');
    });
  }

  /** Gives the connection back to the pool (at shutdown, so that the pool can close). */
  release(): void {
    this.drop(false);
  }

  private async withConnection<T>(work: (client: PoolClient) => Promise<T>): Promise<T> {
    const held = await this.connection();
    const timer = setTimeout(
      () => this.drop(new Error('task log write timed out')),
      WRITE_TIMEOUT_MS,
    );
    try {
      return await work(held.client);
    } catch (error) {
      // Whatever state the session is in (aborted transaction, half a COPY, dead socket): start over.
      this.drop(error instanceof Error ? error : new Error(String(error)));
      throw error;
    } finally {
      clearTimeout(timer);
    }
  }

  private async connection(): Promise<Held> {
    if (this.held && !this.held.broken) return this.held;
    this.drop(true);
    const driver = this.dataSource.driver as PostgresDriver;
    const [client, release] = (await driver.obtainMasterConnection()) as [
      PoolClient,
      Held['release'],
    ];
    const held: Held = { client, release, broken: false };
    // A checked-out pg client has no 'error' listener: without this one, a server restart would
    // surface as an unhandled 'error' event and end the process.
    client.on('error', () => {
      held.broken = true;
    });
    this.held = held;
    return held;
  }

  /** Releases the held connection; with an error (or true) the pool destroys it. */
  private drop(error: Error | boolean): void {
    const held = this.held;
    if (!held) return;
    this.held = null;
    try {
      held.release(held.broken && error === false ? true : error);
    } catch {
      // Released twice or already ended: nothing left to give back.
    }
  }
}
