import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SettingsModule } from '../settings/settings.module';
import { TaskLogCounterEntity } from './entities/task-log-counter.entity';
import { TaskLogEntryEntity } from './entities/task-log-entry.entity';
import { SearchIndexMaintainer } from './search-index-maintainer';
import { TaskLogPersistenceService } from './task-log-persistence.service';
import { TaskLogService } from './task-log.service';
import { TaskLogWriter } from './task-log-writer';
import { TaskLogsController } from './task-logs.controller';

/** Task logs: the buffered loggers and their flusher, the stored log's queries and REST routes. */
@Module({
  imports: [TypeOrmModule.forFeature([TaskLogEntryEntity, TaskLogCounterEntity]), SettingsModule],
  controllers: [TaskLogsController],
  providers: [TaskLogWriter, TaskLogService, TaskLogPersistenceService, SearchIndexMaintainer],
  exports: [TaskLogService, TaskLogWriter, TaskLogPersistenceService],
})
export class TaskLogModule {}
