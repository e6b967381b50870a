import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Environment } from '@taskdeck/contracts';
import { Subject, type Observable } from 'rxjs';
import { Repository } from 'typeorm';
import { SecretsService } from '../secrets/secrets.service';
import type { SupersetConnection } from './client/superset-client';
import type { CreateEnvironmentDto } from './dto/create-environment.dto';
import { normaliseSupersetUrl } from './dto/superset-url';
import type { UpdateEnvironmentDto } from './dto/update-environment.dto';
import { EnvironmentEntity } from './entities/environment.entity';

/** The purpose an environment's password is sealed for (bound into the ciphertext). */
export const ENVIRONMENT_PASSWORD = 'environment.password';

export function toEnvironment(entity: EnvironmentEntity): Environment {
  return {
    id: entity.id,
    name: entity.name,
    url: entity.url,
    username: entity.username,
    provider: entity.provider,
    verifyTls: entity.verifyTls,
    hasPassword: entity.passwordSealed.length > 0,
    createdAt: entity.createdAt.toISOString(),
    updatedAt: entity.updatedAt.toISOString(),
  };
}

/** Environments as stored; answers never carry the password, only `hasPassword`. */
@Injectable()
export class EnvironmentsService {
  private readonly logger = new Logger(EnvironmentsService.name);
  private readonly deletedIds = new Subject<string>();
  /**
   * The id of each environment deleted on this instance, after the delete: what hangs off an
   * environment in modules above this one (a backup schedule) goes with it.
   */
  readonly deleted$: Observable<string> = this.deletedIds.asObservable();

  constructor(
    @InjectRepository(EnvironmentEntity)
    private readonly environments: Repository<EnvironmentEntity>,
    private readonly secrets: SecretsService,
  ) {}

  async list(): Promise<Environment[]> {
    const rows = await this.environments
      .createQueryBuilder('e')
      .orderBy('lower(e.name)', 'ASC')
      .getMany();
    return rows.map(toEnvironment);
  }

  async get(id: string): Promise<Environment> {
    return toEnvironment(await this.entity(id));
  }

  async create(body: CreateEnvironmentDto, by: string): Promise<Environment> {
    const entity = this.environments.create({
      name: body.name,
      url: normaliseSupersetUrl(body.url),
      username: body.username,
      passwordSealed: this.secrets.seal(body.password, ENVIRONMENT_PASSWORD),
      provider: body.provider ?? 'db',
      verifyTls: body.verifyTls ?? true,
    });
    const saved = await this.save(entity);
    this.logger.log(`audit: ${by} added environment "${saved.name}" (${saved.url})`);
    return toEnvironment(saved);
  }

  async update(id: string, body: UpdateEnvironmentDto, by: string): Promise<Environment> {
    const entity = await this.entity(id);
    if (body.name !== undefined) entity.name = body.name;
    if (body.url !== undefined) entity.url = normaliseSupersetUrl(body.url);
    if (body.username !== undefined) entity.username = body.username;
    if (body.provider !== undefined) entity.provider = body.provider;
    if (body.verifyTls !== undefined) entity.verifyTls = body.verifyTls;
    if (body.password !== undefined) {
      entity.passwordSealed = this.secrets.seal(body.password, ENVIRONMENT_PASSWORD);
    }
    const saved = await this.save(entity);
    const changed = Object.keys(body).sort().join(', ') || 'nothing';
    this.logger.log(`audit: ${by} changed environment "${saved.name}": ${changed}`);
    return toEnvironment(saved);
  }

  async remove(id: string, by: string): Promise<void> {
    const entity = await this.entity(id);
    await this.environments.delete({ id });
    this.logger.log(`audit: ${by} deleted environment "${entity.name}"`);
    this.deletedIds.next(id);
  }

  /** What a SupersetClient needs, the password opened for this one use. */
  async connection(id: string): Promise<SupersetConnection & { name: string }> {
    const entity = await this.entity(id);
    return {
      name: entity.name,
      url: entity.url,
      username: entity.username,
      password: this.secrets.open(entity.passwordSealed, ENVIRONMENT_PASSWORD),
      provider: entity.provider,
      verifyTls: entity.verifyTls,
    };
  }

  private async entity(id: string): Promise<EnvironmentEntity> {
    const entity = await this.environments.findOneBy({ id });
    if (!entity) throw new NotFoundException(`environment ${id} not found`);
    return entity;
  }

  private async save(entity: EnvironmentEntity): Promise<EnvironmentEntity> {
    try {
      return await this.environments.save(entity);
    } catch (error) {
      // 23505: unique_violation on lower(name).
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ConflictException(`an environment named "${entity.name}" exists already`);
      }
      throw error;
    }
  }
}
