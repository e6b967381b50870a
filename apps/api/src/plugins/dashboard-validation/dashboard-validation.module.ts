import { Module } from '@nestjs/common';
import { LlmModule } from '../../llm/llm.module';
import { StorageModule } from '../../storage/storage.module';
import { SupersetModule } from '../../superset/superset.module';
import { DashboardValidationPlugin } from './dashboard-validation.plugin';

/** The dashboard-validation plugin: Superset, a browser, storage for the PNG, an LLM to judge it. */
@Module({
  imports: [SupersetModule, LlmModule, StorageModule],
  providers: [DashboardValidationPlugin],
})
export class DashboardValidationModule {}
