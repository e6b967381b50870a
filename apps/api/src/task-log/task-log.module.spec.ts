// The module wired by Nest on a real Postgres: a logger from TaskLogWriter, through the flusher,
// back out of TaskLogReader, with the level from the stored logging settings.
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Logger } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { databaseConfig, taskLogConfig, tasksConfig } from '../config';
import { dataSourceOptions } from '../database/data-source';
import { LoggingConfigService } from '../settings/logging-config.service';
import { LogFlusher } from './ingest/log-flusher.service';
import { TaskLogWriter } from './ingest/task-log-writer.service';
import { TaskLogReader } from './query/task-log-reader.service';
import { TaskLogModule } from './task-log.module';
import {
  createMigratedDatabase,
  mustSkipWithoutPostgres,
  type TestDatabase,
} from './testing/pg-test-database';

const SUITE = 'TaskLogModule (Postgres)';
const TASK = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';
const OTHER = '0b8e6f4a-2c1d-4e3f-8a9b-7c6d5e4f3a2b';

(mustSkipWithoutPostgres(SUITE) ? describe.skip : describe)(SUITE, () => {
  let db: TestDatabase;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    Logger.overrideLogger(['error']);
    db = await createMigratedDatabase('tl_module');
    await db.client.query(
      `INSERT INTO settings (key, value) VALUES ('logging', '{"taskLogLevel":"WARNING"}')`,
    );
    process.env.DATABASE_URL = db.url; // the cluster bus (settings broadcasts) listens on it
    // A spill of its own, not ./data/log-spill of whoever runs the specs.
    process.env.TASK_LOG_SPILL_DIR = join(mkdtempSync(join(tmpdir(), 'taskdeck-module-')), 'spill');
    moduleRef = await Test.createTestingModule({
      imports: [
        ConfigModule.forRoot({
          isGlobal: true,
          ignoreEnvFile: true,
          load: [taskLogConfig, databaseConfig, tasksConfig],
        }),
        // SettingsModule steers the server log's level: it needs the pino root logger to exist.
        LoggerModule.forRoot({ pinoHttp: { level: 'silent' } }),
        TypeOrmModule.forRoot({ ...dataSourceOptions(db.url, 4), autoLoadEntities: true }),
        TaskLogModule,
      ],
    }).compile();
    await moduleRef.init();
  }, 60_000);

  afterAll(async () => {
    await moduleRef?.close();
    await db?.drop();
  }, 60_000);

  it('stores what a task logs at or above the configured level, and serves it back', async () => {
    const writer = moduleRef.get(TaskLogWriter);
    const reader = moduleRef.get(TaskLogReader);
    await writer.openTask(TASK);
    const logger = writer.createLogger(TASK, 'backup');
    logger.info('below WARNING: dropped, takes no seq');
    logger.warning('disk almost full', { freeBytes: 1024 });
    logger.withSource('storage').error('write failed');
    moduleRef.get(LoggingConfigService).apply({
      level: 'INFO',
      taskLogLevel: 'DEBUG',
      enableBeliefState: false,
    });
    logger.debug('now kept');
    await writer.closeTask(TASK);

    const page = await reader.page(TASK, {});
    expect(page.items.map((e) => [e.seq, e.level, e.source, e.message])).toEqual([
      [1, 'WARNING', 'backup', 'disk almost full'],
      [2, 'ERROR', 'storage', 'write failed'],
      [3, 'DEBUG', 'backup', 'now kept'],
    ]);
    expect(page.items[0].metadata).toEqual({ freeBytes: 1024 });
    expect(await reader.sources(TASK)).toEqual(['backup', 'storage']);
    expect(moduleRef.get(LogFlusher).pendingCount).toBe(0);
  });

  it('deletes a task’s entries and counters inside the caller’s transaction only', async () => {
    const writer = moduleRef.get(TaskLogWriter);
    const dataSource = moduleRef.get(DataSource);
    const count = async () => {
      const [row] = await dataSource.query<{ n: string }[]>(
        `SELECT (SELECT count(*) FROM task_log_entries WHERE task_id = $1)
              + (SELECT count(*) FROM task_log_counters WHERE task_id = $1) AS n`,
        [OTHER],
      );
      return Number(row.n);
    };
    await writer.openTask(OTHER);
    writer.createLogger(OTHER, 'x').error('one');
    writer.createLogger(OTHER, 'y').error('two');
    await writer.closeTask(OTHER);
    expect(await count()).toBe(4); // two entries, two counters
    await expect(
      dataSource.transaction(async (manager) => {
        await writer.deleteTaskLogs(OTHER, manager);
        throw new Error('roll back');
      }),
    ).rejects.toThrow('roll back');
    expect(await count()).toBe(4);
    await dataSource.transaction((manager) => writer.deleteTaskLogs(OTHER, manager));
    expect(await count()).toBe(0);
    expect((await moduleRef.get(TaskLogReader).stats(TASK)).total).toBe(3);
  });

  it('refuses a task id that is not a UUID when a logger is made', () => {
    expect(() => moduleRef.get(TaskLogWriter).createLogger('42', 'x')).toThrow(/UUID/);
  });
});
