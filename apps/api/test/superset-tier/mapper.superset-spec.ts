// The mapper's run on real Superset A's seeded `orders` dataset, with the comments of the table in
// A's examples PostgreSQL: the verbose names and descriptions read back from Superset.
import { recordingTaskContext } from '../../src/plugin-api/testing/recording-task-context';
import { runMapper } from '../../src/plugins/mapper/mapper-run';
import { clientFor } from '../superset/client-contract';
import { recordingLogger } from '../superset/recording-logger';
import { instance } from './instances';

describe('mapper on Superset A', () => {
  const a = instance('a');

  it('sets verbose names and descriptions from the column comments', async () => {
    const logger = recordingLogger([], 'mapper');
    const client = clientFor(a.connection, logger.lines);
    const pg = new URL(a.state.postgresUrl);
    const { context } = recordingTaskContext({ taskId: 'superset-tier', logger: logger });
    const datasetId = a.seed.datasetIds[0]; // public.orders
    // A stale name first, so that every run of this test has something to write.
    const before = await client.dataset(datasetId);
    await client.updateDataset(datasetId, {
      columns: before.columns.map((c) =>
        c.column_name === 'amount' ? { ...c, verbose_name: 'stale', description: null } : c,
      ),
      metrics: before.metrics,
    });
    const result = await runMapper(
      {
        client,
        database: {
          name: 'examples',
          host: pg.hostname,
          port: Number(pg.port),
          database: a.state.examplesDatabase,
          username: decodeURIComponent(pg.username),
          password: decodeURIComponent(pg.password) || undefined,
        },
      },
      { datasetId, overwrite: true },
      context,
    );
    expect(result.missing).toEqual([]);
    expect(result.updated).toBe(true);
    expect(result.columns.find((c) => c.column === 'amount')).toMatchObject({
      previousVerboseName: 'stale',
      verboseName: 'Amount',
    });
    const dataset = await client.dataset(datasetId);
    const byName = Object.fromEntries(dataset.columns.map((c) => [c.column_name, c]));
    expect(byName.amount).toMatchObject({
      verbose_name: 'Amount',
      description: 'Total in EUR, tax included',
    });
    expect(byName.customer_id).toMatchObject({
      verbose_name: 'Customer',
      description: 'Who ordered',
    });
    expect(byName.id).toMatchObject({ verbose_name: 'Order number', description: 'Order number' });
    expect(dataset.metrics.length).toBeGreaterThan(0); // the full list went back
    expect(logger.lines.some((l) => l.source === 'postgres')).toBe(true);
    expect(
      logger.lines.some((l) => l.source === 'superset_api' && l.message.startsWith('PUT ')),
    ).toBe(true);
  });
});
