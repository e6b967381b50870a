// The documentation plugin's run on real Superset A's seeded `orders` dataset, the LLM the fake:
// sample values read through the real SQL Lab, the
// descriptions written with the full-list PUT, every other column field and every metric untouched.
import { recordingTaskContext } from '../../src/plugin-api/testing/recording-task-context';
import { LlmClient } from '../../src/llm/llm-client';
import { runDocumentation } from '../../src/plugins/documentation/documentation-run';
import { FakeLlm, promptText } from '../fakes/llm/fake-llm';
import { clientFor } from '../superset/client-contract';
import { recordingLogger } from '../superset/recording-logger';
import { instance } from './instances';

describe('documentation on Superset A', () => {
  const a = instance('a');
  let llm: FakeLlm;

  beforeAll(async () => {
    llm = await FakeLlm.start();
  });
  afterAll(() => llm?.stop());

  it('writes the descriptions, leaving other columns’ fields and the metrics as they were', async () => {
    const logger = recordingLogger([], 'documentation');
    const client = clientFor(a.connection, logger.lines);
    const { context } = recordingTaskContext({ taskId: 'superset-tier', logger: logger });
    const datasetId = a.seed.datasetIds[0]; // public.orders
    // No descriptions first, so that every run of this test has something to write.
    const seeded = await client.dataset(datasetId);
    await client.updateDataset(datasetId, {
      columns: seeded.columns.map((c) => ({ ...c, description: null })),
      metrics: seeded.metrics,
      description: null,
    });
    const before = await client.dataset(datasetId);
    llm.defaultAnswer = (body) => {
      const asked = [...promptText(body).matchAll(/^- ([A-Za-z0-9_]+):/gm)].map((m) => m[1]);
      return JSON.stringify({
        description: 'Beschreibung der Bestellungen',
        columns: asked.map((column) => ({ column, description: `Spalte ${column} (Test)` })),
      });
    };
    const result = await runDocumentation(
      {
        client,
        llm: async () =>
          new LlmClient(
            { name: 'fake', baseUrl: llm.baseUrl, model: 'gpt-fake' },
            { logger, timeoutMs: 10_000, tries: 3, maxRetryAfterMs: 5000, debugChars: 4096 },
          ),
      },
      { datasetId, overwrite: true, language: 'Deutsch' },
      context,
    );
    expect(result.written).toBe(true);
    const after = await client.dataset(datasetId);
    expect(after.description).toBe('Beschreibung der Bestellungen');
    for (const column of after.columns) {
      expect(column.description).toBe(`Spalte ${column.column_name} (Test)`);
      const old = before.columns.find((c) => c.column_name === column.column_name)!;
      expect({ ...column, description: null, changed_on: null }).toEqual({
        ...old,
        description: null,
        changed_on: null,
      });
    }
    // The same columns, none added or lost. Superset lists them in its metadata
    // database's row order, which an UPDATE may change, so the order is not compared.
    const names = (columns: { column_name: string }[]) => columns.map((c) => c.column_name).sort();
    expect(names(after.columns)).toEqual(names(before.columns));
    const metrics = (list: Record<string, unknown>[]) =>
      list
        .map((m) => ({ ...m, changed_on: null }))
        .sort((x, y) => JSON.stringify(x).localeCompare(JSON.stringify(y)));
    expect(metrics(after.metrics)).toEqual(metrics(before.metrics));
    expect(promptText(llm.chatRequests().at(-1)!.body)).toMatch(
      /Write every description in Deutsch/,
    );
    // The seeded examples database allows SQL Lab: the prompt carries sample values.
    expect(result.samples).toEqual({ read: true });
    expect(promptText(llm.chatRequests().at(-1)!.body)).toMatch(/sample values:/);
  });
});
