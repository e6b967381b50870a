// The debug plugin's Superset actions, run as tasks through the real app against two fake
// Supersets: their results, their log sources and levels, Superset's failure as the task's error;
// and after it all, neither the server log nor any task log holds a password, token or cookie.
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Environment, LogEntry } from '@taskdeck/contracts';
import { FakeSuperset, FAKE_ADMIN } from './fakes/superset';
import { ApiClient } from './utils/api-client';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { startTestApp, type TestApp } from './utils/test-app';

describe('plugins that call Superset (debug compare-databases and dataset)', () => {
  let t: TestApp;
  let source: FakeSuperset;
  let target: FakeSuperset;
  let operator: ApiClient;
  let admin: ApiClient;
  let logDir: string;
  const environments: Record<string, Environment> = {};
  const taskIds: string[] = [];

  beforeAll(async () => {
    source = await FakeSuperset.start();
    target = await FakeSuperset.start();
    const shared = source.store.addDatabase({ database_name: 'warehouse' });
    target.store.addDatabase({ database_name: 'warehouse', uuid: shared.uuid });
    source.store.addDatabase({ database_name: 'sales' });
    target.store.addDatabase({ database_name: 'sales' }); // same name, another uuid
    source.store.addDatabase({ database_name: 'legacy' });
    target.store.addDatabase({ database_name: 'lake' });
    source.store.addDataset({
      database_id: 1,
      table_name: 'orders',
      columns: [{ column_name: 'amount', type: 'NUMERIC', description: 'Total' }],
    });
    logDir = await mkdtemp(join(tmpdir(), 'taskdeck-superset-log-'));
    t = await startTestApp({ env: { LOG_FILE: join(logDir, 'server.log') } });
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    await admin.patch('/api/settings/logging', { level: 'DEBUG', taskLogLevel: 'DEBUG' });
    for (const [name, fake] of [
      ['Source', source],
      ['Target', target],
    ] as const) {
      const res = await admin.post<Environment>('/api/environments', {
        name,
        url: fake.url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
      });
      environments[name] = res.body;
    }
  });
  afterAll(async () => {
    await t?.close();
    await source?.stop();
    await target?.stop();
  });

  async function run(params: Record<string, unknown>, statuses = ['SUCCESS' as const]) {
    const task = await startTask(operator, 'debug', params);
    taskIds.push(task.id);
    const done = await waitForStatus(operator, task.id, [...statuses, 'FAILED', 'SUCCESS']);
    return { task: done, logs: await readAllLogs(operator, task.id) };
  }

  const lines = (logs: LogEntry[], source: string) => logs.filter((l) => l.source === source);

  it('compare-databases: matched by uuid, a namesake with another uuid is a WARNING', async () => {
    const { task, logs } = await run({
      action: 'compare-databases',
      sourceEnvironmentId: environments.Source.id,
      targetEnvironmentId: environments.Target.id,
    });
    expect(task.status).toBe('SUCCESS');
    const result = task.result as Record<string, { name: string }[]>;
    expect(result.source.map((d) => d.name)).toEqual(['legacy', 'sales', 'warehouse']);
    expect(result.target.map((d) => d.name)).toEqual(['lake', 'sales', 'warehouse']);
    expect(result.onlyInSource.map((d) => d.name)).toEqual(['legacy', 'sales']);
    expect(result.onlyInTarget.map((d) => d.name)).toEqual(['lake', 'sales']);
    const debug = lines(logs, 'debug');
    expect(debug.filter((l) => l.level === 'WARNING').map((l) => l.message)).toEqual([
      expect.stringMatching(
        /^"sales" has another uuid on the target .*: a migration needs a mapping for it$/,
      ),
    ]);
    expect(debug.map((l) => l.message)).toContain(
      '3 source and 3 target database(s): 2 only in the source, 2 only in the target',
    );
    const api = lines(logs, 'superset_api');
    expect(api.length).toBeGreaterThanOrEqual(4);
    expect(api.every((l) => l.level === 'DEBUG')).toBe(true);
    expect(api.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^GET \/api\/v1\/database\/\?q=\(.*page:0.*\) → 200 \(\d+ ms\)$/),
      ]),
    );
  });

  it('dataset: the dataset’s JSON as the result, a summary at INFO, its columns at DEBUG', async () => {
    const { task, logs } = await run({
      action: 'dataset',
      environmentId: environments.Source.id,
      datasetId: 1,
    });
    expect(task.status).toBe('SUCCESS');
    expect(task.result).toMatchObject({
      id: 1,
      table_name: 'orders',
      columns: [expect.objectContaining({ column_name: 'amount', description: 'Total' })],
    });
    expect(lines(logs, 'debug').map((l) => `${l.level} ${l.message}`)).toEqual(
      expect.arrayContaining([
        'INFO dataset 1 "orders" in warehouse.public: 1 column(s), 1 metric(s)',
        'DEBUG column amount: NUMERIC',
      ]),
    );
  });

  it('Superset’s refusal is the task’s error as a sentence, and its last log line', async () => {
    const { task, logs } = await run({
      action: 'dataset',
      environmentId: environments.Source.id,
      datasetId: 999,
    });
    expect(task.status).toBe('FAILED');
    expect(task.error).toBe(
      `Superset at ${source.url} answered 404 to GET /api/v1/dataset/999: Not found`,
    );
    expect(logs.filter((l) => l.level === 'ERROR').map((l) => l.message)).toEqual([
      `task failed: ${task.error}`,
    ]);
  });

  it('asks for the params it needs before running (400)', async () => {
    const res = await operator.post<{ message: string[] }>('/api/tasks', {
      pluginId: 'debug',
      params: { action: 'dataset', environmentId: 'not-a-uuid' },
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        'params/environmentId must match format "uuid"',
        "params must have required property 'datasetId'",
      ]),
    );
  });

  it('leaves no password, token, CSRF token or session cookie in any log', async () => {
    await operator.post(`/api/environments/${environments.Source.id}/test`);
    await operator.get(`/api/environments/${environments.Source.id}/datasets`);
    let server = '';
    const flushed = (text: string) =>
      text.includes('audit: admin added') && /superset_api.*dataset/.test(text);
    for (let i = 0; i < 100 && !flushed(server); i++) {
      await new Promise((r) => setTimeout(r, 100));
      server = (
        await Promise.all((await readdir(logDir)).map((f) => readFile(join(logDir, f), 'utf8')))
      ).join('');
    }
    expect(server).toMatch(/audit: admin added environment \\"Source\\" \(http:/);
    expect(server).toMatch(/"context":"superset_api".*GET \/api\/v1\/dataset\//);
    const taskLogs = (await Promise.all(taskIds.map((id) => readAllLogs(admin, id)))).flat();
    expect(taskLogs.length).toBeGreaterThan(10);
    const everything = server + JSON.stringify(taskLogs);
    const secrets = [
      FAKE_ADMIN.password,
      ...source.auth.issuedSecrets(),
      ...target.auth.issuedSecrets(),
    ];
    expect(secrets.length).toBeGreaterThan(6);
    for (const secret of secrets) expect(everything).not.toContain(secret);
    expect(everything).not.toMatch(/session=|x-csrftoken|Bearer [A-Za-z0-9]/i);
  });
});
