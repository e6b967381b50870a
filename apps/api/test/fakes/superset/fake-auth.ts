// The fake Superset's security: JWT login (db or ldap) and refresh as Flask-AppBuilder answers
// them, and the CSRF token bound to a session cookie that Flask-WTF demands for every write.
import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { FakeHttpError, type Answer } from './fake-views';

export interface FakeUser {
  username: string;
  password: string;
  /** The login provider that knows this user. */
  provider?: 'db' | 'ldap';
}

export class FakeAuth {
  private readonly accessTokens = new Map<string, { user: string; expires: number }>();
  private readonly refreshTokens = new Map<string, string>();
  /** session cookie → the CSRF token bound to it */
  private readonly sessions = new Map<string, string>();

  constructor(
    private readonly users: FakeUser[],
    /** Access tokens expire after this long (flask-jwt-extended answers 401 then). */
    public accessTokenTtlMs: number,
  ) {}

  expireAccessTokens(): void {
    for (const token of this.accessTokens.values()) token.expires = 0;
  }

  /** Every token, CSRF token and session id handed out so far: what must never reach a log. */
  issuedSecrets(): string[] {
    return [
      ...this.accessTokens.keys(),
      ...this.refreshTokens.keys(),
      ...this.sessions.keys(),
      ...this.sessions.values(),
    ];
  }

  /** Every token becomes unverifiable, as after a restart with another SECRET_KEY (422). */
  forgetTokens(): void {
    this.accessTokens.clear();
    this.refreshTokens.clear();
  }

  dropSessions(): void {
    this.sessions.clear();
  }

  csrfToken(): Answer {
    const session = randomBytes(16).toString('hex');
    const token = randomBytes(20).toString('hex');
    this.sessions.set(session, token);
    return {
      status: 200,
      body: { result: token },
      headers: { 'set-cookie': `session=${session}; HttpOnly; Path=/; SameSite=Lax` },
    };
  }

  login(req: IncomingMessage, body: Buffer): Answer {
    if (!String(req.headers['content-type']).includes('json')) {
      throw new FakeHttpError(400, { message: 'Request payload is not JSON' });
    }
    const payload = JSON.parse(body.toString() || '{}') as Record<string, unknown>;
    const missing = ['username', 'password', 'provider'].filter(
      (k) => typeof payload[k] !== 'string',
    );
    if (missing.length) {
      throw new FakeHttpError(400, {
        message: Object.fromEntries(missing.map((k) => [k, ['Missing data for required field.']])),
      });
    }
    if (payload.provider !== 'db' && payload.provider !== 'ldap') {
      throw new FakeHttpError(400, { message: { provider: ['Must be one of: db, ldap.'] } });
    }
    const user = this.users.find(
      (u) =>
        u.username === payload.username &&
        u.password === payload.password &&
        (u.provider ?? 'db') === payload.provider,
    );
    if (!user) throw new FakeHttpError(401, { message: 'Not authorized' });
    const access = randomBytes(24).toString('hex');
    this.accessTokens.set(access, {
      user: user.username,
      expires: Date.now() + this.accessTokenTtlMs,
    });
    const answer: Record<string, string> = { access_token: access };
    if (payload.refresh === true) {
      const refresh = randomBytes(24).toString('hex');
      this.refreshTokens.set(refresh, user.username);
      answer.refresh_token = refresh;
    }
    return { status: 200, body: answer };
  }

  refresh(req: IncomingMessage): Answer {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    const user = token ? this.refreshTokens.get(token) : undefined;
    if (!token) throw new FakeHttpError(401, { msg: 'Missing Authorization Header' });
    if (!user) throw new FakeHttpError(422, { msg: badTokenMessage(token) });
    const access = randomBytes(24).toString('hex');
    this.accessTokens.set(access, { user, expires: Date.now() + this.accessTokenTtlMs });
    return { status: 200, body: { access_token: access } };
  }

  /** flask-jwt-extended's answers: 401 without a token or with an expired one, 422 for a bad one. */
  authenticate(req: IncomingMessage): void {
    const token = /^Bearer (.+)$/.exec(req.headers.authorization ?? '')?.[1];
    if (!token) throw new FakeHttpError(401, { msg: 'Missing Authorization Header' });
    const known = this.accessTokens.get(token);
    if (!known) throw new FakeHttpError(422, { msg: badTokenMessage(token) });
    if (known.expires <= Date.now()) throw new FakeHttpError(401, { msg: 'Token has expired' });
  }

  checkCsrf(req: IncomingMessage): void {
    const session = /(?:^|;\s*)session=([^;]+)/.exec(req.headers.cookie ?? '')?.[1];
    const header = req.headers['x-csrftoken'];
    const why = !header
      ? 'The CSRF token is missing.'
      : !session || !this.sessions.has(session)
        ? 'The CSRF session token is missing.'
        : this.sessions.get(session) !== header
          ? 'The CSRF tokens do not match.'
          : null;
    if (why) {
      throw new FakeHttpError(400, {
        errors: [
          {
            message: `400 Bad Request: ${why}`,
            error_type: 'GENERIC_BACKEND_ERROR',
            level: 'error',
            extra: {},
          },
        ],
      });
    }
  }
}

function badTokenMessage(token: string): string {
  return token.split('.').length === 3 ? 'Signature verification failed' : 'Not enough segments';
}
