// The documentation plugin's I/O edge: the dataset (and a few rows through SQL Lab, where its
// database allows it) from Superset (`superset_api`), the descriptions from the LLM (`llm`), the plan
// (documentation-plan.ts, pure), and the dataset written back whole. What the plugin decides goes
// to the task's default source, `documentation`.
import type { DocumentationResult } from '@taskdeck/contracts';
import { LlmAnswerError, type LlmClient } from '../../llm/llm-client';
import { TaskFailure, type TaskContext } from '../../plugin-api';
import type { SupersetClient } from '../../superset/client/superset-client';
import type { DatasetDetail } from '../../superset/client/superset-types';
import {
  buildPrompt,
  columnsToDescribe,
  DOCUMENTATION_ANSWER_SCHEMA,
  planDocumentation,
  sampleQuery,
  sampleValues,
  type DocumentationAnswer,
} from './documentation-plan';
import type { DocumentationParams } from './documentation-params';

const SAMPLE_ROWS = 20;

export async function runDocumentation(
  sides: { client: SupersetClient; llm: () => Promise<LlmClient> },
  params: Omit<DocumentationParams, 'environmentId' | 'providerId'>,
  context: TaskContext,
): Promise<DocumentationResult> {
  const { client } = sides;
  const log = context.logger;
  const dryRun = params.dryRun ?? false;
  const overwrite = params.overwrite ?? false;
  const language = params.language?.trim() || 'English';
  const dataset = await client.dataset(params.datasetId);
  const asked = columnsToDescribe(dataset, overwrite);
  const describeDataset = overwrite || !dataset.description?.trim();
  log.info(
    `dataset ${dataset.id} "${dataset.table_name}": ${dataset.columns.length} column(s), ${asked.length} to describe${describeDataset ? ', and the dataset' : ''}; language ${language}`,
  );
  context.progress(10);

  const result: DocumentationResult = {
    description: dataset.description ?? null,
    previousDescription: dataset.description ?? null,
    descriptionChanged: false,
    columns: [],
    written: false,
    dryRun,
    language,
    samples: { read: false },
  };
  if (asked.length === 0 && !describeDataset) {
    result.columns = dataset.columns.map((c) => ({
      column: c.column_name,
      description: c.description ?? null,
      previousDescription: c.description ?? null,
      changed: false,
    }));
    result.samples.reason = 'nothing to describe';
    log.info(
      'the dataset and every column have a description already (overwrite is off): nothing to ask',
    );
    context.progress(100);
    return result;
  }

  const samples =
    params.samples === false
      ? ((result.samples = { read: false, reason: 'not asked for (samples: false)' }), undefined)
      : await readSamples(client, dataset, result, context);
  context.progress(35);
  context.signal.throwIfAborted();

  const llm = await sides.llm();
  const prompt = buildPrompt(dataset, asked, samples, language);
  let answer: DocumentationAnswer;
  try {
    answer = await llm.json<DocumentationAnswer>({
      purpose: 'dataset documentation',
      system: prompt.system,
      user: prompt.user,
      schema: DOCUMENTATION_ANSWER_SCHEMA,
      schemaName: 'dataset_documentation',
    });
  } catch (error) {
    if (error instanceof LlmAnswerError) {
      throw new TaskFailure(error.message, { ...result, rawAnswer: error.rawAnswer });
    }
    throw error;
  }
  context.progress(75);
  context.signal.throwIfAborted();

  const plan = planDocumentation(dataset, asked, answer, overwrite);
  for (const name of plan.unknown) {
    log.warning(`the model described a column the dataset does not have: ${name} (ignored)`, {
      column: name,
    });
  }
  for (const name of plan.missing) {
    log.warning(`the model left out column ${name}: its description stays as it is`, {
      column: name,
    });
  }
  if (plan.descriptionChanged) {
    log.info(`dataset description: ${show(plan.previousDescription)} → ${show(plan.description)}`);
  }
  for (const change of plan.changes) {
    if (change.changed) {
      log.info(
        `${change.column}: ${show(change.previousDescription)} → ${show(change.description)}`,
        {
          ...change,
        },
      );
    }
  }
  const changed = plan.changes.filter((c) => c.changed).length + (plan.descriptionChanged ? 1 : 0);
  Object.assign(result, {
    description: plan.description,
    descriptionChanged: plan.descriptionChanged,
    columns: plan.changes,
  });
  if (dryRun || changed === 0) {
    log.info(
      dryRun
        ? `dry run: ${changed} description(s) would change; nothing written`
        : 'no description changes; nothing to write',
    );
    context.progress(100);
    return result;
  }
  await client.updateDataset(dataset.id, {
    columns: plan.columns,
    metrics: dataset.metrics,
    ...(plan.descriptionChanged ? { description: plan.description } : {}),
  });
  result.written = true;
  log.info(`dataset ${dataset.id} updated: ${changed} description(s) written`);
  context.progress(100);
  return result;
}

/** A few rows through SQL Lab, or undefined with the reason in the result (and the log). */
async function readSamples(
  client: SupersetClient,
  dataset: DatasetDetail,
  result: DocumentationResult,
  context: TaskContext,
): Promise<Map<string, string[]> | undefined> {
  const log = context.logger;
  const databaseId = dataset.database?.id;
  if (!databaseId) {
    result.samples = { read: false, reason: 'the dataset names no database' };
    log.warning('no sample values: the dataset names no database');
    return undefined;
  }
  const database = await client.database(databaseId);
  if (database.expose_in_sqllab === false) {
    const reason = `database "${database.database_name}" is not exposed in SQL Lab`;
    result.samples = { read: false, reason };
    log.info(`no sample values: ${reason}; describing from names, types and SQL only`);
    return undefined;
  }
  const sql = sampleQuery(dataset, SAMPLE_ROWS);
  try {
    const answer = await client.executeSql(databaseId, sql, {
      schema: dataset.schema,
      limit: SAMPLE_ROWS,
    });
    const samples = sampleValues(answer.data);
    result.samples = { read: true };
    log.info(`read ${answer.data.length} sample row(s) through SQL Lab`, { sql });
    return samples;
  } catch (error) {
    if (context.signal.aborted) throw error;
    const reason = `SQL Lab refused the sample query: ${(error as Error).message}`;
    result.samples = { read: false, reason };
    log.warning(`no sample values: ${reason}`, { sql });
    return undefined;
  }
}

function show(value: string | null): string {
  return value === null || value === '' ? '(none)' : `"${value}"`;
}
