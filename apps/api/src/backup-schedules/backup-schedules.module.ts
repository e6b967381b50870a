import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { QueueModule } from '../queue/queue.module';
import { SchedulesModule } from '../schedules/schedules.module';
import { StorageModule } from '../storage/storage.module';
import { SupersetModule } from '../superset/superset.module';
import { BackupSchedulesController } from './backup-schedules.controller';
import { BackupSchedulesService } from './backup-schedules.service';
import { BackupScheduleEntity } from './entities/backup-schedule.entity';

/** Each environment's backup schedule (on the schedules module) and its last backup. */
@Module({
  imports: [
    TypeOrmModule.forFeature([BackupScheduleEntity]),
    SchedulesModule,
    QueueModule,
    StorageModule,
    SupersetModule,
  ],
  controllers: [BackupSchedulesController],
  providers: [BackupSchedulesService],
})
export class BackupSchedulesModule {}
