// The migration plugin (CONTRACT.md "The plugins", `migration`): dashboards from one environment
// to another, their databases mapped. This class only gathers what a run needs (both clients, the
// stored mappings, the opened passwords, a work folder); migration-run.ts does the run.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { MigrationResult } from '@taskdeck/contracts';
import {
  TaskPluginBase,
  TaskPluginDefinition,
  beliefScope,
  type TaskContext,
} from '../../plugin-api';
import { SecretsService } from '../../secrets/secrets.service';
import { EnvironmentsService } from '../../superset/environments.service';
import { SupersetClients } from '../../superset/superset-clients.service';
import { openSecretParam } from '../secret-params';
import { MigrationMappingsService } from './migration-mappings.service';
import {
  checkMigrationParams,
  MIGRATION_PARAMS_SCHEMA,
  type MigrationParams,
} from './migration-params';
import { runMigration } from './migration-run';

@TaskPluginDefinition({
  id: 'migration',
  name: 'Migration',
  description:
    'Carries dashboards (with their charts, datasets and databases) from one Superset to another, mapping databases and fixing filter chart ids.',
  paramsSchema: MIGRATION_PARAMS_SCHEMA,
  checkParams: checkMigrationParams,
})
export class MigrationPlugin extends TaskPluginBase<MigrationParams, MigrationResult> {
  constructor(
    private readonly superset: SupersetClients,
    private readonly environments: EnvironmentsService,
    private readonly mappings: MigrationMappingsService,
    private readonly secrets: SecretsService,
  ) {
    super();
  }

  async execute(params: MigrationParams, context: TaskContext): Promise<MigrationResult> {
    const options = { logger: context.logger, signal: context.signal };
    const [source, target, sourceEnv, targetEnv, storedMappings] = await Promise.all([
      this.superset.forEnvironment(params.sourceEnvironmentId, options),
      this.superset.forEnvironment(params.targetEnvironmentId, options),
      this.environments.get(params.sourceEnvironmentId),
      this.environments.get(params.targetEnvironmentId),
      this.mappings.stored(params.sourceEnvironmentId, params.targetEnvironmentId),
    ]);
    const passwords = Object.fromEntries(
      Object.entries(params.passwords ?? {}).map(([uuid, sealed]) => [
        uuid.toLowerCase(),
        openSecretParam(sealed, this.secrets),
      ]),
    );
    const workDir = await mkdtemp(join(tmpdir(), 'taskdeck-migration-'));
    try {
      return await beliefScope('migration.run', () =>
        runMigration(
          {
            source,
            target,
            sourceName: `"${sourceEnv.name}"`,
            targetName: `"${targetEnv.name}"`,
            storedMappings,
            passwords,
            workDir,
          },
          params,
          context,
        ),
      );
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
  }
}
