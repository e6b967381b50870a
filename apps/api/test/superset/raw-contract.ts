// Superset's own rules, checked with raw HTTP (no client), against the fake and a real Superset:
// the rules a client trips over, so a fake that is too lenient cannot hide a client bug.
import rison from 'rison';

export interface RawTarget {
  url: string;
  username: string;
  password: string;
  datasetId: number;
  minDashboards: number;
}

/** What the tests read from an answer: list, error and login bodies. */
interface Answer {
  count: number;
  result: unknown[];
  errors: { message: string }[];
  message?: string;
  msg?: string;
}

async function call(
  target: RawTarget,
  path: string,
  token: string | undefined,
  init: RequestInit = {},
): Promise<{ status: number; body: Answer }> {
  const headers: Record<string, string> = {
    accept: 'application/json',
    ...(init.headers as Record<string, string>),
  };
  if (token) headers.authorization = `Bearer ${token}`;
  const response = await fetch(`${target.url}${path}`, { ...init, headers });
  const text = await response.text();
  return { status: response.status, body: (text ? JSON.parse(text) : undefined) as Answer };
}

export async function login(target: RawTarget): Promise<string> {
  const response = await fetch(`${target.url}/api/v1/security/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({
      username: target.username,
      password: target.password,
      provider: 'db',
      refresh: true,
    }),
  });
  return ((await response.json()) as { access_token: string }).access_token;
}

export function supersetRawContract(target: () => RawTarget): void {
  it('refuses a write without the CSRF header and session cookie (400), accepts it with both', async () => {
    const t = target();
    const token = await login(t);
    const detail = await call(t, `/api/v1/dataset/${t.datasetId}`, token);
    const description = (detail.body as unknown as { result: { description: string | null } })
      .result.description;
    const put = {
      method: 'PUT',
      headers: { 'content-type': 'application/json', referer: `${t.url}/` },
      body: JSON.stringify({ description }),
    };
    const bare = await call(t, `/api/v1/dataset/${t.datasetId}`, token, put);
    expect(bare.status).toBe(400);
    expect(bare.body.errors[0].message).toBe('400 Bad Request: The CSRF token is missing.');
    const csrf = await fetch(`${t.url}/api/v1/security/csrf_token/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const csrfToken = ((await csrf.json()) as { result: string }).result;
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    const headerOnly = await call(t, `/api/v1/dataset/${t.datasetId}`, token, {
      ...put,
      headers: { ...put.headers, 'x-csrftoken': csrfToken },
    });
    expect(headerOnly.status).toBe(400);
    expect(headerOnly.body.errors[0].message).toBe(
      '400 Bad Request: The CSRF session token is missing.',
    );
    const both = await call(t, `/api/v1/dataset/${t.datasetId}`, token, {
      ...put,
      headers: { ...put.headers, 'x-csrftoken': csrfToken, cookie },
    });
    expect(both.status).toBe(200);
  });

  it('caps page_size at 100 without saying so, and refuses to order by id', async () => {
    const t = target();
    const token = await login(t);
    const page = await call(
      t,
      `/api/v1/dashboard/?q=${encodeURIComponent(rison.encode({ page: 0, page_size: 500 }))}`,
      token,
    );
    expect(page.status).toBe(200);
    expect(page.body.count).toBeGreaterThanOrEqual(t.minDashboards);
    expect(page.body.result).toHaveLength(100);
    const byId = await call(
      t,
      `/api/v1/dashboard/?q=${encodeURIComponent(rison.encode({ order_column: 'id' }))}`,
      token,
    );
    expect(byId.status).toBe(400);
    expect(byId.body.message).toBe('Invalid order by column: id');
  });

  it('answers 401 without a token, 422 to a bad one, 401 to a wrong password, in Superset’s bodies', async () => {
    const t = target();
    const none = await call(t, '/api/v1/dataset/', undefined);
    expect(none.status).toBe(401);
    expect(none.body).toEqual({ msg: 'Missing Authorization Header' });
    const garbage = await call(t, '/api/v1/dataset/', 'garbage');
    expect(garbage).toEqual({ status: 422, body: { msg: 'Not enough segments' } });
    const wrong = await fetch(`${t.url}/api/v1/security/login`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ username: t.username, password: 'wrong', provider: 'db' }),
    });
    expect(wrong.status).toBe(401);
    expect(await wrong.json()).toEqual({ message: 'Not authorized' });
  });
}
