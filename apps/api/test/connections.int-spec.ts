// Database connections over the real HTTP layer: roles, bad input, the password sealed and never
// returned, and the test against the test run's own PostgreSQL (right and wrong password).
import type { Connection, ConnectionTestResult } from '@taskdeck/contracts';
import { ApiClient } from './utils/api-client';
import { connectionTo } from './utils/connections';
import { startTestApp, type TestApp } from './utils/test-app';

describe('connections', () => {
  let t: TestApp;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    viewer = new ApiClient(t.url, await t.tokenFor('viewer'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('admins create, everyone reads; the password is sealed and never returned', async () => {
    const body = { ...connectionTo(t.databaseUrl, 'Warehouse'), password: 'pw-never-shown-41' };
    expect((await operator.post('/api/connections', body)).status).toBe(403);
    const created = await admin.post<Connection>('/api/connections', body);
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      name: 'Warehouse',
      type: 'postgres',
      host: body.host,
      port: body.port,
      database: body.database,
      username: body.username,
      hasPassword: true,
    });
    const listed = await viewer.get<Connection[]>('/api/connections');
    expect(listed.body.map((c) => c.name)).toEqual(['Warehouse']);
    expect(JSON.stringify(listed.body)).not.toContain('pw-never-shown-41');
    const [row] = await t.dataSource.query<{ password_sealed: string }[]>(
      'SELECT password_sealed FROM connections WHERE id = $1',
      [created.body.id],
    );
    expect(row.password_sealed).toMatch(/^v1\./);
    expect(row.password_sealed).not.toContain('pw-never-shown-41');

    expect((await admin.post('/api/connections', { ...body, name: 'warehouse' })).status).toBe(409);
    const cleared = await admin.patch<Connection>(`/api/connections/${created.body.id}`, {
      password: '',
      port: 6543,
    });
    expect(cleared.body).toMatchObject({ hasPassword: false, port: 6543 });
    expect((await operator.patch(`/api/connections/${created.body.id}`, { port: 1 })).status).toBe(
      403,
    );
    expect((await viewer.delete(`/api/connections/${created.body.id}`)).status).toBe(403);
    expect((await admin.delete(`/api/connections/${created.body.id}`)).status).toBe(204);
    expect((await admin.get(`/api/connections/${created.body.id}`)).status).toBe(404);
  });

  it('bad input is a 400 with the reasons, and changes nothing', async () => {
    const res = await admin.post<{ message: string[] }>('/api/connections', {
      name: '',
      host: 'postgres://h/db',
      port: 70000,
      database: 'x',
      username: 'u',
      type: 'mysql',
    });
    expect(res.status).toBe(400);
    expect(res.body.message).toEqual(
      expect.arrayContaining([
        'name must be longer than or equal to 1 characters',
        'host must be a host name or an IP address (no scheme, port or path)',
        'port must not be greater than 65535',
        'type must be one of the following values: postgres',
      ]),
    );
    expect((await admin.get('/api/connections/not-a-uuid')).status).toBe(400);
    expect((await admin.get<Connection[]>('/api/connections')).body).toEqual([]);
  });

  it('test: operators connect; a wrong password is a sentence without the password', async () => {
    const good = await admin.post<Connection>(
      '/api/connections',
      connectionTo(t.databaseUrl, 'Good'),
    );
    expect((await viewer.post(`/api/connections/${good.body.id}/test`)).status).toBe(403);
    const ok = await operator.post<ConnectionTestResult>(`/api/connections/${good.body.id}/test`);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ ok: true, serverVersion: expect.stringMatching(/^\d+/) });

    const closed = await admin.post<Connection>('/api/connections', {
      ...connectionTo(t.databaseUrl, 'Closed'),
      host: '127.0.0.1',
      port: 1,
      password: 'wrong-pw-77',
    });
    const refused = await operator.post<ConnectionTestResult>(
      `/api/connections/${closed.body.id}/test`,
    );
    expect(refused.body.ok).toBe(false);
    expect(refused.body.error).toMatch(/^PostgreSQL "Closed" at 127\.0\.0\.1:1\/.*ECONNREFUSED/);
    expect(refused.body.error).not.toContain('wrong-pw-77');
  });
});
