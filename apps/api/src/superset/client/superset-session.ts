// Logging in to Superset and staying logged in: a JWT from /api/v1/security/login (provider db or
// ldap), renewed with the refresh token (or a new login) when Superset answers 401, and for writes
// a CSRF token fetched together with the session cookie it belongs to (Superset refuses a write
// that lacks either with a 400).
import { loginRefused, SupersetError, supersetMessage } from './superset-errors';
import type { SupersetHttp, SupersetRequest, SupersetResponse } from './superset-http';

export interface SupersetCredentials {
  username: string;
  password: string;
  provider: 'db' | 'ldap';
}

interface Tokens {
  access: string;
  refresh?: string;
}

export class SupersetSession {
  private tokens?: Tokens;
  private csrfToken?: string;
  /** Shared by concurrent callers, so four parallel 401s cause one renewal. */
  private pending?: Promise<void>;
  private pendingCsrf?: Promise<string>;

  constructor(
    private readonly http: SupersetHttp,
    private readonly credentials: SupersetCredentials,
  ) {}

  /** Logs in now (the first call does it anyway). */
  login(): Promise<void> {
    return this.once(() => this.doLogin());
  }

  /** Sends an authenticated request; writes carry the CSRF token and its session cookie. */
  async send(req: SupersetRequest): Promise<SupersetResponse> {
    if (!this.tokens) await this.login();
    const write = req.method !== 'GET';
    let response = await this.http.send(req, await this.headers(write));
    if (isTokenRefusal(response)) {
      await this.once(() => this.renew());
      response = await this.http.send(req, await this.headers(write));
    }
    if (write && response.status === 400 && isCsrfRefusal(response.body)) {
      // The session behind the token expired (WTF_CSRF_TIME_LIMIT): fetch a new pair once.
      this.csrfToken = undefined;
      response = await this.http.send(req, await this.headers(write));
    }
    return response;
  }

  private async headers(write: boolean): Promise<Record<string, string>> {
    const headers: Record<string, string> = { authorization: `Bearer ${this.tokens?.access}` };
    if (write) {
      headers['x-csrftoken'] = await this.csrf();
      // Flask-WTF checks the Referer of HTTPS writes against the host.
      headers.referer = `${this.http.baseUrl}/`;
    }
    return headers;
  }

  private csrf(): Promise<string> {
    if (this.csrfToken) return Promise.resolve(this.csrfToken);
    this.pendingCsrf ??= this.fetchCsrf().finally(() => (this.pendingCsrf = undefined));
    return this.pendingCsrf;
  }

  private async fetchCsrf(): Promise<string> {
    const req: SupersetRequest = { method: 'GET', path: '/api/v1/security/csrf_token/' };
    let response = await this.http.send(req, { authorization: `Bearer ${this.tokens?.access}` });
    if (isTokenRefusal(response)) {
      await this.once(() => this.renew());
      response = await this.http.send(req, { authorization: `Bearer ${this.tokens?.access}` });
    }
    const token = (response.body as { result?: unknown } | undefined)?.result;
    if (response.status !== 200 || typeof token !== 'string') {
      throw new SupersetError(
        `Superset at ${this.http.baseUrl} gave no CSRF token (${response.status}${describe(response.body)})`,
        'protocol',
        response.status,
      );
    }
    this.csrfToken = token;
    return token;
  }

  private once(fn: () => Promise<void>): Promise<void> {
    this.pending ??= fn().finally(() => (this.pending = undefined));
    return this.pending;
  }

  private async doLogin(): Promise<void> {
    const { username, password, provider } = this.credentials;
    const response = await this.http.send(
      {
        method: 'POST',
        path: '/api/v1/security/login',
        json: { username, password, provider, refresh: true },
        idempotent: true,
      },
      {},
    );
    const body = response.body as { access_token?: unknown; refresh_token?: unknown } | undefined;
    if (response.status !== 200 || typeof body?.access_token !== 'string') {
      throw loginRefused(this.http.baseUrl, username, response.status, response.body);
    }
    this.tokens = {
      access: body.access_token,
      refresh: typeof body.refresh_token === 'string' ? body.refresh_token : undefined,
    };
    this.csrfToken = undefined;
    this.http.logger.debug(`logged in to ${this.http.baseUrl} as '${username}' (${provider})`);
  }

  /** A new access token from the refresh token; a new login when that is refused too. */
  private async renew(): Promise<void> {
    const refresh = this.tokens?.refresh;
    if (refresh) {
      const response = await this.http.send(
        { method: 'POST', path: '/api/v1/security/refresh', idempotent: true },
        { authorization: `Bearer ${refresh}` },
      );
      const access = (response.body as { access_token?: unknown } | undefined)?.access_token;
      if (response.status === 200 && typeof access === 'string') {
        this.tokens = { access, refresh };
        return;
      }
    }
    await this.doLogin();
  }
}

/**
 * flask-jwt-extended refuses an expired token with 401 and one it cannot verify (Superset restarted
 * with another SECRET_KEY) with 422 and a `msg`: either way a new token is the cure.
 */
function isTokenRefusal(response: SupersetResponse): boolean {
  const msg = (response.body as { msg?: unknown } | undefined)?.msg;
  return response.status === 401 || (response.status === 422 && typeof msg === 'string');
}

function isCsrfRefusal(body: unknown): boolean {
  return /csrf/i.test(supersetMessage(body) ?? '');
}

function describe(body: unknown): string {
  const said = supersetMessage(body);
  return said ? `: ${said}` : '';
}
