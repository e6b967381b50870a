// The fake Superset keeps the rules of the real one that clients trip over: checked here with raw
// HTTP, so a client bug cannot hide a fake that is too lenient.
import rison from 'rison';
import { FakeSuperset, FAKE_ADMIN } from './fakes/superset';

/** What the tests read from an answer: list, error and login bodies. */
interface Answer {
  count: number;
  result: unknown[];
  errors: { message: string }[];
  message?: string;
}

describe('fake Superset', () => {
  let fake: FakeSuperset;
  let token: string;

  async function call(
    path: string,
    init: RequestInit = {},
  ): Promise<{ status: number; body: Answer }> {
    const response = await fetch(`${fake.url}${path}`, {
      ...init,
      headers: { authorization: `Bearer ${token}`, ...(init.headers as Record<string, string>) },
    });
    const text = await response.text();
    return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Answer };
  }

  beforeAll(async () => {
    fake = await FakeSuperset.start();
    fake.store.seed({ databases: 1, datasets: 2, charts: 2, dashboards: 150 });
    const login = await fetch(`${fake.url}/api/v1/security/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
        provider: 'db',
        refresh: true,
      }),
    });
    token = ((await login.json()) as { access_token: string }).access_token;
  });
  afterAll(() => fake.stop());

  it('refuses a write without the CSRF header and session cookie (400), accepts it with both', async () => {
    const put = {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ description: 'x' }),
    };
    const bare = await call('/api/v1/dataset/1', put);
    expect(bare.status).toBe(400);
    expect(bare.body.errors[0].message).toBe('400 Bad Request: The CSRF token is missing.');
    const csrf = await fetch(`${fake.url}/api/v1/security/csrf_token/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const csrfToken = ((await csrf.json()) as { result: string }).result;
    const cookie = csrf.headers.get('set-cookie')!.split(';')[0];
    const headerOnly = await call('/api/v1/dataset/1', {
      ...put,
      headers: { ...put.headers, 'x-csrftoken': csrfToken },
    });
    expect(headerOnly.body.errors[0].message).toBe(
      '400 Bad Request: The CSRF session token is missing.',
    );
    const both = await call('/api/v1/dataset/1', {
      ...put,
      headers: { ...put.headers, 'x-csrftoken': csrfToken, cookie },
    });
    expect(both.status).toBe(200);
  });

  it('caps page_size at 100 without saying so, and refuses to order by id', async () => {
    const page = await call(
      `/api/v1/dashboard/?q=${encodeURIComponent(rison.encode({ page: 0, page_size: 500 }))}`,
    );
    expect(page.status).toBe(200);
    expect(page.body.count).toBe(150);
    expect(page.body.result).toHaveLength(100);
    const byId = await call(
      `/api/v1/dashboard/?q=${encodeURIComponent(rison.encode({ order_column: 'id' }))}`,
    );
    expect(byId).toEqual({ status: 400, body: { message: 'Invalid order by column: id' } });
  });

  it('answers 401 without a token and for an expired one, in the bodies Superset uses', async () => {
    const none = await fetch(`${fake.url}/api/v1/dataset/`);
    expect(none.status).toBe(401);
    expect(await none.json()).toEqual({ message: 'Not authorized' });
    fake.expireAccessTokens();
    expect(await call('/api/v1/dataset/')).toEqual({
      status: 401,
      body: { msg: 'Token has expired' },
    });
  });
});
