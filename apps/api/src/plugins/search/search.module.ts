import { Module } from '@nestjs/common';
import { SupersetModule } from '../../superset/superset.module';
import { SearchPlugin } from './search.plugin';

/** The search plugin. */
@Module({ imports: [SupersetModule], providers: [SearchPlugin] })
export class SearchModule {}
