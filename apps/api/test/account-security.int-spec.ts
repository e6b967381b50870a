// Account security (issue 16): admins manage users, and a change takes effect at once on the
// user's tokens; own password; token renewal; login throttling; security headers; CORS on HTTP
// and Socket.IO; the UserAccessEvents that the live stream subscribes to, across instances (what
// the sockets make of them: live-stream-access.int-spec.ts).
import type { LoginResponse, Me, User } from '@taskdeck/contracts';
import { firstValueFrom, take, toArray } from 'rxjs';
import { UserAccessEvents, type UserAccessEvent } from '../src/auth/user-access-events.service';
import { ApiClient, waitFor } from './utils/api-client';
import { startTestApp, TEST_ADMIN, type TestApp } from './utils/test-app';

/** Socket.IO's answers to a browser on `origin`: a polling handshake, and a preflight. */
async function socketIoCors(url: string, origin: string): Promise<(string | null)[]> {
  const handshake = `${url}/socket.io/?EIO=4&transport=polling`;
  const answers = [
    await fetch(handshake, { headers: { origin } }),
    await fetch(handshake, {
      method: 'OPTIONS',
      headers: { origin, 'access-control-request-method': 'GET' },
    }),
  ];
  return Promise.all(
    answers.map(async (res) => {
      await res.arrayBuffer();
      return res.headers.get('access-control-allow-origin');
    }),
  );
}

async function login(anon: ApiClient, username: string, password: string): Promise<ApiClient> {
  const res = await anon.post<LoginResponse>('/api/auth/login', { username, password });
  expect(res.status).toBe(200);
  return anon.as(res.body.accessToken);
}

