import { Module } from '@nestjs/common';
import { AuthModule } from '../auth/auth.module';
import { TaskLogModule } from '../task-log/task-log.module';
import { TaskManagerModule } from '../task-manager/task-manager.module';
import { LiveAccess } from './live-access.service';
import { LiveGateway } from './live.gateway';
import { LiveStream } from './live-stream.service';

/**
 * The live stream of task logs and task events over Socket.IO (namespace /tasks), to sockets whose
 * user is kept current.
 */
@Module({
  imports: [AuthModule, TaskLogModule, TaskManagerModule],
  providers: [LiveGateway, LiveAccess, LiveStream],
})
export class LiveModule {}
