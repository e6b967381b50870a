// The log routes over real HTTP (Nest + express, the app's validation pipe) on a real Postgres:
// validation and 404s, the download's attachment, backpressure and a client that goes away.
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { Logger, ValidationPipe, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import type { LogEntry, LogPage } from '@taskdeck/contracts';
import { TaskLogCounterEntity } from '../task-log/entities/task-log-counter.entity';
import { TaskLogEntryEntity } from '../task-log/entities/task-log-entry.entity';
import { TaskLogReader, type LogRangeInput } from '../task-log/query/task-log-reader.service';
import {
  createMigratedDatabase,
  mustSkipWithoutPostgres,
  type TestDatabase,
} from '../task-log/testing/pg-test-database';
import { TaskLogsController } from './task-logs.controller';
import { TaskManager } from './task-manager.service';

const TASK = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';
const BIG = 'a5c2e0f1-3b4d-4c6e-9f8a-7b6c5d4e3f2a';
const BIG_COUNT = 100_000;
/** A task without any log entry. */
const EMPTY = 'c0ffee00-1d2e-4f3a-8b4c-5d6e7f8a9b0c';

/** Counts the chunks the controller pulls and notices when the stream is closed. */
class ObservedReader extends TaskLogReader {
  chunksRead = 0;
  streamsClosed = 0;

  override async *streamEntries(taskId: string, input: LogRangeInput, chunkSize?: number) {
    try {
      for await (const chunk of super.streamEntries(taskId, input, chunkSize)) {
        this.chunksRead++;
        yield chunk;
      }
    } finally {
      this.streamsClosed++;
    }
  }
}

const SUITE = 'TaskLogsController (HTTP, Postgres)';

(mustSkipWithoutPostgres(SUITE) ? describe.skip : describe)(SUITE, () => {
  let db: TestDatabase;
  let app: INestApplication;
  let base: string;
  let logs: ObservedReader;
  /** How often the controller asked whether a task exists. */
  let existsCalls = 0;

  const get = async (path: string) => {
    const res = await fetch(`${base}${path}`);
    const text = await res.text();
    return {
      status: res.status,
      headers: res.headers,
      text,
      json: () => JSON.parse(text) as unknown,
    };
  };

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    db = await createMigratedDatabase('tl_http');
    await db.client.query(
      `INSERT INTO tasks (id, plugin_id, status) VALUES ($1, 'debug', 'SUCCESS'), ($2, 'debug', 'SUCCESS'), ($3, 'debug', 'SUCCESS')`,
      [TASK, BIG, EMPTY],
    );
    await db.client.query(
      `INSERT INTO task_log_entries (task_id, seq, ts, level, source, message, metadata)
       SELECT $1, i, timestamptz '2026-11-25 06:00:00+00' + i * interval '1 second', i % 4,
              CASE WHEN i % 2 = 0 THEN 'even' ELSE 'odd' END, 'entry #' || i,
              CASE WHEN i = 3 THEN '{"meta":1}'::jsonb END
       FROM generate_series(1, 10) AS i`,
      [TASK],
    );
    // The counters the writer keeps with the entries.
    await db.client.query(
      `INSERT INTO task_log_counters (task_id, level, source, count)
       SELECT task_id, level, source, count(*) FROM task_log_entries GROUP BY 1, 2, 3`,
    );
    await db.client.query(
      `INSERT INTO task_log_entries (task_id, seq, ts, level, source, message)
       SELECT $1, i, now(), 1, 'bulk', repeat('x', 400) || i FROM generate_series(1, $2::int) AS i`,
      [BIG, BIG_COUNT],
    );
    logs = new ObservedReader(
      db.dataSource.getRepository(TaskLogEntryEntity),
      db.dataSource.getRepository(TaskLogCounterEntity),
    );
    const moduleRef = await Test.createTestingModule({
      controllers: [TaskLogsController],
      providers: [
        { provide: TaskLogReader, useValue: logs },
        // What the controller asks the task manager, answered from the same tasks table.
        {
          provide: TaskManager,
          useValue: {
            exists: async (id: string) => {
              existsCalls++;
              return (
                (await db.client.query('SELECT 1 FROM tasks WHERE id = $1', [id])).rowCount === 1
              );
            },
          },
        },
      ],
    }).compile();
    app = moduleRef.createNestApplication();
    app.setGlobalPrefix('api');
    app.useGlobalPipes(
      new ValidationPipe({ transform: true, whitelist: true, forbidNonWhitelisted: true }),
    );
    await app.listen(0, '127.0.0.1');
    const server = app.getHttpServer() as http.Server;
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  }, 120_000);

  afterAll(async () => {
    await app?.close();
    await db?.drop();
  }, 60_000);

  it('serves a filtered page', async () => {
    const res = await get(`/api/tasks/${TASK}/logs?level=WARNING&source=even,odd&limit=2`);
    expect(res.status).toBe(200);
    const page = res.json() as LogPage;
    expect(page.items.map((e) => [e.seq, e.level])).toEqual([
      [2, 'WARNING'],
      [3, 'ERROR'],
    ]);
    expect(page.items[1].metadata).toEqual({ meta: 1 });
    expect(page).toMatchObject({ nextCursor: 3, prevCursor: null });
  });

  it('answers 400 for a malformed id or query and 404 for an unknown task', async () => {
    for (const path of ['logs', 'logs/stats', 'logs/sources', 'logs/download']) {
      expect((await get(`/api/tasks/not-a-uuid/${path}`)).status).toBe(400);
      expect((await get(`/api/tasks/00000000-0000-4000-8000-000000000000/${path}`)).status).toBe(
        404,
      );
    }
    const bad = await get(`/api/tasks/${TASK}/logs?limit=5000`);
    expect(bad.status).toBe(400);
    expect(bad.json()).toMatchObject({ statusCode: 400, error: 'Bad Request' });
    expect((await get(`/api/tasks/${TASK}/logs/download?format=xml`)).status).toBe(400);
  });

  it('asks whether the task exists only when its log has nothing to show', async () => {
    existsCalls = 0;
    expect((await get(`/api/tasks/${TASK}/logs?limit=2`)).status).toBe(200);
    expect((await get(`/api/tasks/${TASK}/logs/stats`)).status).toBe(200);
    expect(existsCalls).toBe(0); // entries and counters prove it
    const emptyPage = await get(`/api/tasks/${EMPTY}/logs`);
    expect(emptyPage.status).toBe(200);
    expect(emptyPage.json()).toEqual({ items: [], nextCursor: null, prevCursor: null });
    const emptyStats = await get(`/api/tasks/${EMPTY}/logs/stats`);
    expect(emptyStats.status).toBe(200);
    expect(emptyStats.json()).toEqual({
      total: 0,
      byLevel: { DEBUG: 0, INFO: 0, WARNING: 0, ERROR: 0 },
      bySource: {},
    });
    // A filter that matches nothing on a task that exists: 200, an empty page.
    const none = await get(`/api/tasks/${TASK}/logs?source=nobody`);
    expect(none.status).toBe(200);
    expect((none.json() as LogPage).items).toEqual([]);
    expect(existsCalls).toBe(3);
  });

  it('downloads text and NDJSON attachments with the filters', async () => {
    const text = await get(`/api/tasks/${TASK}/logs/download`);
    expect(text.status).toBe(200);
    expect(text.headers.get('content-type')).toBe('text/plain; charset=utf-8');
    expect(text.headers.get('content-disposition')).toBe(`attachment; filename="task-${TASK}.log"`);
    const lines = text.text.trimEnd().split('\n');
    expect(lines).toHaveLength(10);
    expect(lines[2]).toBe('2026-11-25T06:00:03.000Z ERROR   [odd] entry #3 {"meta":1}');

    const nd = await get(`/api/tasks/${TASK}/logs/download?format=ndjson&source=even&afterSeq=4`);
    expect(nd.headers.get('content-disposition')).toBe(
      `attachment; filename="task-${TASK}.ndjson"`,
    );
    const entries = nd.text
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as LogEntry);
    expect(entries.map((e) => e.seq)).toEqual([6, 8, 10]);
    const empty = await get(`/api/tasks/${TASK}/logs/download?source=nobody`);
    expect(empty.status).toBe(200);
    expect(empty.text).toBe('');
  });

  it('reads the log only as fast as the client takes it, and stops when the client goes away', async () => {
    const totalChunks = BIG_COUNT / 2000;
    const readBefore = logs.chunksRead;
    const closedBefore = logs.streamsClosed;
    const request = http.get(`${base}/api/tasks/${BIG}/logs/download`);
    const response = await new Promise<http.IncomingMessage>((resolve) =>
      request.on('response', resolve),
    );
    expect(response.statusCode).toBe(200);
    response.pause(); // a client that does not read
    await new Promise((r) => setTimeout(r, 1500));
    const readWhilePaused = logs.chunksRead - readBefore;
    expect(readWhilePaused).toBeGreaterThan(0);
    expect(readWhilePaused).toBeLessThan(totalChunks / 2);
    request.destroy();
    const deadline = Date.now() + 10_000;
    while (logs.streamsClosed === closedBefore && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(logs.streamsClosed).toBe(closedBefore + 1);
    expect(logs.chunksRead - readBefore).toBeLessThan(totalChunks / 2);
  }, 30_000);
});
