// The mapper plugin (CONTRACT.md "The plugins", `mapper`): a dataset's column names and
// descriptions from its table's comments in a database connection. Superset is read and written
// through the client (`superset_api`), the catalog through a short session (`postgres`), and what
// the plugin decides goes to `mapper`.
import type { MapperResult } from '@taskdeck/contracts';
import { ConnectionsService } from '../../integrations/connections/connections.service';
import { describeTarget, openPostgres } from '../../integrations/connections/postgres-session';
import { beliefScope } from '../../settings/belief-scope';
import { SupersetClients } from '../../superset/superset-clients';
import type { TaskContext } from '../../task-log/task-context';
import { TaskPluginDefinition, type TaskPlugin, type TaskPluginMetadata } from '../task-plugin';
import { readColumnComments } from './column-comments';
import { planColumns } from './column-mapping';
import { MAPPER_PARAMS_SCHEMA, type MapperParams } from './mapper-params';

const METADATA: TaskPluginMetadata = {
  id: 'mapper',
  name: 'Mapper',
  description:
    'Sets a dataset’s column verbose names and descriptions from the column comments of its table in a database connection.',
  paramsSchema: MAPPER_PARAMS_SCHEMA,
};

@TaskPluginDefinition(METADATA)
export class MapperPlugin implements TaskPlugin<MapperParams, MapperResult> {
  readonly id = METADATA.id;
  readonly name = METADATA.name;
  readonly description = METADATA.description;
  readonly paramsSchema = METADATA.paramsSchema;

  constructor(
    private readonly superset: SupersetClients,
    private readonly connections: ConnectionsService,
  ) {}

  async execute(params: MapperParams, context: TaskContext): Promise<MapperResult> {
    const log = context.logger;
    const dryRun = params.dryRun ?? false;
    const client = await this.superset.forEnvironment(params.environmentId, {
      logger: log,
      signal: context.signal,
    });
    const dataset = await client.dataset(params.datasetId);
    const schema = params.schema ?? dataset.schema ?? 'public';
    const table = params.table ?? dataset.table_name;
    log.info(
      `dataset ${dataset.id} "${dataset.table_name}": ${dataset.columns.length} column(s); reading the comments of ${schema}.${table}`,
    );
    context.progress(20);

    const target = await this.connections.target(params.connectionId);
    const session = await openPostgres(target, { logger: log.withSource('postgres') });
    let comments: Map<string, string | null> | undefined;
    try {
      comments = await beliefScope('mapper.readComments', () =>
        readColumnComments(session, schema, table),
      );
    } finally {
      await session.close();
    }
    if (!comments) throw new Error(`${describeTarget(target)} has no table ${schema}.${table}`);
    log
      .withSource('postgres')
      .info(
        `${schema}.${table}: ${comments.size} column(s), ${[...comments.values()].filter(Boolean).length} with a comment`,
      );
    context.progress(50);
    context.signal.throwIfAborted();

    const plan = planColumns(dataset.columns, comments, params.overwrite ?? false);
    for (const column of plan.missing) {
      log.warning(`column ${column} is in the dataset but not in ${schema}.${table}`, { column });
    }
    for (const change of plan.changes) {
      const line = `${change.column}: ${show(change.previousVerboseName)} → ${show(change.verboseName)}; description ${show(change.previousDescription)} → ${show(change.description)}`;
      if (change.changed) log.info(line, { ...change });
      else log.debug(`${change.column}: unchanged (${show(change.verboseName)})`);
    }
    const changed = plan.changes.filter((c) => c.changed).length;
    const result: MapperResult = {
      columns: plan.changes.map(({ changed: _changed, ...c }) => c),
      updated: false,
      dryRun,
      missing: plan.missing,
    };
    if (dryRun || changed === 0) {
      log.info(
        dryRun
          ? `dry run: ${changed} column(s) would change; nothing written`
          : 'every column already has these names and descriptions; nothing to write',
      );
      context.progress(100);
      return result;
    }
    await client.updateDataset(dataset.id, { columns: plan.columns, metrics: dataset.metrics });
    result.updated = true;
    log.info(`dataset ${dataset.id} updated: ${changed} column(s) changed`);
    context.progress(100);
    return result;
  }
}

function show(value: string | null): string {
  return value === null ? '(none)' : `"${value}"`;
}
