// Environments over the real HTTP layer, with a fake Superset on loopback behind them: CRUD and
// roles, bad input, the connection test, the pickers' listings, and the password sealed at rest.
import type { Environment, EnvironmentTestResult } from '@taskdeck/contracts';
import { FakeSuperset, FAKE_ADMIN } from './fakes/superset';
import { ApiClient } from './utils/api-client';
import { startTestApp, type TestApp } from './utils/test-app';
import { findFreePort } from '../src/database/embedded-postgres';

describe('environments', () => {
  let t: TestApp;
  let fake: FakeSuperset;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;

  const body = (name: string, extra: Record<string, unknown> = {}) => ({
    name,
    url: `${fake.url}/`,
    username: FAKE_ADMIN.username,
    password: FAKE_ADMIN.password,
    ...extra,
  });

  beforeAll(async () => {
    fake = await FakeSuperset.start({ versionString: '6.1.0' });
    fake.store.seed({ databases: 2, datasets: 3, charts: 4, dashboards: 2 });
    fake.store.seed({ dashboards: 148 });
    t = await startTestApp();
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    viewer = new ApiClient(t.url, await t.tokenFor('viewer'));
  });
  afterAll(async () => {
    await t?.close();
    await fake?.stop();
  });

  it('admins create, everyone reads, nobody sees the password; it is sealed in the database', async () => {
    expect((await viewer.post('/api/environments', body('nope'))).status).toBe(403);
    expect((await operator.post('/api/environments', body('nope'))).status).toBe(403);
    const created = await admin.post<Environment>('/api/environments', body('Staging'));
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Staging',
      url: fake.url,
      username: FAKE_ADMIN.username,
      provider: 'db',
      verifyTls: true,
      hasPassword: true,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/),
      updatedAt: expect.any(String),
    });
    const listed = await viewer.get<Environment[]>('/api/environments');
    expect(listed.status).toBe(200);
    expect(listed.body.map((e) => e.name)).toContain('Staging');
    expect(JSON.stringify(listed.body)).not.toContain(FAKE_ADMIN.password);
    const [row] = await t.dataSource.query<{ password_sealed: string }[]>(
      'SELECT password_sealed FROM environments WHERE id = $1',
      [created.body.id],
    );
    expect(row.password_sealed).toMatch(/^v1\./);
    expect(row.password_sealed).not.toContain(FAKE_ADMIN.password);
  });

  it('answers bad input with 400, a taken name (any case) with 409, unknown ids with 404', async () => {
    for (const url of [
      'ftp://x.example',
      'not a url',
      'https://user:pw@x.example',
      'https://x.example/?a=1',
    ]) {
      const res = await admin.post<{ message: string[] }>(
        '/api/environments',
        body('Bad', { url }),
      );
      expect(res.status).toBe(400);
      expect(res.body.message.join()).toMatch(/url must be an http or https URL/);
    }
    expect(
      (await admin.post('/api/environments', { ...body('NoPassword'), password: undefined }))
        .status,
    ).toBe(400);
    expect((await admin.post('/api/environments', body('X', { provider: 'oauth' }))).status).toBe(
      400,
    );
    expect((await admin.post('/api/environments', body('X', { secret: 1 }))).status).toBe(400);
    await admin.post('/api/environments', body('Prod'));
    const taken = await admin.post<{ message: string }>('/api/environments', body('PROD'));
    expect(taken.status).toBe(409);
    expect(taken.body.message).toBe('an environment named "PROD" exists already');
    expect((await admin.get('/api/environments/not-a-uuid')).status).toBe(400);
    const unknown = '00000000-0000-4000-8000-000000000000';
    expect((await admin.patch(`/api/environments/${unknown}`, { name: 'x' })).status).toBe(404);
    expect((await admin.delete(`/api/environments/${unknown}`)).status).toBe(404);
    expect((await admin.post(`/api/environments/${unknown}/test`)).status).toBe(404);
    expect((await viewer.get(`/api/environments/${unknown}/dashboards`)).status).toBe(404);
  });

  it('tests the connection: version and dashboards; a wrong password or no Superset is a sentence', async () => {
    const env = (await admin.post<Environment>('/api/environments', body('Tested'))).body;
    expect((await viewer.post(`/api/environments/${env.id}/test`)).status).toBe(403);
    const ok = await operator.post<EnvironmentTestResult>(`/api/environments/${env.id}/test`);
    expect(ok).toMatchObject({
      status: 200,
      body: { ok: true, supersetVersion: '6.1.0', dashboards: 150 },
    });

    const patched = await admin.patch<Environment>(`/api/environments/${env.id}`, {
      password: 'wrong-password',
    });
    expect(patched.status).toBe(200);
    expect(patched.body.hasPassword).toBe(true);
    const refused = await operator.post<EnvironmentTestResult>(`/api/environments/${env.id}/test`);
    expect(refused.body).toEqual({
      ok: false,
      error: `Superset at ${fake.url} refused the login for user '${FAKE_ADMIN.username}' (401)`,
    });

    const closed = await findFreePort();
    await admin.patch(`/api/environments/${env.id}`, {
      url: `http://127.0.0.1:${closed}`,
      password: FAKE_ADMIN.password,
    });
    const unreachable = await operator.post<EnvironmentTestResult>(
      `/api/environments/${env.id}/test`,
    );
    expect(unreachable.body).toEqual({
      ok: false,
      error: expect.stringMatching(
        new RegExp(
          `^Superset at http://127\\.0\\.0\\.1:${closed} cannot be reached \\(.*ECONNREFUSED`,
        ),
      ),
    });
  });

  it('lists every dashboard (all pages), datasets and databases in the contract’s shapes', async () => {
    const env = (await admin.post<Environment>('/api/environments', body('Listed'))).body;
    const dashboards = await viewer.get<unknown[]>(`/api/environments/${env.id}/dashboards`);
    expect(dashboards.status).toBe(200);
    expect(dashboards.body).toHaveLength(150);
    expect(dashboards.body[0]).toEqual({
      id: expect.any(Number),
      uuid: expect.any(String),
      title: expect.any(String),
      slug: null,
      published: true,
      changedOn: expect.any(String),
    });
    const found = await viewer.get<{ title: string }[]>(
      `/api/environments/${env.id}/dashboards?search=board 14`,
    );
    expect(found.body.map((d) => d.title).sort()).toEqual(
      ['Dashboard 14', ...Array.from({ length: 10 }, (_, i) => `Dashboard 14${i}`)].sort(),
    );
    const datasets = await viewer.get(`/api/environments/${env.id}/datasets`);
    expect(datasets.body).toEqual(
      [1, 2, 3].map((id) => ({
        id,
        uuid: expect.any(String),
        tableName: `table_${id}`,
        schema: 'public',
        databaseName: `database_${id === 2 ? 2 : 1}`,
      })),
    );
    const databases = await viewer.get(`/api/environments/${env.id}/databases`);
    expect(databases.body).toEqual([
      { id: 1, uuid: expect.any(String), name: 'database_1', backend: 'postgresql' },
      { id: 2, uuid: expect.any(String), name: 'database_2', backend: 'postgresql' },
    ]);
  });

  it('answers a failing Superset on a listing with 502 and its sentence', async () => {
    const env = (await admin.post<Environment>('/api/environments', body('Broken'))).body;
    fake.failNext({ path: /^\/api\/v1\/database\/$/, status: 500, times: 4 });
    const res = await viewer.get<{ statusCode: number; message: string }>(
      `/api/environments/${env.id}/databases`,
    );
    expect(res.status).toBe(502);
    expect(res.body.message).toMatch(
      /^Superset at http:\/\/127\.0\.0\.1:\d+ answered 500 to GET \/api\/v1\/database\//,
    );
  });

  it('renames, then deletes', async () => {
    const env = (await admin.post<Environment>('/api/environments', body('Old name'))).body;
    expect((await operator.patch(`/api/environments/${env.id}`, { name: 'x' })).status).toBe(403);
    const renamed = await admin.patch<Environment>(`/api/environments/${env.id}`, {
      name: 'New name',
      verifyTls: false,
    });
    expect(renamed.body).toMatchObject({ name: 'New name', verifyTls: false });
    // null is not "leave it as it is": every field refuses it, and nothing changes.
    for (const field of ['name', 'url', 'username', 'password', 'provider', 'verifyTls']) {
      const refused = await admin.patch<{ message: string[] }>(`/api/environments/${env.id}`, {
        name: 'Not applied',
        [field]: null,
      });
      expect(refused.status).toBe(400);
      expect(refused.body.message).toContain(`${field} must not be null`);
    }
    expect((await viewer.get<Environment>(`/api/environments/${env.id}`)).body).toMatchObject({
      name: 'New name',
      verifyTls: false,
      hasPassword: true,
    });
    expect((await operator.delete(`/api/environments/${env.id}`)).status).toBe(403);
    expect((await admin.delete(`/api/environments/${env.id}`)).status).toBe(204);
    expect((await viewer.get(`/api/environments/${env.id}`)).status).toBe(404);
  });
});
