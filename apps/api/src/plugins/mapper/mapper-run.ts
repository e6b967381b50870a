// The mapper's I/O edge: the dataset from Superset (`superset_api`), the table's comments from the
// connection's catalog (`postgres`), the plan (column-mapping.ts, pure), and the dataset written
// back whole. What the plugin decides goes to the task's default source, `mapper`.
import type { MapperResult } from '@taskdeck/contracts';
import {
  describeTarget,
  openPostgres,
  type PostgresTarget,
} from '../../integrations/connections/postgres-session';
import type { SupersetClient } from '../../superset/client/superset-client';
import type { TaskContext } from '../../plugin-api';
import { readColumnComments } from './column-comments';
import { planColumns } from './column-mapping';
import type { MapperParams } from './mapper-params';

export async function runMapper(
  sides: { client: SupersetClient; database: PostgresTarget },
  params: Omit<MapperParams, 'environmentId' | 'connectionId'>,
  context: TaskContext,
): Promise<MapperResult> {
  const { client, database } = sides;
  const log = context.logger;
  const dryRun = params.dryRun ?? false;
  const dataset = await client.dataset(params.datasetId);
  const schema = params.schema ?? dataset.schema ?? 'public';
  const table = params.table ?? dataset.table_name;
  log.info(
    `dataset ${dataset.id} "${dataset.table_name}": ${dataset.columns.length} column(s); reading the comments of ${schema}.${table}`,
  );
  context.progress(20);

  const postgres = log.withSource('postgres');
  const session = await openPostgres(database, { logger: postgres });
  let comments: Map<string, string | null> | undefined;
  try {
    comments = await readColumnComments(session, schema, table);
  } finally {
    await session.close();
  }
  if (!comments) throw new Error(`${describeTarget(database)} has no table ${schema}.${table}`);
  postgres.info(
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

function show(value: string | null): string {
  return value === null ? '(none)' : `"${value}"`;
}
