// The debug plugin's Superset actions (CONTRACT.md "The plugins", the debug row): the first plugin
// code that calls Superset, and the model for those that follow. What it does and decides goes to
// the `debug` source at INFO; every request to the `superset_api` source at DEBUG (the client).
import type { SupersetDatabaseSummary } from '@taskdeck/contracts';
import type { SupersetClients } from '../../superset/superset-clients.service';
import type { TaskContext } from '../../plugin-api';
import type { DebugParams } from './debug-params';

export interface CompareDatabasesResult {
  source: SupersetDatabaseSummary[];
  target: SupersetDatabaseSummary[];
  /** In the source only (by uuid): a migration needs a mapping for each. */
  onlyInSource: SupersetDatabaseSummary[];
  onlyInTarget: SupersetDatabaseSummary[];
}

async function databasesOf(
  clients: SupersetClients,
  environmentId: string,
  context: TaskContext,
): Promise<SupersetDatabaseSummary[]> {
  const client = await clients.forEnvironment(environmentId, {
    logger: context.logger,
    signal: context.signal,
  });
  const rows = await client.databases();
  context.logger.info(`${client.url}: ${rows.length} database(s)`);
  return rows
    .map((d) => ({ id: d.id, uuid: d.uuid, name: d.database_name, backend: d.backend }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Both environments' databases, matched by uuid (what a dashboard import matches them by). */
export async function compareDatabases(
  clients: SupersetClients,
  params: DebugParams,
  context: TaskContext,
): Promise<CompareDatabasesResult> {
  const log = context.logger;
  const [source, target] = await Promise.all([
    databasesOf(clients, String(params.sourceEnvironmentId), context),
    databasesOf(clients, String(params.targetEnvironmentId), context),
  ]);
  context.progress(50);
  const targetUuids = new Set(target.map((d) => d.uuid));
  const sourceUuids = new Set(source.map((d) => d.uuid));
  const onlyInSource = source.filter((d) => !targetUuids.has(d.uuid));
  const onlyInTarget = target.filter((d) => !sourceUuids.has(d.uuid));
  for (const database of source) {
    if (targetUuids.has(database.uuid)) {
      log.info(`"${database.name}" is on both sides (uuid ${database.uuid})`, { database });
    }
  }
  for (const database of onlyInSource) {
    const namesake = onlyInTarget.find((d) => d.name === database.name);
    if (namesake) {
      log.warning(
        `"${database.name}" has another uuid on the target (${database.uuid} → ${namesake.uuid}): a migration needs a mapping for it`,
        { source: database, target: namesake },
      );
    } else {
      log.info(`"${database.name}" is only in the source`, { database });
    }
  }
  for (const database of onlyInTarget) {
    log.info(`"${database.name}" is only in the target`, { database });
  }
  log.info(
    `${source.length} source and ${target.length} target database(s): ${onlyInSource.length} only in the source, ${onlyInTarget.length} only in the target`,
  );
  context.progress(100);
  return { source, target, onlyInSource, onlyInTarget };
}

/** One dataset as Superset describes it (`GET /api/v1/dataset/:id`), returned whole. */
export async function showDataset(
  clients: SupersetClients,
  params: DebugParams,
  context: TaskContext,
): Promise<Record<string, unknown>> {
  const client = await clients.forEnvironment(String(params.environmentId), {
    logger: context.logger,
    signal: context.signal,
  });
  const dataset = await client.dataset(Number(params.datasetId));
  const where = [dataset.database?.database_name, dataset.schema].filter(Boolean).join('.');
  context.logger.info(
    `dataset ${dataset.id} "${dataset.table_name}" in ${where || 'an unnamed database'}: ${dataset.columns.length} column(s), ${dataset.metrics.length} metric(s)`,
    { id: dataset.id, uuid: dataset.uuid, kind: dataset.kind ?? null },
  );
  for (const column of dataset.columns) {
    context.logger.debug(`column ${column.column_name}: ${column.type ?? 'no type'}`, {
      verboseName: column.verbose_name ?? null,
      description: column.description ?? null,
    });
  }
  context.progress(100);
  return dataset;
}
