import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { EnvironmentCatalogService } from './environment-catalog.service';
import { EnvironmentEntity } from './entities/environment.entity';
import { EnvironmentsController } from './environments.controller';
import { EnvironmentsService } from './environments.service';
import { SupersetClients } from './superset-clients.service';

/**
 * Superset access: environments (their routes, their sealed passwords) and SupersetClients, which
 * plugins inject to get a SupersetClient for an environment.
 */
@Module({
  imports: [TypeOrmModule.forFeature([EnvironmentEntity])],
  controllers: [EnvironmentsController],
  providers: [EnvironmentsService, EnvironmentCatalogService, SupersetClients],
  exports: [EnvironmentsService, SupersetClients],
})
export class SupersetModule {}
