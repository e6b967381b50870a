import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { LlmProviderEntity } from './entities/llm-provider.entity';
import { LlmProvidersController } from './llm-providers.controller';
import { LlmProvidersService } from './llm-providers.service';

/** LLM providers (OpenAI-compatible APIs): routes, sealed API keys, clients for the plugins. */
@Module({
  imports: [TypeOrmModule.forFeature([LlmProviderEntity])],
  controllers: [LlmProvidersController],
  providers: [LlmProvidersService],
  exports: [LlmProvidersService],
})
export class LlmModule {}
