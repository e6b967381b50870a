import { Module } from '@nestjs/common';
import { ConnectionsModule } from '../../integrations/connections/connections.module';
import { SupersetModule } from '../../superset/superset.module';
import { MapperPlugin } from './mapper.plugin';

/** The mapper plugin: Superset for the dataset, a database connection for the comments. */
@Module({ imports: [SupersetModule, ConnectionsModule], providers: [MapperPlugin] })
export class MapperModule {}
