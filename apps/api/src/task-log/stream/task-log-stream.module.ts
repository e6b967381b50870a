import { Module } from '@nestjs/common';
import { AuthModule } from '../../auth/auth.module';
import { TaskManagerModule } from '../../task-manager/task-manager.module';
import { TaskLogModule } from '../task-log.module';
import { TaskLogGateway } from './task-log.gateway';

/** The live stream of task logs and task events over Socket.IO (namespace /tasks). */
@Module({
  imports: [AuthModule, TaskLogModule, TaskManagerModule],
  providers: [TaskLogGateway],
})
export class TaskLogStreamModule {}
