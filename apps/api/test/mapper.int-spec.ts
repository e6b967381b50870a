// The mapper plugin through the real app: a fake Superset's dataset, and a real PostgreSQL table
// (in this test file's own database) whose column comments are the truth.
import type { Connection, Environment, LogEntry, MapperResult, Task } from '@taskdeck/contracts';
import { FakeSuperset, FAKE_ADMIN, type FakeDataset } from './fakes/superset';
import { ApiClient } from './utils/api-client';
import { connectionTo } from './utils/connections';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { startTestApp, type TestApp } from './utils/test-app';

describe('mapper', () => {
  let t: TestApp;
  let fake: FakeSuperset;
  let operator: ApiClient;
  let environment: Environment;
  let connection: Connection;
  let dataset: FakeDataset;

  beforeAll(async () => {
    fake = await FakeSuperset.start();
    const db = fake.store.addDatabase({ database_name: 'warehouse' });
    dataset = fake.store.addDataset({
      database_id: db.id,
      table_name: 'orders',
      schema: 'sales',
      columns: [
        { column_name: 'id', type: 'INTEGER' },
        { column_name: 'amount', type: 'NUMERIC', verbose_name: 'Betrag' },
        { column_name: 'ordered_at', type: 'TIMESTAMP', is_dttm: true },
        { column_name: 'legacy_flag', type: 'BOOLEAN' },
        { column_name: 'doubled', expression: 'amount * 2' },
      ],
      metrics: [
        { metric_name: 'count', expression: 'COUNT(*)' },
        { metric_name: 'revenue', expression: 'SUM(amount)' },
      ],
    });
    t = await startTestApp();
    await t.dataSource.query(`
      CREATE SCHEMA sales;
      CREATE TABLE sales.orders (id integer PRIMARY KEY, amount numeric, ordered_at timestamptz, note text);
      COMMENT ON COLUMN sales.orders.id IS 'Order number';
      COMMENT ON COLUMN sales.orders.amount IS 'Amount|Total in EUR, tax included';
      COMMENT ON COLUMN sales.orders.ordered_at IS 'Ordered at
When the customer confirmed';`);
    const admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' });
    environment = (
      await admin.post<Environment>('/api/environments', {
        name: 'BI',
        url: fake.url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
      })
    ).body;
    connection = (
      await admin.post<Connection>('/api/connections', connectionTo(t.databaseUrl, 'Warehouse'))
    ).body;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  async function map(params: Record<string, unknown>): Promise<{
    task: Task;
    result: MapperResult;
    logs: LogEntry[];
  }> {
    const task = await startTask(operator, 'mapper', {
      environmentId: environment.id,
      datasetId: dataset.id,
      connectionId: connection.id,
      ...params,
    });
    const done = await waitForStatus(operator, task.id, ['SUCCESS', 'FAILED', 'CANCELLED']);
    return {
      task: done,
      result: done.result as MapperResult,
      logs: await readAllLogs(operator, task.id),
    };
  }

  const column = (name: string) =>
    fake.store.datasets.get(dataset.id)!.columns.find((c) => c.column_name === name)!;
  const puts = () =>
    fake.requests.filter((r) => r.method === 'PUT' && r.path === `/api/v1/dataset/${dataset.id}`);

  it('dry run: old → new per column, a WARNING for the column the table lacks, nothing written', async () => {
    const { task, result, logs } = await map({ dryRun: true });
    expect(task.status).toBe('SUCCESS');
    expect(result).toMatchObject({ updated: false, dryRun: true, missing: ['legacy_flag'] });
    expect(result.columns).toEqual([
      {
        column: 'id',
        verboseName: 'Order number',
        description: 'Order number',
        previousVerboseName: null,
        previousDescription: null,
      },
      {
        column: 'amount',
        verboseName: 'Betrag',
        description: 'Total in EUR, tax included',
        previousVerboseName: 'Betrag',
        previousDescription: null,
      },
      {
        column: 'ordered_at',
        verboseName: 'Ordered at',
        description: 'When the customer confirmed',
        previousVerboseName: null,
        previousDescription: null,
      },
    ]);
    expect(puts()).toHaveLength(0);
    expect(column('id').verbose_name).toBeNull();
    const warnings = logs.filter((l) => l.level === 'WARNING');
    expect(warnings.map((l) => `${l.source}: ${l.message}`)).toEqual([
      'mapper: column legacy_flag is in the dataset but not in sales.orders',
    ]);
    const postgres = logs.filter((l) => l.source === 'postgres');
    expect(
      postgres.some((l) => l.level === 'DEBUG' && /pg_catalog\.pg_attribute/.test(l.message)),
    ).toBe(true);
    expect(logs.some((l) => l.source === 'superset_api')).toBe(true);
  });

  it('writes names and descriptions, keeps a verbose name without overwrite, sends every list whole', async () => {
    const { task, result } = await map({});
    expect(task.status).toBe('SUCCESS');
    expect(result.updated).toBe(true);
    expect(column('id')).toMatchObject({
      verbose_name: 'Order number',
      description: 'Order number',
    });
    expect(column('amount')).toMatchObject({
      verbose_name: 'Betrag',
      description: 'Total in EUR, tax included',
    });
    const stored = fake.store.datasets.get(dataset.id)!;
    expect(stored.columns.map((c) => c.column_name)).toEqual([
      'id',
      'amount',
      'ordered_at',
      'legacy_flag',
      'doubled',
    ]);
    expect(column('doubled').expression).toBe('amount * 2');
    expect(stored.metrics.map((m) => m.metric_name)).toEqual(['count', 'revenue']);
  });

  it('with overwrite the comment replaces the verbose name; then a run has nothing to write', async () => {
    expect((await map({ overwrite: true })).result.updated).toBe(true);
    expect(column('amount').verbose_name).toBe('Amount');
    const before = puts().length;
    const again = await map({ overwrite: true });
    expect(again.result.updated).toBe(false);
    expect(puts()).toHaveLength(before);
  });

  it('a table the connection does not have fails the task with a sentence', async () => {
    const { task } = await map({ table: 'nope' });
    expect(task.status).toBe('FAILED');
    expect(task.error).toMatch(/^PostgreSQL "Warehouse" at .* has no table sales\.nope$/);
  });
});
