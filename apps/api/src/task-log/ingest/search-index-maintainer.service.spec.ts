// The search index's pending list merged off the commit path: on a real Postgres (rows from the
// writer, merges that empty the list, search still served), and its failure handling with a fake.
import { Logger } from '@nestjs/common';
import type { DataSource } from 'typeorm';
import { createLogRecord } from './log-record';
import {
  MERGE_AFTER_ROWS,
  SEARCH_INDEX,
  SearchIndexMaintainer,
} from './search-index-maintainer.service';
import { LogFlusher } from './log-flusher.service';
import {
  createMigratedDatabase,
  mustSkipWithoutPostgres,
  type TestDatabase,
} from '../testing/pg-test-database';

type Config = ConstructorParameters<typeof SearchIndexMaintainer>[2];

const config = (searchIndexMergeMs: number): Config => ({
  batchSize: 500,
  flushIntervalMs: 10_000,
  bufferCapacity: 100_000,
  bufferMaxBytes: 64 * 1024 ** 2,
  spillDir: '',
  spillMaxBytes: 0,
  searchIndexMergeMs,
});

const TASK = '00000000-0000-4000-8000-00000000a11e';
const SUITE = 'SearchIndexMaintainer (Postgres)';

(mustSkipWithoutPostgres(SUITE) ? describe.skip : describe)(SUITE, () => {
  let db: TestDatabase;
  let writer: LogFlusher;
  let maintainer: SearchIndexMaintainer;

  const logRows = async (count: number, from = 0) => {
    for (let i = from; i < from + count; i++) {
      const message = `step ${i} copied ${i * 7} objects from bucket-${i % 13} to archive-${i % 17}`;
      writer.append(
        createLogRecord(
          TASK,
          1,
          'storage',
          i === 42 ? 'lease conflict on shard 4' : message,
          undefined,
        ),
      );
    }
    await writer.flush();
  };
  /** What a merge by hand finds left in the pending list (pages). */
  const pendingPages = async () =>
    Number(
      (
        await db.client.query<{ pages: string }>(
          'SELECT gin_clean_pending_list($1::regclass) AS pages',
          [SEARCH_INDEX],
        )
      ).rows[0].pages,
    );

  beforeAll(async () => {
    db = await createMigratedDatabase('tl_search_merge');
  }, 60_000);
  afterAll(async () => {
    await db?.drop();
  }, 60_000);

  beforeEach(async () => {
    await db.client.query('TRUNCATE task_log_entries, task_log_counters');
    await pendingPages();
    writer = new LogFlusher(db.dataSource, config(0));
  });
  afterEach(async () => {
    await maintainer?.beforeApplicationShutdown();
    await writer.beforeApplicationShutdown();
  });

  it('leaves a short list alone and merges once enough rows were committed', async () => {
    maintainer = new SearchIndexMaintainer(db.dataSource, writer, config(0));
    await logRows(MERGE_AFTER_ROWS - 1);
    await maintainer.tick();
    expect(maintainer.totals.merges).toBe(0);

    await logRows(2000, MERGE_AFTER_ROWS - 1);
    await maintainer.tick();
    expect(maintainer.totals.merges).toBe(1);
    expect(maintainer.totals.pages).toBeGreaterThan(0);
    // The list is empty: a merge by hand finds nothing left.
    expect(await pendingPages()).toBe(0);
    // Nothing new since: the next tick does not merge again.
    await maintainer.tick();
    expect(maintainer.totals.merges).toBe(1);

    // Search is served from the merged index.
    const found = await db.client.query<{ message: string }>(
      `SELECT message FROM task_log_entries WHERE task_id = $1 AND message ILIKE '%lease conflict%'`,
      [TASK],
    );
    expect(found.rows.map((r) => r.message)).toEqual(['lease conflict on shard 4']);
  });

  it('merges on its own timer while the writer commits', async () => {
    maintainer = new SearchIndexMaintainer(db.dataSource, writer, config(20));
    maintainer.onApplicationBootstrap();
    await logRows(3000);
    const deadline = Date.now() + 10_000;
    while (maintainer.totals.merges === 0 && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(maintainer.totals.merges).toBeGreaterThan(0);
    expect(maintainer.totals.pages).toBeGreaterThan(0);
  });
});

describe('SearchIndexMaintainer failures', () => {
  const writer = { committedRows: 0 } as LogFlusher & { committedRows: number };
  let warn: jest.SpyInstance;

  beforeEach(() => {
    warn = jest.spyOn(Logger.prototype, 'warn').mockImplementation(() => undefined);
  });
  afterEach(() => warn.mockRestore());

  const failing = (error: Error & { code?: string }) => {
    const query = jest.fn().mockRejectedValue(error);
    return { query, dataSource: { query } as unknown as DataSource };
  };

  it('stops for good when the role may not merge the index', async () => {
    const { query, dataSource } = failing(
      Object.assign(new Error('must be owner of index task_log_entries_message_trgm_idx'), {
        code: '42501',
      }),
    );
    const maintainer = new SearchIndexMaintainer(
      dataSource,
      { committedRows: 5000 } as LogFlusher,
      config(0),
    );
    await maintainer.tick();
    await maintainer.tick();
    expect(query).toHaveBeenCalledTimes(1);
    expect(warn).toHaveBeenCalledTimes(1);
    expect(String(warn.mock.calls[0][0])).toMatch(/merges stopped .*must be owner/);
  });

  it('retries after a connection failure, warning once a minute at most', async () => {
    const { query, dataSource } = failing(
      Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
    );
    writer.committedRows = 5000;
    const maintainer = new SearchIndexMaintainer(dataSource, writer, config(0));
    await maintainer.tick();
    await maintainer.tick();
    expect(query).toHaveBeenCalledTimes(2);
    expect(warn).toHaveBeenCalledTimes(1);

    query.mockResolvedValue([{ pages: '3' }]);
    await maintainer.tick();
    expect(maintainer.totals).toEqual({ merges: 1, pages: 3 });
  });

  it('runs one merge at a time', async () => {
    let release: (rows: unknown) => void = () => undefined;
    const query = jest.fn(() => new Promise((resolve) => (release = resolve)));
    const maintainer = new SearchIndexMaintainer(
      { query } as unknown as DataSource,
      { committedRows: 5000 } as LogFlusher,
      config(0),
    );
    const first = maintainer.tick();
    const second = maintainer.tick();
    expect(second).toBe(first);
    release([{ pages: '1' }]);
    await first;
    expect(query).toHaveBeenCalledTimes(1);
  });
});
