// The search plugin through the real app against a fake Superset: plain and case-insensitive
// patterns, chart params, a pattern that does not compile (400), at most 4 detail requests in
// flight, cancel between datasets, and a catastrophic pattern that is skipped value by value
// with a WARNING while /api/health keeps answering.
import type { Environment, SearchResult, Task } from '@taskdeck/contracts';
import { FakeSuperset, FAKE_ADMIN } from './fakes/superset';
import { ApiClient } from './utils/api-client';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { startTestApp, type TestApp } from './utils/test-app';

describe('search', () => {
  let t: TestApp;
  let fake: FakeSuperset;
  let operator: ApiClient;
  let environment: Environment;
  const evil = `SELECT '${'a'.repeat(34)}!' AS x`;
  const SQL = 'SELECT o.id, o.customer_id, o.amount FROM raw.orders o WHERE o.amount > 0';

  beforeAll(async () => {
    fake = await FakeSuperset.start();
    const db = fake.store.addDatabase({ database_name: 'warehouse' });
    const orders = fake.store.addDataset({
      database_id: db.id,
      table_name: 'orders',
      sql: SQL,
      columns: [
        { column_name: 'customer_id', type: 'INTEGER' },
        { column_name: 'net', expression: 'amount / 1.19' },
      ],
      metrics: [{ metric_name: 'customers', expression: 'COUNT(DISTINCT Customer_ID)' }],
    });
    fake.store.addDataset({
      database_id: db.id,
      table_name: 'plain',
      columns: [{ column_name: 'x' }],
    });
    fake.store.addChart({
      datasource_id: orders.id,
      slice_name: 'By customer',
      params: JSON.stringify({ groupby: ['customer_id'], viz_type: 'table' }),
    });
    for (let i = 0; i < 3; i++) {
      fake.store.addDataset({
        database_id: db.id,
        table_name: `evil_${i}`,
        sql: evil,
        columns: [{ column_name: 'x', expression: `'${'a'.repeat(34)}!'` }],
      });
    }
    t = await startTestApp();
    const admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    environment = (
      await admin.post<Environment>('/api/environments', {
        name: 'BI',
        url: fake.url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
      })
    ).body;
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  async function search(params: Record<string, unknown>): Promise<Task> {
    const task = await startTask(operator, 'search', { environmentId: environment.id, ...params });
    return waitForStatus(operator, task.id, ['SUCCESS', 'FAILED', 'CANCELLED']);
  }
  const fieldsOf = (task: Task) =>
    (task.result as SearchResult).results.map((r) => `${r.datasetName} ${r.field}`);

  it('plain and case-insensitive (the default): every match with its context', async () => {
    const task = await search({ pattern: 'customer_id' });
    expect(task.status).toBe('SUCCESS');
    const result = task.result as SearchResult;
    expect(fieldsOf(task)).toEqual([
      'public.orders sql',
      'public.orders columns.customer_id',
      'public.orders metrics.customers.expression',
    ]);
    expect(result.count).toBe(3);
    expect(result.skipped).toEqual([]);
    const [sql] = result.results;
    expect(sql).toMatchObject({
      datasetId: 1,
      datasetName: 'public.orders',
      field: 'sql',
      // From the start (fewer than 40 characters before the match) to 40 after it.
      matchContext: SQL.slice(0, SQL.indexOf('customer_id') + 'customer_id'.length + 40),
      fullValue: SQL,
    });
    expect(sql.matchContext.substr(sql.matchStart, sql.matchLength)).toBe('customer_id');
    expect(result.results[2].matchContext.substr(result.results[2].matchStart, 11)).toBe(
      'Customer_ID',
    );
  });

  it('case-sensitive, one field, and chart params when asked', async () => {
    expect(
      fieldsOf(await search({ pattern: 'customer_id', caseSensitive: true, fields: ['metrics'] })),
    ).toEqual([]);
    expect(fieldsOf(await search({ pattern: '\\bamount\\b', fields: ['columns'] }))).toEqual([
      'public.orders columns.net.expression',
    ]);
    const charts = await search({ pattern: 'customer_id', fields: ['charts'] });
    expect((charts.result as SearchResult).results).toEqual([
      expect.objectContaining({
        datasetId: 1,
        datasetName: 'public.orders',
        field: 'charts.1.params',
        chartId: 1,
        chartName: 'By customer',
      }),
    ]);
  });

  it('a pattern that does not compile is a 400 at task creation', async () => {
    const res = await operator.post<{ message: string[] }>('/api/tasks', {
      pluginId: 'search',
      params: { environmentId: environment.id, pattern: '(unclosed' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual([
      expect.stringMatching(/^params\/pattern is not a valid regular expression: .*unclosed/i),
    ]);
  });

  it('a catastrophic pattern: each stuck value skipped with a WARNING, /api/health answers meanwhile', async () => {
    const task = await startTask(operator, 'search', {
      environmentId: environment.id,
      pattern: '(a+)+$',
      caseSensitive: true,
    });
    const latencies: number[] = [];
    let current: Task;
    do {
      const started = performance.now();
      const health = await fetch(`${t.url}/api/health`);
      latencies.push(performance.now() - started);
      expect(health.status).toBe(200);
      current = (await operator.get<Task>(`/api/tasks/${task.id}`)).body;
      await new Promise((r) => setTimeout(r, 20));
    } while (current.status === 'PENDING' || current.status === 'RUNNING');
    expect(current.status).toBe('SUCCESS');
    const result = current.result as SearchResult;
    // Six values backtrack (3 SQLs, 3 expressions): each ran its budget out and was skipped.
    expect(result.skipped).toHaveLength(6);
    expect(latencies.length).toBeGreaterThanOrEqual(5);
    const sorted = [...latencies].sort((a, b) => a - b);
    expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThan(100);
    const warnings = (await readAllLogs(operator, task.id, 'level=WARNING')).map((l) => l.message);
    expect(warnings).toHaveLength(6);
    expect(warnings).toContain(
      'dataset 3 "public.evil_0", sql: the pattern ran over its 250 ms budget; value skipped',
    );
    expect(warnings).toContain(
      'dataset 5 "public.evil_2", columns.x.expression: the pattern ran over its 250 ms budget; value skipped',
    );
  });

  it('fetches details at most 4 at a time, and a cancel stops between datasets', async () => {
    const many = await FakeSuperset.start({ latencyMs: 25 });
    try {
      many.store.seed({ databases: 1, datasets: 400 });
      const admin = new ApiClient(t.url, await t.tokenFor('admin'));
      const env = (
        await admin.post<Environment>('/api/environments', {
          name: 'Many',
          url: many.url,
          username: FAKE_ADMIN.username,
          password: FAKE_ADMIN.password,
        })
      ).body;
      const task = await startTask(operator, 'search', { environmentId: env.id, pattern: 'name' });
      const details = () =>
        many.requests.filter((r) => /^\/api\/v1\/dataset\/\d+$/.test(r.path)).length;
      while (details() < 20) await new Promise((r) => setTimeout(r, 10));
      expect((await operator.post(`/api/tasks/${task.id}/cancel`)).status).toBe(200);
      const done = await waitForStatus(operator, task.id, ['CANCELLED', 'SUCCESS', 'FAILED']);
      expect(done.status).toBe('CANCELLED');
      const atCancel = details();
      await new Promise((r) => setTimeout(r, 200));
      expect(details()).toBe(atCancel);
      expect(atCancel).toBeLessThan(100);
      expect(many.peakInFlight).toBeGreaterThan(1);
      expect(many.peakInFlight).toBeLessThanOrEqual(4);
    } finally {
      await many.stop();
    }
  });
});
