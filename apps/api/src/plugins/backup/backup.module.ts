import { Module } from '@nestjs/common';
import { StorageModule } from '../../storage/storage.module';
import { SupersetModule } from '../../superset/superset.module';
import { BackupController } from './backup.controller';
import { BackupPlugin } from './backup.plugin';

/** The backup plugin (backup and restore) and the restore form's database check. */
@Module({
  imports: [SupersetModule, StorageModule],
  controllers: [BackupController],
  providers: [BackupPlugin],
})
export class BackupModule {}
