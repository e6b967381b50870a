// The migration plugin and its stored mappings, through the real app against two fake Supersets:
// the mappings API (roles, bad input, suggestions), a dry run that imports nothing, an unmapped
// database that fails the run before any import, a run with a stored mapping (datasets land on the
// target's database), a database created with a password that never shows in params or logs, and
// native filter / cross-filter chart ids pointing at the target's charts after the import.
import type {
  Environment,
  MigrationMappings,
  MigrationResult,
  MigrationSuggestions,
  Task,
} from '@taskdeck/contracts';
import { FakeSuperset, FAKE_ADMIN, type FakeDashboard } from './fakes/superset';
import { ApiClient } from './utils/api-client';
import { readAllLogs, startTask, waitForStatus } from './utils/tasks';
import { startTestApp, type TestApp } from './utils/test-app';

describe('migration', () => {
  let t: TestApp;
  let source: FakeSuperset;
  let target: FakeSuperset;
  let admin: ApiClient;
  let operator: ApiClient;
  let src: Environment;
  let tgt: Environment;
  let sales: FakeDashboard;
  let legacy: FakeDashboard;
  const DB_PASSWORD = 'legacy-db-password-9f3a';
  const ids = { warehouse: '', legacy: '', targetWarehouse: '' };

  beforeAll(async () => {
    source = await FakeSuperset.start();
    target = await FakeSuperset.start();
    // The target has charts of its own first, so imported charts get other ids than the source's.
    target.store.seed({ databases: 1, datasets: 1, charts: 5 });
    ids.targetWarehouse = target.store.addDatabase({ database_name: 'Warehouse (prod)' }).uuid;
    const warehouse = source.store.addDatabase({ database_name: 'warehouse' });
    const old = source.store.addDatabase({ database_name: 'legacy' });
    ids.warehouse = warehouse.uuid;
    ids.legacy = old.uuid;
    const orders = source.store.addDataset({ database_id: warehouse.id, table_name: 'orders' });
    const archive = source.store.addDataset({ database_id: old.id, table_name: 'archive' });
    const charts = ['Orders', 'Amounts', 'Customers'].map((name) =>
      source.store.addChart({ datasource_id: orders.id, slice_name: name }),
    );
    sales = source.store.addDashboard({
      dashboard_title: 'Sales',
      chart_ids: charts.map((c) => c.id),
    });
    const archived = source.store.addChart({ datasource_id: archive.id, slice_name: 'Archive' });
    legacy = source.store.addDashboard({ dashboard_title: 'Legacy', chart_ids: [archived.id] });

    t = await startTestApp();
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    await admin.patch('/api/settings/logging', { taskLogLevel: 'DEBUG' });
    const add = async (name: string, fake: FakeSuperset) =>
      (
        await admin.post<Environment>('/api/environments', {
          name,
          url: fake.url,
          username: FAKE_ADMIN.username,
          password: FAKE_ADMIN.password,
        })
      ).body;
    src = await add('Source', source);
    tgt = await add('Target', target);
  });
  afterAll(async () => {
    await t?.close();
    await source?.stop();
    await target?.stop();
  });

  const mappingsPath = () => `/api/migration/mappings?source=${src.id}&target=${tgt.id}`;

  async function migrate(params: Record<string, unknown>) {
    const task = await startTask(operator, 'migration', {
      sourceEnvironmentId: src.id,
      targetEnvironmentId: tgt.id,
      ...params,
    });
    const done = await waitForStatus(operator, task.id, ['SUCCESS', 'FAILED', 'CANCELLED']);
    return {
      task: done,
      result: done.result as MigrationResult,
      logs: await readAllLogs(operator, task.id),
    };
  }

  const imports = (fake: FakeSuperset) =>
    fake.requests.filter((r) => r.method === 'POST' && r.path === '/api/v1/dashboard/import/');

  it('mappings: everyone reads, admins write the whole set, bad input is a 400', async () => {
    const empty = await operator.get<MigrationMappings>(mappingsPath());
    expect(empty.status).toBe(200);
    expect(empty.body).toEqual({
      sourceEnvironmentId: src.id,
      targetEnvironmentId: tgt.id,
      mappings: {},
      updatedBy: null,
      updatedAt: null,
    });
    const body = { mappings: { [ids.warehouse]: ids.targetWarehouse } };
    expect((await operator.request('PUT', mappingsPath(), body)).status).toBe(403);
    for (const bad of [{ mappings: { 'not-a-uuid': ids.targetWarehouse } }, { mappings: [] }, {}]) {
      expect((await admin.request('PUT', mappingsPath(), bad)).status).toBe(400);
    }
    const same = await admin.request<{ message: string }>(
      'PUT',
      `/api/migration/mappings?source=${src.id}&target=${src.id}`,
      body,
    );
    expect(same.status).toBe(400);
    expect(same.body.message).toBe('source and target must be two different environments');
    expect((await admin.get(`/api/migration/mappings?source=${src.id}&target=nope`)).status).toBe(
      400,
    );
    expect(
      (await admin.get(`/api/migration/mappings?source=${src.id}&target=${crypto.randomUUID()}`))
        .status,
    ).toBe(404);
    // Nothing was stored by the refused writes.
    expect((await admin.get<MigrationMappings>(mappingsPath())).body.mappings).toEqual({});

    const saved = await admin.request<MigrationMappings>('PUT', mappingsPath(), body);
    expect(saved.status).toBe(200);
    expect(saved.body).toMatchObject({ mappings: body.mappings, updatedBy: 'admin' });
    expect((await operator.get<MigrationMappings>(mappingsPath())).body.mappings).toEqual(
      body.mappings,
    );
  });

  it('suggestions: stored mapping, and the closest target name for the unmapped', async () => {
    const res = await operator.get<MigrationSuggestions>(
      `/api/migration/mappings/suggestions?source=${src.id}&target=${tgt.id}`,
    );
    expect(res.status).toBe(200);
    const byName = Object.fromEntries(res.body.databases.map((d) => [d.source.name, d]));
    expect(byName.warehouse.mapped?.uuid).toBe(ids.targetWarehouse);
    expect(byName.warehouse.suggestion).toMatchObject({
      database: { name: 'Warehouse (prod)' },
      score: expect.any(Number),
    });
    expect(byName.legacy.mapped).toBeNull();
    expect(res.body.targets.map((d) => d.name)).toContain('Warehouse (prod)');
  });

  it('dry run: reports dashboards, mapping and the unmapped database, imports nothing', async () => {
    target.resetStats();
    const { task, result, logs } = await migrate({
      dashboardIds: [sales.id, legacy.id],
      dryRun: true,
    });
    expect(task.status).toBe('SUCCESS');
    expect(result).toMatchObject({
      imported: false,
      dryRun: true,
      remapped: { [ids.warehouse]: ids.targetWarehouse },
      unmapped: [ids.legacy],
    });
    expect(result.dashboards.map((d) => [d.title, d.targetId])).toEqual(
      expect.arrayContaining([
        ['Sales', null],
        ['Legacy', null],
      ]),
    );
    expect(result.databases.find((d) => d.name === 'legacy')?.action).toBe('unmapped');
    expect(imports(target)).toHaveLength(0);
    const migration = logs.filter((l) => l.source === 'migration');
    expect(migration.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^rewrote datasets\/warehouse\/orders_\d+\.yaml: database_uuid /),
        expect.stringMatching(/^database "legacy" .*no mapping/),
      ]),
    );
    expect(logs.some((l) => l.source === 'superset_api' && l.level === 'DEBUG')).toBe(true);
  });

  it('an unmapped database fails the run before anything is imported, named in the error', async () => {
    target.resetStats();
    const { task } = await migrate({ dashboardIds: [legacy.id] });
    expect(task.status).toBe('FAILED');
    expect(task.error).toMatch(
      new RegExp(`have no mapping to "Target": "legacy" \\(${ids.legacy}\\)`),
    );
    expect(imports(target)).toHaveLength(0);
    expect(target.store.findByUuid(target.store.dashboards, legacy.uuid)).toBeUndefined();
  });

  it('migrates with the stored mapping: datasets on the target’s database, filters on its charts', async () => {
    const databasesBefore = target.store.databases.size;
    const { task, result } = await migrate({ dashboardIds: [sales.id] });
    expect(task.status).toBe('SUCCESS');
    expect(result).toMatchObject({ imported: true, unmapped: [], crossFiltersFixed: 1 });
    expect(target.store.databases.size).toBe(databasesBefore); // no copy of "warehouse"
    const imported = target.store.findByUuid(target.store.dashboards, sales.uuid)!;
    const orders = [...target.store.datasets.values()].find((d) => d.table_name === 'orders')!;
    expect(target.store.databases.get(orders.database_id)?.uuid).toBe(ids.targetWarehouse);

    const targetIdOf = (sourceId: number) =>
      target.store.findByUuid(target.store.charts, source.store.charts.get(sourceId)!.uuid)!.id;
    const expected = sales.chart_ids.slice(0, 2).map(targetIdOf);
    expect(expected.some((id, i) => id !== sales.chart_ids[i])).toBe(true); // ids did change
    const metadata = JSON.parse(imported.json_metadata) as {
      native_filter_configuration: { chartsInScope: number[]; targets: { datasetId: number }[] }[];
      chart_configuration: Record<
        string,
        { id: number; crossFilters: { chartsInScope: number[] } }
      >;
      global_chart_configuration: { chartsInScope: number[] };
    };
    expect(metadata.native_filter_configuration[0].chartsInScope).toEqual(expected);
    expect(metadata.native_filter_configuration[0].targets[0].datasetId).toBe(orders.id);
    expect(Object.keys(metadata.chart_configuration).map(Number).sort()).toEqual(
      [...expected].sort(),
    );
    expect(metadata.chart_configuration[String(expected[0])].crossFilters.chartsInScope).toEqual([
      expected[1],
    ]);
    expect(metadata.global_chart_configuration.chartsInScope).toEqual(expected);
  });

  it('without fixCrossFilters the native filter still names the source’s chart ids', async () => {
    const { task } = await migrate({ dashboardIds: [sales.id], fixCrossFilters: false });
    expect(task.status).toBe('SUCCESS');
    const imported = target.store.findByUuid(target.store.dashboards, sales.uuid)!;
    const metadata = JSON.parse(imported.json_metadata) as {
      native_filter_configuration: { chartsInScope: number[] }[];
    };
    expect(metadata.native_filter_configuration[0].chartsInScope).toEqual(
      sales.chart_ids.slice(0, 2),
    );
  });

  it('creates a database new to the target with a password that never shows again', async () => {
    const { task, result, logs } = await migrate({
      dashboardIds: [legacy.id],
      passwords: { [ids.legacy]: DB_PASSWORD },
    });
    expect(task.status).toBe('SUCCESS');
    expect(result.databases.find((d) => d.uuid === ids.legacy)?.action).toBe('create');
    expect(target.store.findByUuid(target.store.databases, ids.legacy)?.password).toBe(DB_PASSWORD);
    const stored = await admin.get<Task>(`/api/tasks/${task.id}`);
    expect(Object.keys((stored.body.params as { passwords: object }).passwords)).toEqual([
      ids.legacy,
    ]);
    const [row] = await t.dataSource.query<{ params: unknown }[]>(
      'SELECT params FROM tasks WHERE id = $1',
      [task.id],
    );
    const everything = JSON.stringify([stored.body, row, logs]);
    expect(everything).not.toContain(DB_PASSWORD);
  });

  it('refuses a run from an environment to itself, and a migration without dashboards (400)', async () => {
    const same = await operator.post<{ message: string[] }>('/api/tasks', {
      pluginId: 'migration',
      params: { sourceEnvironmentId: src.id, targetEnvironmentId: src.id, dashboardIds: [1] },
    });
    expect(same.status).toBe(400);
    expect(same.body.message).toEqual([
      'params/targetEnvironmentId must differ from sourceEnvironmentId',
    ]);
    const none = await operator.post<{ message: string[] }>('/api/tasks', {
      pluginId: 'migration',
      params: { sourceEnvironmentId: src.id, targetEnvironmentId: tgt.id, dashboardIds: [] },
    });
    expect(none.status).toBe(400);
    expect(none.body.message).toEqual(['params/dashboardIds must NOT have fewer than 1 items']);
  });
});
