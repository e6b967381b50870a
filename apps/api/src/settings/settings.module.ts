import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ClusterModule } from '../cluster/cluster.module';
import { SettingEntity } from './entities/setting.entity';
import { LoggingConfigService } from './logging-config.service';
import { ServerLogLevelService } from './server-log-level.service';
import { SettingsController } from './settings.controller';

@Module({
  imports: [TypeOrmModule.forFeature([SettingEntity]), ClusterModule],
  controllers: [SettingsController],
  providers: [LoggingConfigService, ServerLogLevelService],
  exports: [LoggingConfigService],
})
export class SettingsModule {}
