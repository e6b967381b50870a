// The backup plugin (CONTRACT.md "The plugins", `backup`): Superset dashboards into storage as one
// importable ZIP per run (backup-run.ts), and a backup ZIP back into an environment with
// `action: "restore"` (restore-run.ts).
import type { BackupResult, RestoreResult } from '@taskdeck/contracts';
import { TaskPluginBase, TaskPluginDefinition, type TaskContext } from '../../plugin-api';
import { SecretsService } from '../../secrets/secrets.service';
import { StorageService } from '../../storage/storage.service';
import { EnvironmentsService } from '../../superset/environments.service';
import { SupersetClients } from '../../superset/superset-clients.service';
import { openSecretParam } from '../secret-params';
import { BACKUP_PARAMS_SCHEMA, checkBackupParams, type BackupParams } from './backup-params';
import { runBackup } from './backup-run';
import { runRestore } from './restore-run';

@TaskPluginDefinition({
  id: 'backup',
  name: 'Backup',
  description:
    'Backs up a Superset’s dashboards (with charts, datasets and databases) into storage as one importable ZIP, or restores such a ZIP into an environment.',
  paramsSchema: BACKUP_PARAMS_SCHEMA,
  checkParams: checkBackupParams,
})
export class BackupPlugin extends TaskPluginBase<BackupParams, BackupResult | RestoreResult> {
  constructor(
    private readonly superset: SupersetClients,
    private readonly environments: EnvironmentsService,
    private readonly storage: StorageService,
    private readonly secrets: SecretsService,
  ) {
    super();
  }

  async execute(params: BackupParams, context: TaskContext): Promise<BackupResult | RestoreResult> {
    const environment = await this.environments.get(params.environmentId);
    const client = await this.superset.forEnvironment(params.environmentId, {
      logger: context.logger,
      signal: context.signal,
    });
    if (params.action === 'restore') {
      const passwords = Object.fromEntries(
        Object.entries(params.passwords ?? {}).map(([uuid, sealed]) => [
          uuid.toLowerCase(),
          openSecretParam(sealed, this.secrets),
        ]),
      );
      return runRestore(
        {
          client,
          storage: this.storage,
          environmentId: environment.id,
          environmentName: environment.name,
          passwords,
        },
        { path: params.path!, overwrite: params.overwrite },
        context,
      );
    }
    return runBackup(
      { client, storage: this.storage, environmentName: environment.name },
      params,
      context,
    );
  }
}
