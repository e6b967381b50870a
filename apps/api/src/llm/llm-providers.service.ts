import {
  BadRequestException,
  ConflictException,
  Inject,
  Injectable,
  Logger,
  NotFoundException,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { LlmProvider, LlmProviderTestResult } from '@taskdeck/contracts';
import { DataSource, Repository } from 'typeorm';
import { llmConfig } from '../config';
import type { TaskLogger } from '../plugin-api';
import { SecretUnreadableError } from '../secrets/secret-box';
import { SecretsService } from '../secrets/secrets.service';
import { serverTaskLogger } from '../superset/server-task-logger';
import type { CreateLlmProviderDto } from './dto/create-llm-provider.dto';
import { normaliseLlmBaseUrl } from './dto/llm-base-url';
import type { UpdateLlmProviderDto } from './dto/update-llm-provider.dto';
import { LlmProviderEntity } from './entities/llm-provider.entity';
import { LlmClient, type LlmTarget } from './llm-client';

/** The purpose a provider's API key is sealed for (bound into the ciphertext). */
export const LLM_API_KEY = 'llm.apiKey';

export function toLlmProvider(entity: LlmProviderEntity): LlmProvider {
  return {
    id: entity.id,
    name: entity.name,
    baseUrl: entity.baseUrl,
    model: entity.model,
    isDefault: entity.isDefault,
    hasApiKey: entity.apiKeySealed !== null,
  };
}

/** LLM providers as stored, and clients for them; answers never carry the key, only `hasApiKey`. */
@Injectable()
export class LlmProvidersService {
  private readonly logger = new Logger(LlmProvidersService.name);

  constructor(
    @InjectRepository(LlmProviderEntity)
    private readonly providers: Repository<LlmProviderEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly secrets: SecretsService,
    @Inject(llmConfig.KEY) private readonly config: ConfigType<typeof llmConfig>,
  ) {}

  async list(): Promise<LlmProvider[]> {
    const rows = await this.providers
      .createQueryBuilder('p')
      .orderBy('lower(p.name)', 'ASC')
      .getMany();
    return rows.map(toLlmProvider);
  }

  async get(id: string): Promise<LlmProvider> {
    return toLlmProvider(await this.entity(id));
  }

  async create(body: CreateLlmProviderDto, by: string): Promise<LlmProvider> {
    const entity = this.providers.create({
      name: body.name,
      baseUrl: normaliseLlmBaseUrl(body.baseUrl),
      model: body.model,
      isDefault: body.isDefault ?? false,
      apiKeySealed: this.sealed(body.apiKey),
    });
    const saved = await this.save(entity);
    this.logger.log(
      `audit: ${by} added LLM provider "${saved.name}" (${saved.baseUrl}, ${saved.model}${saved.isDefault ? ', default' : ''})`,
    );
    return toLlmProvider(saved);
  }

  async update(id: string, body: UpdateLlmProviderDto, by: string): Promise<LlmProvider> {
    const entity = await this.entity(id);
    if (body.name !== undefined) entity.name = body.name;
    if (body.baseUrl !== undefined) entity.baseUrl = normaliseLlmBaseUrl(body.baseUrl);
    if (body.model !== undefined) entity.model = body.model;
    if (body.isDefault !== undefined) entity.isDefault = body.isDefault;
    if (body.apiKey !== undefined) entity.apiKeySealed = this.sealed(body.apiKey);
    const saved = await this.save(entity);
    const changed = Object.keys(body).sort().join(', ') || 'nothing';
    this.logger.log(`audit: ${by} changed LLM provider "${saved.name}": ${changed}`);
    return toLlmProvider(saved);
  }

  async remove(id: string, by: string): Promise<void> {
    const entity = await this.entity(id);
    await this.providers.delete({ id });
    this.logger.log(`audit: ${by} deleted LLM provider "${entity.name}"`);
  }

  /** Asks the model for a one-word JSON answer; never throws for the provider's trouble. */
  async test(id: string): Promise<LlmProviderTestResult> {
    let client: LlmClient;
    try {
      client = await this.client(id, { logger: serverTaskLogger('llm'), tries: 1 });
    } catch (error) {
      if (error instanceof SecretUnreadableError) return { ok: false, error: error.message };
      throw error;
    }
    try {
      const answer = await client.chat(
        [{ role: 'user', content: 'Reply with the single word: ok' }],
        { max_tokens: 5 },
        'connection test',
      );
      return { ok: true, model: answer.model, ms: answer.ms };
    } catch (error) {
      return { ok: false, error: (error as Error).message };
    }
  }

  /**
   * A client for the provider `id`, or for the default one when `id` is absent (400 when there is
   * none: the task fails with that sentence). The key is opened for this client only.
   */
  async client(
    id: string | undefined,
    options: { logger: TaskLogger; signal?: AbortSignal; tries?: number },
  ): Promise<LlmClient> {
    const entity = id ? await this.entity(id) : await this.defaultEntity();
    return new LlmClient(this.target(entity), {
      logger: options.logger,
      signal: options.signal,
      timeoutMs: this.config.timeoutMs,
      tries: options.tries ?? this.config.tries,
      maxRetryAfterMs: this.config.maxRetryAfterMs,
      debugChars: this.config.debugChars,
    });
  }

  private target(entity: LlmProviderEntity): LlmTarget {
    return {
      name: entity.name,
      baseUrl: entity.baseUrl,
      model: entity.model,
      apiKey:
        entity.apiKeySealed === null
          ? undefined
          : this.secrets.open(entity.apiKeySealed, LLM_API_KEY),
    };
  }

  private async defaultEntity(): Promise<LlmProviderEntity> {
    const entity = await this.providers.findOneBy({ isDefault: true });
    if (!entity) {
      throw new BadRequestException(
        'no LLM provider is the default: name one with providerId, or mark one as default',
      );
    }
    return entity;
  }

  private sealed(apiKey: string | undefined): string | null {
    return apiKey ? this.secrets.seal(apiKey, LLM_API_KEY) : null;
  }

  private async entity(id: string): Promise<LlmProviderEntity> {
    const entity = await this.providers.findOneBy({ id });
    if (!entity) throw new NotFoundException(`LLM provider ${id} not found`);
    return entity;
  }

  /** Saves; a new default clears the old one in the same transaction. */
  private async save(entity: LlmProviderEntity): Promise<LlmProviderEntity> {
    try {
      return await this.dataSource.transaction(async (manager) => {
        if (entity.isDefault) {
          const others = manager
            .createQueryBuilder()
            .update(LlmProviderEntity)
            .set({ isDefault: false })
            .where('is_default');
          if (entity.id) others.andWhere('id <> :id', { id: entity.id });
          await others.execute();
        }
        return manager.save(entity);
      });
    } catch (error) {
      // 23505: unique_violation on lower(name) (or two defaults at once).
      const driver = (error as { driverError?: { code?: string; constraint?: string } })
        .driverError;
      if (driver?.code === '23505') {
        throw new ConflictException(
          driver.constraint === 'llm_providers_one_default'
            ? 'another provider was made the default at the same moment; try again'
            : `an LLM provider named "${entity.name}" exists already`,
        );
      }
      throw error;
    }
  }
}
