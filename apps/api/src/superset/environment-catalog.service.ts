import { BadGatewayException, ConflictException, Injectable } from '@nestjs/common';
import type {
  EnvironmentTestResult,
  SupersetDashboardSummary,
  SupersetDatabaseSummary,
  SupersetDatasetSummary,
} from '@taskdeck/contracts';
import { SecretUnreadableError } from '../secrets/secret-box';
import type { SupersetClient } from './client/superset-client';
import { SupersetError } from './client/superset-errors';
import { serverTaskLogger } from './server-task-logger';
import { SupersetClients } from './superset-clients.service';

/**
 * What the console asks an environment's Superset: a connection test, and its dashboards,
 * datasets and databases for the pickers (every page, in the shapes of CONTRACT.md).
 */
@Injectable()
export class EnvironmentCatalogService {
  private readonly logger = serverTaskLogger('superset_api');

  constructor(private readonly clients: SupersetClients) {}

  /** Logs in, reads the version where Superset has one, counts dashboards; never throws for Superset. */
  async test(id: string): Promise<EnvironmentTestResult> {
    try {
      const client = await this.client(id, { retries: 0, timeoutMs: 15_000 });
      await client.login();
      const [supersetVersion, dashboards] = await Promise.all([
        client.version().catch(() => undefined),
        client.listPage('dashboard', 0).then((page) => page.count),
      ]);
      return supersetVersion ? { ok: true, supersetVersion, dashboards } : { ok: true, dashboards };
    } catch (error) {
      if (error instanceof SupersetError || error instanceof SecretUnreadableError) {
        return { ok: false, error: error.message };
      }
      throw error;
    }
  }

  async dashboards(id: string, search?: string): Promise<SupersetDashboardSummary[]> {
    const rows = await this.ask(id, (client) => client.dashboards(search));
    return rows
      .map((d) => ({
        id: d.id,
        uuid: d.uuid,
        title: d.dashboard_title,
        slug: d.slug ?? null,
        published: Boolean(d.published),
        changedOn: typeof d.changed_on_utc === 'string' ? d.changed_on_utc : null,
      }))
      .sort((a, b) => a.title.localeCompare(b.title) || a.id - b.id);
  }

  async datasets(id: string, search?: string): Promise<SupersetDatasetSummary[]> {
    const rows = await this.ask(id, (client) => client.datasets(search));
    return rows
      .map((d) => ({
        id: d.id,
        uuid: d.uuid,
        tableName: d.table_name,
        schema: d.schema ?? null,
        databaseName: d.database?.database_name ?? '',
      }))
      .sort((a, b) => a.tableName.localeCompare(b.tableName) || a.id - b.id);
  }

  async databases(id: string): Promise<SupersetDatabaseSummary[]> {
    const rows = await this.ask(id, (client) => client.databases());
    return rows
      .map((d) => ({ id: d.id, uuid: d.uuid, name: d.database_name, backend: d.backend }))
      .sort((a, b) => a.name.localeCompare(b.name) || a.id - b.id);
  }

  private client(
    id: string,
    options: { retries?: number; timeoutMs?: number } = {},
  ): Promise<SupersetClient> {
    return this.clients.forEnvironment(id, { logger: this.logger, ...options });
  }

  /** Superset's trouble is a 502 with its sentence; a password sealed with another key, a 409. */
  private async ask<T>(id: string, question: (client: SupersetClient) => Promise<T>): Promise<T> {
    try {
      return await question(await this.client(id));
    } catch (error) {
      if (error instanceof SupersetError) throw new BadGatewayException(error.message);
      if (error instanceof SecretUnreadableError) throw new ConflictException(error.message);
      throw error;
    }
  }
}
