// The module wired by Nest on a real Postgres: a logger from TaskLogService, through the writer,
// back out of TaskLogPersistenceService, with the level from the stored logging settings.
import { Logger } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LoggerModule } from 'nestjs-pino';
import { databaseConfig, taskLogConfig, tasksConfig } from '../config';
import { dataSourceOptions } from '../database/data-source';
import { LoggingConfigService } from '../settings/logging-config.service';
import { TaskLogModule } from './task-log.module';
import { TaskLogPersistenceService } from './task-log-persistence.service';
import { TaskLogService } from './task-log.service';
import { TaskLogWriter } from './task-log-writer';
import {
  createMigratedDatabase,
  mustSkipWithoutPostgres,
  type TestDatabase,
} from './testing/pg-test-database';

const SUITE = 'TaskLogModule (Postgres)';
const TASK = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';

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
    const service = moduleRef.get(TaskLogService);
    const persistence = moduleRef.get(TaskLogPersistenceService);
    await service.openTask(TASK);
    const logger = service.createLogger(TASK, 'backup');
    logger.info('below WARNING: dropped, takes no seq');
    logger.warning('disk almost full', { freeBytes: 1024 });
    logger.withSource('storage').error('write failed');
    moduleRef.get(LoggingConfigService).apply({
      level: 'INFO',
      taskLogLevel: 'DEBUG',
      enableBeliefState: false,
    });
    logger.debug('now kept');
    await service.closeTask(TASK);

    const page = await persistence.page(TASK, {});
    expect(page.items.map((e) => [e.seq, e.level, e.source, e.message])).toEqual([
      [1, 'WARNING', 'backup', 'disk almost full'],
      [2, 'ERROR', 'storage', 'write failed'],
      [3, 'DEBUG', 'backup', 'now kept'],
    ]);
    expect(page.items[0].metadata).toEqual({ freeBytes: 1024 });
    expect(await persistence.sources(TASK)).toEqual(['backup', 'storage']);
    expect(moduleRef.get(TaskLogWriter).pendingCount).toBe(0);
  });

  it('refuses a task id that is not a UUID when a logger is made', () => {
    expect(() => moduleRef.get(TaskLogService).createLogger('42', 'x')).toThrow(/UUID/);
  });
});
