import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SupersetModule } from '../../superset/superset.module';
import { MigrationMappingEntity } from './entities/migration-mapping.entity';
import { MigrationMappingsController } from './migration-mappings.controller';
import { MigrationMappingsService } from './migration-mappings.service';
import { MigrationPlugin } from './migration.plugin';

/** The migration plugin and its stored database mappings (`/api/migration/mappings`). */
@Module({
  imports: [TypeOrmModule.forFeature([MigrationMappingEntity]), SupersetModule],
  controllers: [MigrationMappingsController],
  providers: [MigrationMappingsService, MigrationPlugin],
  exports: [MigrationMappingsService],
})
export class MigrationModule {}