describe('account security', () => {
  let t: TestApp;
  let anon: ApiClient;
  let admin: ApiClient;

  beforeAll(async () => {
    t = await startTestApp({
      env: { LOGIN_MAX_FAILURES_PER_USER: '3', LOGIN_MAX_FAILURES_PER_IP: '1000' },
    });
    anon = new ApiClient(t.url);
    admin = anon.as(await t.tokenFor('admin'));
  });
  afterAll(() => t?.close());

  async function newUser(username: string, role: User['role'] = 'operator'): Promise<User> {
    const res = await admin.post<User>('/api/users', {
      username,
      password: `${username}-pw-1`,
      role,
    });
    expect(res.status).toBe(201);
    return res.body;
  }

  it('an admin changes a role: it applies to the open token at once', async () => {
    const user = await newUser('roly');
    const client = await login(anon, 'roly', 'roly-pw-1');
    expect((await client.get<Me>('/api/auth/me')).body.role).toBe('operator');
    const res = await admin.patch<User>(`/api/users/${user.id}`, { role: 'viewer' });
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: user.id, role: 'viewer', disabled: false });
    expect((await client.get<Me>('/api/auth/me')).body.role).toBe('viewer');
    expect(
      (await client.post('/api/tasks', { pluginId: 'debug', params: { action: 'system' } })).status,
    ).toBe(403);
  });

  it('disabling a user ends their tokens at once and blocks their login; enabling lets them sign in again', async () => {
    const user = await newUser('dora');
    const client = await login(anon, 'dora', 'dora-pw-1');
    expect((await admin.patch(`/api/users/${user.id}`, { disabled: true })).status).toBe(200);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect(
      (await anon.post('/api/auth/login', { username: 'dora', password: 'dora-pw-1' })).status,
    ).toBe(401);
    expect((await admin.patch(`/api/users/${user.id}`, { disabled: false })).status).toBe(200);
    // The old token stays dead: re-enabling does not bring old sessions back.
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await (await login(anon, 'dora', 'dora-pw-1')).get('/api/auth/me')).status).toBe(200);
  });

  it('a password set by an admin ends the old sessions; the new password works', async () => {
    const user = await newUser('pete');
    const client = await login(anon, 'pete', 'pete-pw-1');
    expect(
      (await admin.patch(`/api/users/${user.id}`, { password: 'pete-new-password' })).status,
    ).toBe(200);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect(
      (await anon.post('/api/auth/login', { username: 'pete', password: 'pete-pw-1' })).status,
    ).toBe(401);
    await login(anon, 'pete', 'pete-new-password');
  });

  it('deleting a user ends their tokens at once; unknown and malformed ids are 404 and 400', async () => {
    const user = await newUser('dave');
    const client = await login(anon, 'dave', 'dave-pw-1');
    expect((await admin.delete(`/api/users/${user.id}`)).status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(401);
    expect((await admin.delete(`/api/users/${user.id}`)).status).toBe(404);
    expect((await admin.patch(`/api/users/${user.id}`, { role: 'viewer' })).status).toBe(404);
    expect((await admin.delete('/api/users/not-a-uuid')).status).toBe(400);
    expect((await admin.get<User[]>('/api/users')).body.map((u) => u.username)).not.toContain(
      'dave',
    );
  });

  it('keeps the last enabled admin (409), and changes nothing on a bad body', async () => {
    const me = await admin.get<Me>('/api/auth/me');
    for (const body of [{ role: 'operator' }, { disabled: true }]) {
      const res = await admin.patch<{ message: string }>(`/api/users/${me.body.id}`, body);
      expect(res.status).toBe(409);
      expect(res.body.message).toContain('last enabled admin');
    }
    expect((await admin.delete(`/api/users/${me.body.id}`)).status).toBe(409);
    const user = await newUser('bodo', 'viewer');
    for (const body of [
      { role: null },
      { disabled: 'yes' },
      { password: 'short' },
      { role: 'operator', password: 7 }, // nothing half-applied: the role stays
      { role: 'operator', extra: 1 },
    ]) {
      expect({ body, status: (await admin.patch(`/api/users/${user.id}`, body)).status }).toEqual({
        body,
        status: 400,
      });
    }
    const after = (await admin.get<User[]>('/api/users')).body.find((u) => u.id === user.id);
    expect(after).toMatchObject({ role: 'viewer', disabled: false });
    expect(
      (
        await anon
          .as(await t.tokenFor('operator'))
          .patch(`/api/users/${user.id}`, { role: 'admin' })
      ).status,
    ).toBe(403);
  });

  it('a user changes their own password (400 for a wrong current one); the session goes on', async () => {
    await newUser('olga');
    const client = await login(anon, 'olga', 'olga-pw-1');
    const wrong = await client.post<{ message: string }>('/api/auth/password', {
      currentPassword: 'nope',
      newPassword: 'olga-new-password',
    });
    expect(wrong.status).toBe(400);
    expect(wrong.body.message).toBe('the current password is wrong');
    expect(
      (await client.post('/api/auth/password', { currentPassword: 'olga-pw-1', newPassword: 'x' }))
        .status,
    ).toBe(400);
    const ok = await client.post('/api/auth/password', {
      currentPassword: 'olga-pw-1',
      newPassword: 'olga-new-password',
    });
    expect(ok.status).toBe(204);
    expect((await client.get('/api/auth/me')).status).toBe(200);
    await login(anon, 'olga', 'olga-new-password');
    expect(
      (await anon.post('/api/auth/password', { currentPassword: 'a', newPassword: 'b'.repeat(9) }))
        .status,
    ).toBe(401);
  });

  it('renews a valid token; refuses without one', async () => {
    const client = await login(anon, TEST_ADMIN.username, TEST_ADMIN.password);
    const res = await client.post<LoginResponse>('/api/auth/refresh');
    expect(res.status).toBe(200);
    expect(res.body.user.username).toBe('admin');
    expect((await anon.as(res.body.accessToken).get('/api/auth/me')).status).toBe(200);
    expect((await anon.post('/api/auth/refresh')).status).toBe(401);
  });

  it('throttles failed logins per user with 429 and Retry-After; a success resets the count', async () => {
    await newUser('tina');
    const attempt = (password: string) =>
      anon.post<{ message: string }>('/api/auth/login', { username: 'tina', password });
    expect((await attempt('wrong-1')).status).toBe(401);
    expect((await attempt('wrong-2')).status).toBe(401);
    expect((await attempt('tina-pw-1')).status).toBe(200); // resets tina's count
    for (let i = 0; i < 3; i++) expect((await attempt(`wrong-${i}`)).status).toBe(401);
    const blocked = await attempt('tina-pw-1'); // even the right password, while blocked
    expect(blocked.status).toBe(429);
    expect(Number(blocked.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(blocked.body.message).toMatch(/too many failed logins/);
    // Another user from the same address is not blocked by tina's count.
    await login(anon, TEST_ADMIN.username, TEST_ADMIN.password);
  });

  it('sends security headers with a CSP that allows no inline script, and no CORS headers', async () => {
    const res = await fetch(`${t.url}/api/health`, { headers: { origin: 'https://evil.example' } });
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("script-src-attr 'none'");
    expect(csp).not.toMatch(/script-src[^;]*unsafe-inline/);
    expect(res.headers.get('x-content-type-options')).toBe('nosniff');
    expect(res.headers.get('access-control-allow-origin')).toBeNull();
    const preflight = await fetch(`${t.url}/api/tasks`, {
      method: 'OPTIONS',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(preflight.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('sends no CORS headers from the Socket.IO server either', async () => {
    expect(await socketIoCors(t.url, 'https://evil.example')).toEqual([null, null]);
  });
});

describe('login throttling per IP', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { LOGIN_MAX_FAILURES_PER_IP: '5' } });
  });
  afterAll(() => t?.close());

  it('blocks an address after its failures, whatever the usernames', async () => {
    const anon = new ApiClient(t.url);
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      statuses.push(
        (await anon.post('/api/auth/login', { username: `nobody-${i}`, password: 'x' })).status,
      );
    }
    expect(statuses).toEqual([401, 401, 401, 401, 401, 429]);
    // Blocked for everyone from there, the right password included.
    expect((await anon.post('/api/auth/login', TEST_ADMIN)).status).toBe(429);
  });
});

