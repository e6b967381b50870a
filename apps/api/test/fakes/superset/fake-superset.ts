// A fake Apache Superset (6.1) as a real HTTP server on loopback, for integration tests and the
// bench. Faithful where Taskdeck depends on it: JWT login (db/ldap) and refresh, CSRF token plus
// session cookie for every write (400 without), rison paging with the silent cap at 100, Superset's
// list/detail/error bodies, export ZIPs and imports (fake-bundle.ts). Tests seed `store`, inject
// latency and failures, and read `requests` and `peakInFlight` afterwards.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import rison from 'rison';
import { FakeAuth, type FakeUser } from './fake-auth';
import { exportDashboards } from './fake-export';
import { importDashboards } from './fake-import';
import { parseMultipart } from './fake-multipart';
import { executeSql } from './fake-sqllab';
import { FakeStore } from './fake-store';
import { routeDashboardApi, routeUi, type FakeUiState } from './fake-ui';
import { routeApi } from './fake-routes';
import { FakeHttpError, type Answer } from './fake-views';

export type { FakeUser } from './fake-auth';

export interface FakeSupersetOptions {
  users?: FakeUser[];
  /** `GET /version` answers this; undefined: 404, as an older Superset. */
  versionString?: string;
  /** FAB_API_MAX_PAGE_SIZE. */
  maxPageSize?: number;
  latencyMs?: number;
  /** Access tokens expire after this long (flask-jwt-extended answers 401 then). */
  accessTokenTtlMs?: number;
  /** ENABLE_DASHBOARD_SCREENSHOT_ENDPOINTS: the screenshot API answers (default: 404, off). */
  screenshotApi?: boolean;
  /** How long the UI's dashboard page shows its spinners (default 300 ms). */
  renderDelayMs?: number;
  /** Serve HTTPS with this key and certificate (PEM), e.g. a self-signed one. */
  tls?: { key: string; cert: string };
  /**
   * gunicorn's `limit_request_line` (its default is 4094): a longer request line gets its 400
   * "Request Line is too large". Unset: no limit.
   */
  maxRequestLine?: number;
}

export interface RecordedRequest {
  method: string;
  path: string;
  /** The decoded rison `q`, when there was one. */
  q?: unknown;
  status: number;
  bearer: boolean;
  csrfHeader: boolean;
  sessionCookie: boolean;
  /** performance.now() when the request arrived and when its answer was sent. */
  started: number;
  ended: number;
}

export interface InjectedFailure {
  /** How many matching requests fail (default 1). */
  times?: number;
  method?: string;
  /** Matched against the path without its query. */
  path?: RegExp;
  /** 'status': answer `status` (default 503); 'reset': drop the connection. */
  mode?: 'status' | 'reset';
  status?: number;
}

export const FAKE_ADMIN: FakeUser = {
  username: 'admin',
  password: 'admin-secret-for-fake',
  provider: 'db',
};

export class FakeSuperset {
  readonly store = new FakeStore();
  readonly auth: FakeAuth;
  readonly requests: RecordedRequest[] = [];
  latencyMs: number;
  maxPageSize: number;
  versionString?: string;
  peakInFlight = 0;
  /** Dashboards whose export fails: any export request that holds one answers 500. */
  readonly exportFailures = new Set<number>();
  /** Time spent building export ZIPs (ms), for the backup bench's baseline. */
  exportBuildMs = 0;
  private inFlight = 0;
  /** The UI's and the screenshot API's state (fake-ui.ts). */
  readonly ui: FakeUiState;
  private failures: (InjectedFailure & { left: number })[] = [];
  private readonly sockets = new Set<Socket>();
  private server?: Server;
  url = '';

  private constructor(private readonly options: FakeSupersetOptions) {
    this.auth = new FakeAuth(
      options.users ?? [FAKE_ADMIN],
      options.accessTokenTtlMs ?? 15 * 60_000,
    );
    this.ui = {
      users: options.users ?? [FAKE_ADMIN],
      uiSessions: new Map(),
      renderDelayMs: options.renderDelayMs ?? 300,
      screenshotApi: options.screenshotApi ?? false,
      screenshots: new Map(),
    };
    this.latencyMs = options.latencyMs ?? 0;
    this.maxPageSize = options.maxPageSize ?? 100;
    this.versionString = options.versionString;
  }

