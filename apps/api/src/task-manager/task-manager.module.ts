import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PluginsModule } from '../plugins/plugins.module';
import { QueueModule } from '../queue/queue.module';
import { TaskLogModule } from '../task-log/task-log.module';
import { TaskEntity } from './entities/task.entity';
import { TaskCleanupService } from './task-cleanup.service';
import { TaskEventsService } from './task-events.service';
import { TaskJobs } from './task-jobs.service';
import { TaskLogsController } from './task-logs.controller';
import { TaskManager } from './task-manager.service';
import { TaskRecoveryService } from './task-recovery.service';
import { TaskRunner } from './task-runner.service';
import { TaskStore } from './task-store.service';
import { TaskWorker } from './task-worker.service';
import { TasksController } from './tasks.controller';

@Module({
  imports: [TypeOrmModule.forFeature([TaskEntity]), PluginsModule, TaskLogModule, QueueModule],
  controllers: [TasksController, TaskLogsController],
  providers: [
    TaskStore,
    TaskJobs,
    TaskRunner,
    TaskWorker,
    TaskManager,
    TaskEventsService,
    TaskRecoveryService,
    TaskCleanupService,
  ],
  exports: [TaskManager, TaskEventsService, TaskStore],
})
export class TaskManagerModule {}
