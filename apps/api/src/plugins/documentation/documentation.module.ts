import { Module } from '@nestjs/common';
import { LlmModule } from '../../llm/llm.module';
import { SupersetModule } from '../../superset/superset.module';
import { DocumentationPlugin } from './documentation.plugin';

/** The documentation plugin: Superset for the dataset, an LLM provider for the words. */
@Module({ imports: [SupersetModule, LlmModule], providers: [DocumentationPlugin] })
export class DocumentationModule {}
