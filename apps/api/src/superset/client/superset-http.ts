// The one place that sends HTTP to a Superset: cookies, a bound on requests in flight, a timeout
// per request, retries with back-off for idempotent calls, and one DEBUG line per request under
// `superset_api` (method, path, status, ms; never a header, so never a token or cookie).
import { setTimeout as sleep } from 'node:timers/promises';
import type { Readable } from 'node:stream';
import rison from 'rison';
import { CookieJar } from 'tough-cookie';
import { Agent, request, type Dispatcher, type FormData } from 'undici';
import type { TaskLogger } from '../../plugin-api';
import { RequestLimiter } from './request-limiter';
import { httpError, isRetryable, transportError } from './superset-errors';

export interface SupersetRequest {
  method: 'GET' | 'POST' | 'PUT' | 'DELETE';
  /** Path under the base URL, e.g. `/api/v1/dashboard/`. */
  path: string;
  /** Sent as `?q=` in rison. */
  q?: unknown;
  json?: unknown;
  form?: FormData;
  /** Hand the body over as a stream (exports) instead of reading it. */
  stream?: boolean;
  /** Retried on 5xx and network errors; default: GET, PUT and DELETE. */
  idempotent?: boolean;
}

export interface SupersetResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON, or text; undefined for a streamed response. */
  body: unknown;
  /** Only for `stream: true` with a 2xx status; the caller must consume or destroy it. */
  stream?: Readable;
}

export interface SupersetHttpOptions {
  verifyTls: boolean;
  logger: TaskLogger;
  signal?: AbortSignal;
  /** Per request: until the headers, and between two chunks of the body. */
  timeoutMs?: number;
  /** Extra attempts for idempotent calls. */
  retries?: number;
  retryBaseMs?: number;
  /** Requests in flight to this Superset at once. */
  maxInFlight?: number;
}

// Shared by every client: connection pools are per origin inside, and nothing needs closing.
const VERIFYING = new Agent({ keepAliveTimeout: 4000 });
const NOT_VERIFYING = new Agent({ keepAliveTimeout: 4000, connect: { rejectUnauthorized: false } });
const RETRY_CAP_MS = 4000;

export class SupersetHttp {
  readonly limiter: RequestLimiter;
  readonly timeoutMs: number;
  private readonly jar = new CookieJar();
  private readonly dispatcher: Dispatcher;
  private readonly retries: number;
  private readonly retryBaseMs: number;

  constructor(
    /** Base URL without a trailing slash. */
    readonly baseUrl: string,
    private readonly options: SupersetHttpOptions,
  ) {
    this.dispatcher = options.verifyTls ? VERIFYING : NOT_VERIFYING;
    this.timeoutMs = options.timeoutMs ?? 30_000;
    this.retries = options.retries ?? 3;
    this.retryBaseMs = options.retryBaseMs ?? 250;
    this.limiter = new RequestLimiter(options.maxInFlight ?? 4);
  }

  get logger(): TaskLogger {
    return this.options.logger;
  }

  /** Sends with retries; resolves with any status Superset answered (callers judge 4xx). */
  async send(req: SupersetRequest, headers: Record<string, string>): Promise<SupersetResponse> {
    const idempotent = req.idempotent ?? req.method !== 'POST';
    for (let attempt = 0; ; attempt++) {
      try {
        const response = await this.limiter.run(() => this.once(req, headers));
        if (response.status >= 500 && idempotent && attempt < this.retries) {
          throw httpError(this.baseUrl, req.method, req.path, response.status, response.body);
        }
        return response;
      } catch (error) {
        if (!idempotent || attempt >= this.retries || !isRetryable(error)) throw error;
        const delay = Math.min(RETRY_CAP_MS, this.retryBaseMs * 2 ** attempt);
        const wait = Math.round(delay / 2 + Math.random() * (delay / 2));
        this.logger.warning(
          `${(error as Error).message}; retry ${attempt + 1} of ${this.retries} in ${wait} ms`,
          { method: req.method, path: req.path.split('?')[0], attempt: attempt + 1 },
        );
        await sleep(wait, undefined, { signal: this.options.signal });
      }
    }
  }

  /** The URL of a request, with `q` in rison. */
  urlOf(req: Pick<SupersetRequest, 'path' | 'q'>): string {
    const query = req.q === undefined ? '' : `?q=${encodeURIComponent(rison.encode(req.q))}`;
    return `${this.baseUrl}${req.path}${query}`;
  }

  private async once(
    req: SupersetRequest,
    given: Record<string, string>,
  ): Promise<SupersetResponse> {
    const url = this.urlOf(req);
    // Logged readable: the rison as written, not percent-encoded (it holds no secret).
    const shown = req.q === undefined ? req.path : `${req.path}?q=${rison.encode(req.q)}`;
    const headers: Record<string, string> = { accept: 'application/json', ...given };
    const cookies = await this.jar.getCookieString(url);
    if (cookies) headers.cookie = cookies;
    let body: string | FormData | undefined;
    if (req.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(req.json);
    } else if (req.form) {
      body = req.form;
    }
    const started = performance.now();
    let answer: Dispatcher.ResponseData;
    try {
      answer = await request(url, {
        method: req.method,
        headers,
        body,
        dispatcher: this.dispatcher,
        signal: this.options.signal,
        headersTimeout: this.timeoutMs,
        bodyTimeout: this.timeoutMs,
      });
    } catch (error) {
      const ms = Math.round(performance.now() - started);
      this.logger.debug(`${req.method} ${shown} → no answer (${ms} ms)`, {
        method: req.method,
        path: shown,
        status: null,
        ms,
      });
      throw transportError(this.baseUrl, req.method, req.path, error, this.timeoutMs);
    }
    await this.keepCookies(url, answer.headers['set-cookie']);
    const ok = answer.statusCode >= 200 && answer.statusCode < 300;
    let parsed: unknown;
    if (!(req.stream && ok)) {
      try {
        parsed = await readBody(answer);
      } catch (error) {
        throw transportError(this.baseUrl, req.method, req.path, error, this.timeoutMs);
      }
    }
    const ms = Math.round(performance.now() - started);
    this.logger.debug(`${req.method} ${shown} → ${answer.statusCode} (${ms} ms)`, {
      method: req.method,
      path: shown,
      status: answer.statusCode,
      ms,
    });
    return {
      status: answer.statusCode,
      headers: answer.headers,
      body: parsed,
      stream: req.stream && ok ? answer.body : undefined,
    };
  }

  private async keepCookies(url: string, setCookie: string | string[] | undefined): Promise<void> {
    if (!setCookie) return;
    for (const cookie of Array.isArray(setCookie) ? setCookie : [setCookie]) {
      await this.jar.setCookie(cookie, url, { ignoreError: true });
    }
  }
}

async function readBody(answer: Dispatcher.ResponseData): Promise<unknown> {
  const text = await answer.body.text();
  const type = String(answer.headers['content-type'] ?? '');
  if (type.includes('json') && text) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  return text;
}
