import { ApiClient } from './utils/api-client';
import { startTestApp, TEST_ADMIN, type TestApp } from './utils/test-app';
import type { LoginResponse, Me, User } from '@taskdeck/contracts';

describe('auth and users (real HTTP, real Postgres)', () => {
  let t: TestApp;
  let anon: ApiClient;

  beforeAll(async () => {
    t = await startTestApp();
    anon = new ApiClient(t.url);
  });
  afterAll(() => t.close());

  it('bootstraps the admin from ADMIN_USERNAME / ADMIN_PASSWORD', async () => {
    const res = await anon.post<LoginResponse>('/api/auth/login', TEST_ADMIN);
    expect(res.status).toBe(200);
    expect(res.body.user).toMatchObject({ username: 'admin', role: 'admin' });
    expect(res.body.accessToken).toEqual(expect.any(String));
    expect(JSON.stringify(res.body)).not.toContain(TEST_ADMIN.password);
  });

  it('answers 401 for a wrong password and for an unknown user, with the same message', async () => {
    const wrong = await anon.post<{ message: string }>('/api/auth/login', {
      username: 'admin',
      password: 'nope',
    });
    const unknown = await anon.post<{ message: string }>('/api/auth/login', {
      username: 'ghost',
      password: 'nope',
    });
    expect(wrong.status).toBe(401);
    expect(unknown.status).toBe(401);
    expect(wrong.body.message).toBe(unknown.body.message);
  });

  it('answers 400 for a malformed login body', async () => {
    expect((await anon.post('/api/auth/login', { username: 'admin' })).status).toBe(400);
    expect((await anon.post('/api/auth/login', { username: 5, password: 'x' })).status).toBe(400);
    expect((await anon.request('POST', '/api/auth/login', '{not json')).status).toBe(400);
  });

  it('rejects a body that is far too large with 413', async () => {
    const res = await anon.post('/api/auth/login', {
      username: 'admin',
      password: 'x'.repeat(2_000_000),
    });
    expect(res.status).toBe(413);
  });

  it('GET /api/auth/me needs a valid token', async () => {
    expect((await anon.get('/api/auth/me')).status).toBe(401);
    expect((await anon.as('not-a-jwt').get('/api/auth/me')).status).toBe(401);
    const forged =
      'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4IiwidXNlcm5hbWUiOiJ4Iiwicm9sZSI6ImFkbWluIn0.c2lnbmF0dXJl';
    expect((await anon.as(forged).get('/api/auth/me')).status).toBe(401);
    const me = await anon.as(await t.tokenFor('viewer')).get<Me>('/api/auth/me');
    expect(me.status).toBe(200);
    expect(me.body).toEqual({ id: expect.any(String), username: 'viewer-user', role: 'viewer' });
  });

  it('lets only an admin create and list users; never returns a password or hash', async () => {
    const admin = anon.as(await t.tokenFor('admin'));
    const created = await admin.post<User>('/api/users', {
      username: 'alice',
      password: 'alice-password',
      role: 'operator',
    });
    expect(created.status).toBe(201);
    expect(created.body).toEqual({
      id: expect.any(String),
      username: 'alice',
      role: 'operator',
      disabled: false,
      createdAt: expect.any(String),
    });

    const list = await admin.get<User[]>('/api/users');
    expect(list.status).toBe(200);
    expect(list.body.map((u) => u.username)).toContain('alice');
    expect(JSON.stringify(list.body)).not.toMatch(/password|hash|argon/i);

    const login = await anon.post<LoginResponse>('/api/auth/login', {
      username: 'ALICE',
      password: 'alice-password',
    });
    expect(login.status).toBe(200);
    expect(login.body.user.role).toBe('operator');
  });

  it('answers 409 for a username that is taken (case-insensitively)', async () => {
    const admin = anon.as(await t.tokenFor('admin'));
    await admin.post('/api/users', { username: 'bob', password: 'bob-password', role: 'viewer' });
    const again = await admin.post<{ message: string }>('/api/users', {
      username: 'BOB',
      password: 'bob-password',
      role: 'viewer',
    });
    expect(again.status).toBe(409);
    expect(again.body.message).toContain('taken');
  });

  it('answers 400 for an invalid user', async () => {
    const admin = anon.as(await t.tokenFor('admin'));
    const cases = [
      { username: 'x', password: 'long-enough', role: 'viewer' },
      { username: 'carol', password: 'short', role: 'viewer' },
      { username: 'carol', password: 'long-enough', role: 'root' },
      { username: 'carol', password: 'long-enough', role: 'viewer', extra: true },
      { username: 'bad name!', password: 'long-enough', role: 'viewer' },
    ];
    for (const body of cases) {
      const res = await admin.post<{ message: string[] }>('/api/users', body);
      expect({ body, status: res.status }).toEqual({ body, status: 400 });
      expect(res.body.message.length).toBeGreaterThan(0);
    }
    const list = await admin.get<User[]>('/api/users');
    expect(list.body.map((u) => u.username)).not.toContain('carol');
  });

  it('answers 403 to viewers and operators on user management, 401 without a token', async () => {
    for (const role of ['viewer', 'operator'] as const) {
      const client = anon.as(await t.tokenFor(role));
      expect((await client.get('/api/users')).status).toBe(403);
      expect(
        (
          await client.post('/api/users', {
            username: 'eve',
            password: 'eve-password',
            role: 'admin',
          })
        ).status,
      ).toBe(403);
    }
    expect((await anon.get('/api/users')).status).toBe(401);
    expect(
      (await anon.post('/api/users', { username: 'eve', password: 'eve-password', role: 'admin' }))
        .status,
    ).toBe(401);
  });

  it('serves health without a token and the OpenAPI document', async () => {
    const health = await anon.get<{ status: string }>('/api/health');
    expect(health.status).toBe(200);
    expect(health.body.status).toBe('ok');
    const docs = await anon.get('/api/docs-json');
    expect(docs.status).toBe(200);
    expect(JSON.stringify(docs.body)).toContain('/api/tasks/{id}/logs');
  });

  it('answers 404 in Nest error shape for an unknown API route', async () => {
    const res = await anon
      .as(await t.tokenFor('viewer'))
      .get<{ statusCode: number; error: string }>('/api/nope');
    expect(res.status).toBe(404);
    expect(res.body).toMatchObject({ statusCode: 404, error: 'Not Found' });
  });
});
