import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SettingsModule } from '../settings/settings.module';
import { TaskLogCounterEntity } from './entities/task-log-counter.entity';
import { TaskLogEntryEntity } from './entities/task-log-entry.entity';
import { LogFlusher } from './ingest/log-flusher.service';
import { SearchIndexMaintainer } from './ingest/search-index-maintainer.service';
import { TaskLogWriter } from './ingest/task-log-writer.service';
import { TaskLogReader } from './query/task-log-reader.service';

/**
 * Task logs, with two faces: TaskLogWriter (ingest/: buffered loggers, their flusher, committed
 * batches) and TaskLogReader (query/: pages, stats, sources, downloads). It knows nothing of tasks
 * beyond their ids: whoever serves a task's log asks the task manager whether the task exists.
 */
@Module({
  imports: [TypeOrmModule.forFeature([TaskLogEntryEntity, TaskLogCounterEntity]), SettingsModule],
  providers: [LogFlusher, TaskLogWriter, TaskLogReader, SearchIndexMaintainer],
  exports: [TaskLogWriter, TaskLogReader],
})
export class TaskLogModule {}