describe('CORS_ORIGINS', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ env: { CORS_ORIGINS: 'https://console.example, https://b.example' } });
  });
  afterAll(() => t?.close());

  it('allows exactly the listed origins', async () => {
    const ask = (origin: string) =>
      fetch(`${t.url}/api/tasks`, {
        method: 'OPTIONS',
        headers: { origin, 'access-control-request-method': 'GET' },
      });
    expect((await ask('https://console.example')).headers.get('access-control-allow-origin')).toBe(
      'https://console.example',
    );
    expect(
      (await ask('https://evil.example')).headers.get('access-control-allow-origin'),
    ).toBeNull();
  });

  it('allows exactly the listed origins on the Socket.IO server too', async () => {
    expect(await socketIoCors(t.url, 'https://b.example')).toEqual([
      'https://b.example',
      'https://b.example',
    ]);
    expect(await socketIoCors(t.url, 'https://evil.example')).toEqual([null, null]);
  });
});

describe('UserAccessEvents across instances', () => {
  let a: TestApp;
  let b: TestApp;
  beforeAll(async () => {
    a = await startTestApp({ instanceId: 'access-a' });
    b = await startTestApp({ databaseUrl: a.databaseUrl, instanceId: 'access-b' });
  });
  afterAll(async () => {
    await b?.close();
    await a?.close();
  });

  it('raises role-changed and revoked after the change is stored, on both instances; the other instance rejects the token at once', async () => {
    const adminA = new ApiClient(a.url, await a.tokenFor('admin'));
    const user = (
      await adminA.post<User>('/api/users', {
        username: 'evan',
        password: 'evan-pw-12',
        role: 'operator',
      })
    ).body;
    const onB = new ApiClient(b.url);
    const evan = await login(onB, 'evan', 'evan-pw-12');
    expect((await evan.get<Me>('/api/auth/me')).body.role).toBe('operator'); // cached on B

    const seen = (app: TestApp) =>
      firstValueFrom(app.app.get(UserAccessEvents).events$.pipe(take(3), toArray()));
    const [onA, onBEvents] = [seen(a), seen(b)];
    expect((await adminA.patch(`/api/users/${user.id}`, { role: 'viewer' })).status).toBe(200);
    await waitFor(async () =>
      (await evan.get<Me>('/api/auth/me')).body.role === 'viewer' ? true : undefined,
    );
    expect(
      (await adminA.patch(`/api/users/${user.id}`, { password: 'evan-other-pw' })).status,
    ).toBe(200);
    expect((await adminA.delete(`/api/users/${user.id}`)).status).toBe(204);
    const expected: UserAccessEvent[] = [
      { type: 'role-changed', userId: user.id, role: 'viewer' },
      { type: 'revoked', userId: user.id, reason: 'password-reset' },
      { type: 'revoked', userId: user.id, reason: 'deleted' },
    ];
    expect(await onA).toEqual(expected);
    expect(await onBEvents).toEqual(expected);
    expect((await evan.get('/api/auth/me')).status).toBe(401);
  });
});
