import { BadRequestException, Injectable, Logger } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { MigrationMappings, MigrationSuggestions } from '@taskdeck/contracts';
import { DataSource, Repository } from 'typeorm';
import { EnvironmentCatalogService } from '../../superset/environment-catalog.service';
import { EnvironmentsService } from '../../superset/environments.service';
import { matchDatabases } from './database-suggestions';
import { MigrationMappingEntity } from './entities/migration-mapping.entity';

/** The stored database mappings per pair of environments, and suggestions for the unmapped. */
@Injectable()
export class MigrationMappingsService {
  private readonly logger = new Logger(MigrationMappingsService.name);

  constructor(
    @InjectRepository(MigrationMappingEntity)
    private readonly mappings: Repository<MigrationMappingEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly environments: EnvironmentsService,
    private readonly catalog: EnvironmentCatalogService,
  ) {}

  async get(source: string, target: string): Promise<MigrationMappings> {
    await this.checkPair(source, target);
    const rows = await this.rows(source, target);
    const latest = rows.reduce<MigrationMappingEntity | undefined>(
      (a, r) => (!a || r.updatedAt > a.updatedAt ? r : a),
      undefined,
    );
    return {
      sourceEnvironmentId: source,
      targetEnvironmentId: target,
      mappings: Object.fromEntries(rows.map((r) => [r.sourceDatabaseUuid, r.targetDatabaseUuid])),
      updatedBy: latest?.updatedBy ?? null,
      updatedAt: latest?.updatedAt.toISOString() ?? null,
    };
  }

  /** The mappings the plugin applies (params may override them for one run). */
  async stored(source: string, target: string): Promise<Record<string, string>> {
    const rows = await this.rows(source, target);
    return Object.fromEntries(rows.map((r) => [r.sourceDatabaseUuid, r.targetDatabaseUuid]));
  }

  /** Replaces the pair's whole set in one transaction. */
  async put(
    source: string,
    target: string,
    mappings: Record<string, string>,
    by: string,
  ): Promise<MigrationMappings> {
    await this.checkPair(source, target);
    await this.dataSource.transaction(async (manager) => {
      await manager.delete(MigrationMappingEntity, {
        sourceEnvironmentId: source,
        targetEnvironmentId: target,
      });
      const rows = Object.entries(mappings).map(([from, to]) =>
        manager.create(MigrationMappingEntity, {
          sourceEnvironmentId: source,
          targetEnvironmentId: target,
          sourceDatabaseUuid: from.toLowerCase(),
          targetDatabaseUuid: to.toLowerCase(),
          updatedBy: by,
        }),
      );
      if (rows.length) await manager.save(rows);
    });
    this.logger.log(
      `audit: ${by} saved ${Object.keys(mappings).length} database mapping(s) from ${source} to ${target}`,
    );
    return this.get(source, target);
  }

  /** Both Supersets' databases side by side, the stored mappings, and name-based suggestions. */
  async suggestions(source: string, target: string): Promise<MigrationSuggestions> {
    await this.checkPair(source, target);
    const [sources, targets, stored] = await Promise.all([
      this.catalog.databases(source),
      this.catalog.databases(target),
      this.stored(source, target),
    ]);
    return { databases: matchDatabases(sources, targets, stored), targets };
  }

  private rows(source: string, target: string): Promise<MigrationMappingEntity[]> {
    return this.mappings.find({
      where: { sourceEnvironmentId: source, targetEnvironmentId: target },
      order: { sourceDatabaseUuid: 'ASC' },
    });
  }

  /** 400 for the same environment twice; 404 for one that does not exist. */
  private async checkPair(source: string, target: string): Promise<void> {
    if (source === target) {
      throw new BadRequestException('source and target must be two different environments');
    }
    await Promise.all([this.environments.get(source), this.environments.get(target)]);
  }
}
