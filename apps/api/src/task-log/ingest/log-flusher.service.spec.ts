// The flusher against a real Postgres (a throwaway database, migrated): numbering, group commit,
// retries that keep the batch, overflow notices, discard, and publication after the commit.
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import type { Subscription } from 'rxjs';
import { TASKDECK_SOURCE } from './dropped-notice';
import type { CommittedLogs } from './log-batch';
import type { LevelRank } from '../level-rank';
import { createLogRecord } from './log-record';
import { LogFlusher } from './log-flusher.service';
import {
  createMigratedDatabase,
  mustSkipWithoutPostgres,
  type TestDatabase,
} from '../testing/pg-test-database';

type WriterConfig = ConstructorParameters<typeof LogFlusher>[1];

const uuid = (n: number) => `00000000-0000-4000-8000-${n.toString().padStart(12, '0')}`;

async function waitUntil(
  check: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 10_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

const SUITE = 'LogFlusher (Postgres)';

(mustSkipWithoutPostgres(SUITE) ? describe.skip : describe)(SUITE, () => {
  let db: TestDatabase;
  let writer: LogFlusher;
  let published: CommittedLogs[];
  let subscription: Subscription;
  let nextTask = 1;

  const start = (overrides: Partial<WriterConfig> = {}) => {
    writer = new LogFlusher(db.dataSource, {
      batchSize: 100,
      flushIntervalMs: 10_000, // only explicit flushes unless a test says otherwise
      bufferCapacity: 100_000,
      bufferMaxBytes: 64 * 1024 ** 2,
      spillDir: '',
      spillMaxBytes: 0,
      searchIndexMergeMs: 0,
      ...overrides,
    });
    published = [];
    subscription = writer.committed$.subscribe((logs) => published.push(logs));
  };
  const log = (
    taskId: string,
    message: string,
    level: LevelRank = 1,
    source = 'src',
    metadata?: object,
  ) => writer.append(createLogRecord(taskId, level, source, message, metadata));
  const rows = async (taskId: string) =>
    (
      await db.client.query<{ seq: string; level: number; source: string; message: string }>(
        'SELECT seq, level, source, message FROM task_log_entries WHERE task_id = $1 ORDER BY seq',
        [taskId],
      )
    ).rows.map((r) => ({ ...r, seq: Number(r.seq) }));
  const counters = async (taskId: string) =>
    (
      await db.client.query<{ level: number; source: string; count: string }>(
        'SELECT level, source, count FROM task_log_counters WHERE task_id = $1 ORDER BY level, source',
        [taskId],
      )
    ).rows.map((r) => ({ ...r, count: Number(r.count) }));
  const setFailing = (on: boolean) =>
    db.client.query(on ? 'INSERT INTO tl_fail_switch VALUES (true)' : 'DELETE FROM tl_fail_switch');
  const failedAttempts = async () =>
    Number(
      (
        await db.client.query<{ n: string }>(
          'SELECT CASE WHEN is_called THEN last_value ELSE 0 END AS n FROM tl_fail_attempts',
        )
      ).rows[0].n,
    );

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    db = await createMigratedDatabase('tl_writer');
    // A switch that makes every COPY fail (P0001) and counts the failures, surviving the rollback.
    await db.client.query(`
      CREATE SEQUENCE tl_fail_attempts;
      CREATE TABLE tl_fail_switch (on_ boolean);
      CREATE FUNCTION tl_fail() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF EXISTS (SELECT 1 FROM tl_fail_switch) THEN
          PERFORM nextval('tl_fail_attempts');
          RAISE EXCEPTION 'induced failure';
        END IF;
        RETURN NULL;
      END $$;
      CREATE TRIGGER tl_fail BEFORE INSERT ON task_log_entries FOR EACH STATEMENT EXECUTE FUNCTION tl_fail();`);
  }, 60_000);

  afterEach(async () => {
    subscription.unsubscribe();
    await setFailing(false);
    await writer.beforeApplicationShutdown();
  });

  afterAll(async () => {
    await db?.drop();
  }, 60_000);

  it('numbers each task densely from its stored total and keeps call order', async () => {
    start();
    const [a, b, c] = [uuid(nextTask++), uuid(nextTask++), uuid(nextTask++)];
    // c already has 10 entries stored (by an earlier run): its numbering continues at 11.
    await db.client.query(
      `INSERT INTO task_log_counters VALUES ($1, 1, 'old', 7), ($1, 3, 'old', 3)`,
      [c],
    );
    await writer.openTask(a);
    await writer.openTask(c);
    log(a, 'a1');
    log(b, 'b1'); // never opened: numbered from its (empty) stored total when the batch forms
    log(a, 'a2', 3, 'other');
    log(c, 'c11');
    log(b, 'b2', 0);
    await writer.flush();

    expect(await rows(a)).toEqual([
      { seq: 1, level: 1, source: 'src', message: 'a1' },
      { seq: 2, level: 3, source: 'other', message: 'a2' },
    ]);
    expect((await rows(b)).map((r) => [r.seq, r.message])).toEqual([
      [1, 'b1'],
      [2, 'b2'],
    ]);
    expect((await rows(c)).map((r) => [r.seq, r.message])).toEqual([[11, 'c11']]);
    expect(await counters(a)).toEqual([
      { level: 1, source: 'src', count: 1 },
      { level: 3, source: 'other', count: 1 },
    ]);
    expect(await counters(c)).toEqual([
      { level: 1, source: 'old', count: 7 },
      { level: 1, source: 'src', count: 1 },
      { level: 3, source: 'old', count: 3 },
    ]);
    expect(writer.pendingCount).toBe(0);
  });

  it('publishes contract entries per task, only after the commit', async () => {
    start();
    const a = uuid(nextTask++);
    const visibleAtPublish: Promise<number>[] = [];
    subscription.add(
      writer.committed$.subscribe(() => {
        visibleAtPublish.push(
          db.client
            .query<{ n: string }>('SELECT count(*) AS n FROM task_log_entries WHERE task_id = $1', [
              a,
            ])
            .then((r) => Number(r.rows[0].n)),
        );
      }),
    );
    log(a, 'hello', 2, 'git', { ref: 'main' });
    log(a, 'bye', 3, 'git');
    await writer.flush();
    expect(published).toHaveLength(1);
    const [batch] = published[0].batches;
    expect(batch.taskId).toBe(a);
    expect(batch.entries).toEqual([
      expect.objectContaining({
        taskId: a,
        seq: 1,
        level: 'WARNING',
        source: 'git',
        message: 'hello',
        metadata: { ref: 'main' },
      }),
      expect.objectContaining({
        taskId: a,
        seq: 2,
        level: 'ERROR',
        source: 'git',
        message: 'bye',
        metadata: null,
      }),
    ]);
    expect(batch.entries[0].timestamp).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
    expect(await Promise.all(visibleAtPublish)).toEqual([2]);
  });

  it('commits in batches of at most the memory queue (two batchSizes), and on its own after flushIntervalMs', async () => {
    start({ batchSize: 5, flushIntervalMs: 30 });
    const a = uuid(nextTask++);
    for (let i = 0; i < 12; i++) log(a, `m${i}`);
    await waitUntil(
      async () => (await rows(a)).length === 12,
      'the 12 entries to be stored without a flush',
    );
    const sizes = published.map((p) => p.batches[0].entries.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(10);
    expect(sizes.reduce((x, y) => x + y, 0)).toBe(12);
    expect(published.flatMap((p) => p.batches[0].entries.map((e) => e.seq))).toEqual(
      Array.from({ length: 12 }, (_, i) => i + 1),
    );
  });

  describe('with a spill', () => {
    let spillDir: string;
    const spillFiles = () => readdirSync(spillDir).filter((f) => f.startsWith('seg-'));
    beforeEach(() => {
      spillDir = join(mkdtempSync(join(tmpdir(), 'taskdeck-flusher-spill-')), 'spill');
    });

    it('past two batches in memory entries go to the spill; all are committed in call order, dense, published once, and the spill emptied', async () => {
      start({ batchSize: 5, flushIntervalMs: 5, spillDir, spillMaxBytes: 1 << 30 });
      await writer.onModuleInit();
      const [a, b] = [uuid(nextTask++), uuid(nextTask++)];
      await writer.openTask(a);
      await setFailing(true);
      for (let i = 0; i < 300; i++) log(i % 3 === 0 ? b : a, `m${i}`, (i % 4) as LevelRank);
      await waitUntil(() => failedAttempts().then((n) => n > 0), 'a failed attempt');
      expect(writer.spillStats.entries).toBeGreaterThan(250);
      expect(writer.volatileCount).toBeLessThanOrEqual(10);
      await setFailing(false);
      await writer.flush();
      for (const [task, filter] of [
        [a, (i: number) => i % 3 !== 0],
        [b, (i: number) => i % 3 === 0],
      ] as const) {
        const expected = [...Array(300).keys()].filter(filter).map((i) => `m${i}`);
        const stored = await rows(task);
        expect(stored.map((r) => r.message)).toEqual(expected);
        expect(stored.map((r) => r.seq)).toEqual(expected.map((_, i) => i + 1));
        const live = published.flatMap((p) =>
          p.batches.filter((x) => x.taskId === task).flatMap((x) => x.entries.map((e) => e.seq)),
        );
        expect(live).toEqual(expected.map((_, i) => i + 1));
        const total = (await counters(task)).reduce((n, c) => n + c.count, 0);
        expect(total).toBe(expected.length);
      }
      expect(writer.spillStats).toMatchObject({ entries: 0, bytes: 0 });
      expect(spillFiles()).toEqual([]);
    });

    it('past the spill cap entries stay in memory up to its bound and are shed, lowest level first, and reported; order and seqs stay whole', async () => {
      // Room for about 20 spilled records, 200 in memory.
      start({ batchSize: 10, bufferCapacity: 200, spillDir, spillMaxBytes: 20 * 180 });
      await writer.onModuleInit();
      const a = uuid(nextTask++);
      await setFailing(true);
      for (let i = 0; i < 1000; i++) log(a, `d${i}`, 0);
      for (let i = 0; i < 20; i++) log(a, `e${i}`, 3);
      await waitUntil(() => failedAttempts().then((n) => n > 0), 'a failed attempt');
      await setFailing(false);
      await writer.flush();
      await writer.flush(); // the notice comes after the commit that eased the queue
      const stored = await rows(a);
      expect(stored.map((r) => r.seq)).toEqual(stored.map((_, i) => i + 1));
      expect(stored.filter((r) => r.level === 3).map((r) => r.message)).toEqual(
        [...Array(20).keys()].map((i) => `e${i}`),
      );
      const debug = stored.filter((r) => r.level === 0).map((r) => Number(r.message.slice(1)));
      expect(debug).toEqual([...debug].sort((x, y) => x - y)); // call order kept
      const dropped = 1000 - debug.length;
      expect(dropped).toBeGreaterThan(500);
      const notice = stored.find((r) => r.source === TASKDECK_SOURCE);
      expect(notice?.message).toContain(`DEBUG ${dropped}`);
    });

    it('a shutdown the database does not let finish moves what memory holds to the spill; the next start stores it, in order', async () => {
      start({ batchSize: 5, flushIntervalMs: 5, spillDir, spillMaxBytes: 1 << 30 });
      await writer.onModuleInit();
      const a = uuid(nextTask++);
      await setFailing(true);
      for (let i = 0; i < 8; i++) log(a, `m${i}`);
      await waitUntil(() => failedAttempts().then((n) => n > 0), 'a failed attempt');
      expect(writer.spillStats.entries).toBe(0); // all in memory: the batch in flight and the queue
      await writer.beforeApplicationShutdown();
      expect(spillFiles()).toHaveLength(1);
      subscription.unsubscribe();
      await setFailing(false);
      start({ batchSize: 5, flushIntervalMs: 5, spillDir, spillMaxBytes: 1 << 30 });
      await writer.onModuleInit();
      log(a, 'after the restart');
      await writer.flush();
      expect((await rows(a)).map((r) => `${r.seq}:${r.message}`)).toEqual([
        ...[...Array(8).keys()].map((i) => `${i + 1}:m${i}`),
        '9:after the restart',
      ]);
      expect(spillFiles()).toEqual([]);
    }, 30_000);

    it('a spill that cannot be opened leaves the bounded drop as before', async () => {
      writeFileSync(join(spillDir, '..', 'file'), 'x');
      start({ batchSize: 5, spillDir: join(spillDir, '..', 'file', 'x'), spillMaxBytes: 1 << 30 });
      await writer.onModuleInit();
      const a = uuid(nextTask++);
      for (let i = 0; i < 30; i++) log(a, `m${i}`);
      await writer.flush();
      expect((await rows(a)).map((r) => r.message)).toEqual(
        [...Array(30).keys()].map((i) => `m${i}`),
      );
      expect(writer.spillStats.spilledTotal).toBe(0);
    });

    it('waitForRoom resolves at once below a batch, waits above it until the flusher takes them, rejects on abort', async () => {
      start({ batchSize: 5, flushIntervalMs: 10_000, spillDir, spillMaxBytes: 1 << 30 });
      await writer.onModuleInit();
      const a = uuid(nextTask++);
      await setFailing(true);
      log(a, 'm0');
      await writer.waitForRoom(); // below the mark
      for (let i = 1; i < 8; i++) log(a, `m${i}`);
      const aborted = new AbortController();
      const cancelled = writer.waitForRoom(aborted.signal);
      aborted.abort(new Error('cancelled'));
      await expect(cancelled).rejects.toThrow('cancelled');
      let released = false;
      const waiting = writer.waitForRoom().then(() => (released = true));
      // The flusher takes the 8 into a batch (which then fails and is retried): room again.
      await waiting;
      expect(released).toBe(true);
      await setFailing(false);
      await writer.flush();
      expect(await rows(a)).toHaveLength(8);
    });
  });

  it('keeps a failed batch, with its seqs, and retries it until the database takes it', async () => {
    start({ batchSize: 100 });
    const a = uuid(nextTask++);
    await writer.openTask(a);
    const before = await failedAttempts();
    await setFailing(true);
    log(a, 'first-1');
    log(a, 'first-2');
    log(a, 'first-3');
    const flushed = writer.flush();
    await waitUntil(async () => (await failedAttempts()) >= before + 2, 'two failed attempts');
    log(a, 'later-4'); // arrives while the first batch is retried
    expect(await rows(a)).toEqual([]);
    await setFailing(false);
    await flushed;
    await writer.flush();
    expect((await rows(a)).map((r) => [r.seq, r.message])).toEqual([
      [1, 'first-1'],
      [2, 'first-2'],
      [3, 'first-3'],
      [4, 'later-4'],
    ]);
    // The retried batch went out as it was formed: the three first entries, then the late one alone.
    expect(published.map((p) => p.batches[0].entries.map((e) => e.seq))).toEqual([[1, 2, 3], [4]]);
  });

  it('gets a new connection when its connection is killed', async () => {
    start();
    const a = uuid(nextTask++);
    log(a, 'before');
    await writer.flush();
    await db.client.query(
      `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
       WHERE datname = current_database() AND pid <> pg_backend_pid()`,
    );
    log(a, 'after');
    await writer.flush();
    expect((await rows(a)).map((r) => r.message)).toEqual(['before', 'after']);
  });

  it('past capacity drops the lowest levels, then records how many in a WARNING entry', async () => {
    start({ bufferCapacity: 1000, batchSize: 200 });
    const a = uuid(nextTask++);
    // Synchronous calls: the buffer overflows before the flusher gets a turn.
    for (let i = 0; i < 1500; i++) log(a, `d${i}`, 0);
    for (let i = 0; i < 50; i++) log(a, `e${i}`, 3);
    await writer.flush();
    await writer.flush(); // the notice is appended after the commit that eased the buffer
    const stored = await rows(a);
    expect(stored.map((r) => r.seq)).toEqual(
      Array.from({ length: stored.length }, (_, i) => i + 1),
    );
    expect(stored.filter((r) => r.level === 3)).toHaveLength(50);
    const debug = stored.filter((r) => r.level === 0);
    const notice = stored.find((r) => r.source === TASKDECK_SOURCE);
    expect(notice).toMatchObject({ level: 2 });
    const dropped = 1500 - debug.length;
    expect(dropped).toBeGreaterThan(500);
    expect(notice?.message).toContain(`${dropped} log entries were dropped`);
    expect(notice?.message).toContain(`DEBUG ${dropped}`);
    // The newest DEBUG entries survived, the oldest went.
    expect(debug.at(-1)?.message).toBe('d1499');
    const total = (await counters(a)).reduce((sum, c) => sum + c.count, 0);
    expect(total).toBe(stored.length);
  });

  it.each([
    ['with its counters', true],
    ['without counters (they fell behind)', false],
  ])(
    'renumbers from the store when its seqs clash with rows stored %s',
    async (_, withCounters) => {
      start();
      const a = uuid(nextTask++);
      await writer.openTask(a); // loads 0
      // Another writer stores entries 1 and 2 behind this one's back.
      await db.client.query(
        `INSERT INTO task_log_entries (task_id, seq, ts, level, source, message)
       VALUES ($1, 1, now(), 1, 'x', 'other'), ($1, 2, now(), 1, 'x', 'other')`,
        [a],
      );
      if (withCounters) {
        await db.client.query(`INSERT INTO task_log_counters VALUES ($1, 1, 'x', 2)`, [a]);
      }
      log(a, 'mine');
      log(a, 'mine too');
      await writer.flush();
      expect((await rows(a)).map((r) => [r.seq, r.message])).toEqual([
        [1, 'other'],
        [2, 'other'],
        [3, 'mine'],
        [4, 'mine too'],
      ]);
    },
  );

  it('closeTask waits for the task’s entries and forgets its numbering', async () => {
    start({ flushIntervalMs: 60_000 });
    const a = uuid(nextTask++);
    await writer.openTask(a);
    log(a, 'one');
    log(a, 'two');
    await writer.closeTask(a);
    expect(await rows(a)).toHaveLength(2);
    // Forgotten: the next entry is numbered from the store again, which moved on meanwhile.
    await db.client.query(`INSERT INTO task_log_counters VALUES ($1, 2, 'elsewhere', 5)`, [a]);
    log(a, 'after close');
    await writer.flush();
    expect((await rows(a)).map((r) => r.seq)).toEqual([1, 2, 8]);
  });

  it('discardTask drops a task’s buffered and in-flight entries, the others are stored', async () => {
    start({ batchSize: 1000 });
    const [a, b] = [uuid(nextTask++), uuid(nextTask++)];
    const before = await failedAttempts();
    await setFailing(true);
    log(a, 'a-in-flight');
    log(b, 'b-in-flight');
    const flushed = writer.flush();
    await waitUntil(async () => (await failedAttempts()) > before, 'a failed attempt');
    log(a, 'a-buffered');
    log(b, 'b-buffered');
    await writer.discardTask(a);
    await setFailing(false);
    await flushed;
    await writer.flush();
    expect(await rows(a)).toEqual([]);
    expect(await counters(a)).toEqual([]);
    expect((await rows(b)).map((r) => r.message)).toEqual(['b-in-flight', 'b-buffered']);
  });

  it('flushes what is buffered at shutdown', async () => {
    start({ flushIntervalMs: 60_000 });
    const a = uuid(nextTask++);
    log(a, 'last words');
    await writer.beforeApplicationShutdown();
    expect((await rows(a)).map((r) => r.message)).toEqual(['last words']);
    // Afterwards nothing is written, and waiting for it does not hang.
    log(a, 'too late');
    await expect(writer.flush()).resolves.toBeUndefined();
    expect(await rows(a)).toHaveLength(1);
    start(); // afterEach shuts a writer down
  });
});
