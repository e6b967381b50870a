// Superset's failures as sentences a person can act on: they become the task's error and its last
// log line, so they name the Superset, the call and what Superset said, never a stack or a secret.

export type SupersetFailure = 'login' | 'http' | 'unreachable' | 'timeout' | 'tls' | 'protocol';

export class SupersetError extends Error {
  constructor(
    message: string,
    readonly kind: SupersetFailure,
    /** Superset's HTTP status, when it answered. */
    readonly status?: number,
  ) {
    super(message);
    this.name = 'SupersetError';
  }
}

const TLS_CODES = new Set([
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'CERT_NOT_YET_VALID',
]);
const TIMEOUT_CODES = new Set([
  'UND_ERR_HEADERS_TIMEOUT',
  'UND_ERR_BODY_TIMEOUT',
  'UND_ERR_CONNECT_TIMEOUT',
]);

/** What Superset said in an error body, in any of its shapes (FAB, SIP-40, flask-jwt-extended). */
export function supersetMessage(body: unknown): string | undefined {
  if (typeof body === 'string') return body.trim().slice(0, 300) || undefined;
  if (!body || typeof body !== 'object') return undefined;
  const b = body as Record<string, unknown>;
  if (Array.isArray(b.errors) && b.errors.length) {
    return b.errors
      .map((e) => (e && typeof e === 'object' ? String((e as { message?: unknown }).message) : ''))
      .filter(Boolean)
      .join('; ');
  }
  for (const key of ['message', 'error', 'msg']) {
    const value = b[key];
    if (typeof value === 'string' && value) return value;
    if (value && typeof value === 'object') return flatten(value);
  }
  return undefined;
}

/** `{columns: {0: {verbose_name: ['Too long']}}}` → `columns.0.verbose_name: Too long`. */
function flatten(value: object, prefix = ''): string {
  return Object.entries(value)
    .map(([key, inner]) => {
      const where = prefix ? `${prefix}.${key}` : key;
      if (Array.isArray(inner) && inner.every((i) => typeof i === 'string')) {
        return `${where}: ${inner.join(', ')}`;
      }
      if (inner && typeof inner === 'object') return flatten(inner as object, where);
      return `${where}: ${String(inner)}`;
    })
    .join('; ');
}

/** A path without its query: the sentence names the call, not its arguments. */
export function callOf(method: string, path: string): string {
  return `${method} ${path.split('?')[0]}`;
}

export function httpError(
  url: string,
  method: string,
  path: string,
  status: number,
  body: unknown,
): SupersetError {
  const said = supersetMessage(body);
  return new SupersetError(
    `Superset at ${url} answered ${status} to ${callOf(method, path)}${said ? `: ${said}` : ''}`,
    'http',
    status,
  );
}

export function loginRefused(
  url: string,
  username: string,
  status: number,
  body: unknown,
): SupersetError {
  const said = supersetMessage(body);
  const detail = said && said !== 'Not authorized' ? `: ${said}` : '';
  return new SupersetError(
    `Superset at ${url} refused the login for user '${username}' (${status})${detail}`,
    'login',
    status,
  );
}

/** A failure below HTTP (no answer at all) as a SupersetError; the task's own abort passes through. */
export function transportError(
  url: string,
  method: string,
  path: string,
  error: unknown,
  timeoutMs: number,
): unknown {
  const e = error as { code?: string; name?: string; message?: string; cause?: unknown };
  const code = e?.code ?? (e?.cause as { code?: string } | undefined)?.code;
  if (code && TLS_CODES.has(code)) {
    return new SupersetError(
      `Superset at ${url} has a TLS certificate that cannot be verified (${code}); fix the certificate, or turn off TLS verification for this environment if you trust it`,
      'tls',
    );
  }
  if ((code && TIMEOUT_CODES.has(code)) || e?.name === 'TimeoutError') {
    return new SupersetError(
      `Superset at ${url} did not answer ${callOf(method, path)} within ${timeoutMs / 1000} s`,
      'timeout',
    );
  }
  if (e?.name === 'AbortError' || !code) return error;
  const said = e.message?.includes(code) ? e.message : e.message ? `${code}: ${e.message}` : code;
  return new SupersetError(`Superset at ${url} cannot be reached (${said})`, 'unreachable');
}

/** Worth another try: no answer, or a 5xx. A login refusal or a 4xx never is. */
export function isRetryable(error: unknown): boolean {
  return (
    error instanceof SupersetError &&
    (error.kind === 'unreachable' ||
      error.kind === 'timeout' ||
      (error.kind === 'http' && (error.status ?? 0) >= 500))
  );
}
