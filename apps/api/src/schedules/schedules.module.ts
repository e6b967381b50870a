import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { PluginsModule } from '../plugins/plugins.module';
import { QueueModule } from '../queue/queue.module';
import { TaskManagerModule } from '../task-manager/task-manager.module';
import { TaskScheduleEntity } from './entities/task-schedule.entity';
import { ScheduleTicks } from './schedule-ticks.service';
import { SchedulesController } from './schedules.controller';
import { TaskSchedules } from './task-schedules.service';

/**
 * Named schedules that create tasks on the job queue's cron, once per tick across all instances.
 * Other modules import this module and call TaskSchedules.
 */
@Module({
  imports: [
    TypeOrmModule.forFeature([TaskScheduleEntity]),
    PluginsModule,
    QueueModule,
    TaskManagerModule,
  ],
  controllers: [SchedulesController],
  providers: [TaskSchedules, ScheduleTicks],
  exports: [TaskSchedules],
})
export class SchedulesModule {}