  static async start(options: FakeSupersetOptions = {}): Promise<FakeSuperset> {
    const fake = new FakeSuperset(options);
    await fake.listen();
    return fake;
  }

  failNext(failure: InjectedFailure): void {
    this.failures.push({ ...failure, left: failure.times ?? 1 });
  }

  /** Every access token issued so far stops working (the next call gets 401 "Token has expired"). */
  expireAccessTokens(): void {
    this.auth.expireAccessTokens();
  }

  /** Every token stops verifying (422), as after a Superset restart with another SECRET_KEY. */
  forgetTokens(): void {
    this.auth.forgetTokens();
  }

  /** Forgets every CSRF session, as a Superset restart or WTF_CSRF_TIME_LIMIT would. */
  dropSessions(): void {
    this.auth.dropSessions();
  }

  resetStats(): void {
    this.requests.length = 0;
    this.peakInFlight = 0;
  }

  async stop(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
  }

  private listen(): Promise<void> {
    const handler = (req: IncomingMessage, res: ServerResponse): void => void this.handle(req, res);
    this.server = this.options.tls
      ? createHttpsServer(this.options.tls, handler)
      : createServer(handler);
    this.server.on('connection', (socket) => {
      this.sockets.add(socket);
      socket.on('close', () => this.sockets.delete(socket));
    });
    return new Promise((resolve) => {
      this.server!.listen(0, '127.0.0.1', () => {
        const scheme = this.options.tls ? 'https' : 'http';
        this.url = `${scheme}://127.0.0.1:${(this.server!.address() as AddressInfo).port}`;
        resolve();
      });
    });
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    this.inFlight++;
    this.peakInFlight = Math.max(this.peakInFlight, this.inFlight);
    const url = new URL(req.url ?? '/', 'http://fake');
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: url.pathname,
      status: 0,
      bearer: /^Bearer /.test(req.headers.authorization ?? ''),
      csrfHeader: typeof req.headers['x-csrftoken'] === 'string',
      sessionCookie: /(?:^|;\s*)session=/.test(req.headers.cookie ?? ''),
      started: performance.now(),
      ended: 0,
    };
    const limit = this.options.maxRequestLine;
    const line = `${req.method} ${req.url} HTTP/${req.httpVersion}`;
    if (limit !== undefined && line.length > limit) {
      record.status = 400;
      record.ended = performance.now();
      this.inFlight--;
      this.requests.push(record);
      const text = `Bad Request\nRequest Line is too large (${line.length} > ${limit})`;
      res.writeHead(400, {
        'content-type': 'text/html',
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    try {
      const body = await readBody(req);
      if (this.latencyMs > 0) await new Promise((r) => setTimeout(r, this.latencyMs));
      const q = url.searchParams.get('q');
      if (q !== null) {
        try {
          record.q = rison.decode(q);
        } catch {
          throw new FakeHttpError(400, { message: 'Not a valid rison/json argument' });
        }
      }
      const failure = this.failures.find(
        (f) =>
          f.left > 0 &&
          (!f.method || f.method === record.method) &&
          (!f.path || f.path.test(url.pathname)),
      );
      if (failure) {
        failure.left--;
        if (failure.mode === 'reset') {
          record.status = -1;
          req.socket.destroy();
          return;
        }
        throw new FakeHttpError(failure.status ?? 503, {
          errors: [
            {
              message: 'Service Unavailable (injected)',
              error_type: 'GENERIC_BACKEND_ERROR',
              level: 'error',
            },
          ],
        });
      }
      const answer = this.route(req, url, record, body);
      record.status = answer.status;
      this.send(res, answer.status, answer.body, answer.headers);
    } catch (error) {
      const status = error instanceof FakeHttpError ? error.status : 500;
      const payload = error instanceof FakeHttpError ? error.body : { message: String(error) };
      record.status = status;
      this.send(res, status, payload);
    } finally {
      record.ended = performance.now();
      this.inFlight--;
      this.requests.push(record);
    }
  }

  private route(req: IncomingMessage, url: URL, record: RecordedRequest, body: Buffer): Answer {
    const method = record.method;
    const path = url.pathname;
    if (method === 'GET' && path === '/version') {
      if (!this.versionString) throw new FakeHttpError(404, notFoundPage());
      return {
        status: 200,
        body: { version_string: this.versionString, version_sha: 'fake', build_number: null },
      };
    }
    if (method === 'POST' && path === '/api/v1/security/login') return this.auth.login(req, body);
    if (method === 'POST' && path === '/api/v1/security/refresh') return this.auth.refresh(req);
    if (!path.startsWith('/api/')) {
      const page = routeUi(this.store, this.ui, req, path, body);
      if (page) return page;
    }
    if (!path.startsWith('/api/v1/')) throw new FakeHttpError(404, notFoundPage());
    this.auth.authenticate(req);
    if (method === 'GET' && path === '/api/v1/security/csrf_token/') return this.auth.csrfToken();
    if (method !== 'GET') this.auth.checkCsrf(req);
    if (method === 'GET' && path === '/api/v1/dashboard/export/') {
      const ids = record.q;
      if (!Array.isArray(ids) || !ids.every((id) => Number.isInteger(id))) {
        throw new FakeHttpError(400, { message: 'Not a valid rison/json argument' });
      }
      const building = performance.now();
      const zip = exportDashboards(this.store, ids as number[], new Date(), this.exportFailures);
      this.exportBuildMs += performance.now() - building;
      return {
        status: 200,
        body: Buffer.from(zip),
        headers: {
          'content-type': 'application/zip',
          'content-disposition': `attachment; filename=dashboard_export_${Date.now()}.zip`,
        },
      };
    }
    if (method === 'POST' && path === '/api/v1/dashboard/import/') return this.import(req, body);
    if (method === 'POST' && path === '/api/v1/sqllab/execute/') {
      return executeSql(this.store, body);
    }
    const answer =
      routeDashboardApi(this.store, this.ui, method, path) ??
      routeApi(this.store, method, path, record.q, body, this.maxPageSize);
    const resource = /^\/api\/v1\/([a-z]+)\//.exec(path)?.[1];
    if (resource && resource !== 'log') {
      const name = `${resource[0].toUpperCase()}${resource.slice(1)}RestApi`;
      this.store.logAction(`${name}.${/\/$/.test(path) ? 'get_list' : method.toLowerCase()}`);
    }
    return answer;
  }

  private import(req: IncomingMessage, body: Buffer): Answer {
    const type = String(req.headers['content-type'] ?? '');
    if (!type.startsWith('multipart/form-data')) {
      throw new FakeHttpError(400, { message: 'Request is not multipart/form-data' });
    }
    const { parts, fields } = parseMultipart(type, body);
    const upload = parts.formData;
    if (!upload) throw new FakeHttpError(400, { message: 'Arguments are not correct' });
    const passwords = fields.passwords
      ? (JSON.parse(fields.passwords) as Record<string, string>)
      : {};
    importDashboards(this.store, upload, passwords, fields.overwrite === 'true');
    return { status: 200, body: { message: 'OK' } };
  }

  private send(
    res: ServerResponse,
    status: number,
    body: unknown,
    headers: Record<string, string> = {},
  ): void {
    const buffer = Buffer.isBuffer(body) ? body : Buffer.from(JSON.stringify(body));
    res.writeHead(status, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': buffer.length,
      ...headers,
    });
    res.end(buffer);
  }
}

function notFoundPage(): unknown {
  return {
    errors: [
      {
        message: '404 Not Found: The requested URL was not found on the server.',
        error_type: 'GENERIC_BACKEND_ERROR',
        level: 'error',
      },
    ],
  };
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}
