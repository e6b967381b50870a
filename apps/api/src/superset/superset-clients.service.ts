import { Injectable } from '@nestjs/common';
import type { TaskLogger } from '../plugin-api';
import { SupersetClient, type SupersetClientOptions } from './client/superset-client';
import { EnvironmentsService } from './environments.service';

/**
 * Makes a SupersetClient for an environment: one per environment and task, so its login, cookies
 * and in-flight bound belong to that task. Plugins inject this and pass their task's logger and
 * signal; the client logs each request under `superset_api`.
 */
@Injectable()
export class SupersetClients {
  constructor(private readonly environments: EnvironmentsService) {}

  async forEnvironment(
    environmentId: string,
    options: Omit<SupersetClientOptions, 'logger'> & { logger: TaskLogger },
  ): Promise<SupersetClient> {
    const connection = await this.environments.connection(environmentId);
    return new SupersetClient(connection, options);
  }
}
