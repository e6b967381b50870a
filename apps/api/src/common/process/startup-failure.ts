// What `Taskdeck failed to start: …` says. Every start-up failure names its cause and what to do;
// a thrown value without a message (PostgreSQL's start once rejected with `undefined`) still says
// what was being done when it happened.

export interface StartupStep {
  /** What the server was doing, e.g. "connecting to the database". */
  step: string;
  /** Set once the server knows which port it is about to listen on. */
  port?: number;
  /** Whether the database is the embedded one or DATABASE_URL's. */
  database?: 'embedded' | 'external';
}

interface ErrorLike {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  errno?: unknown;
  address?: unknown;
}

const DATABASE_CONNECT_CODES = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'ETIMEDOUT']);

export function describeStartupFailure(error: unknown, at: StartupStep): string {
  const e = (error ?? {}) as ErrorLike;
  const message = typeof e.message === 'string' && e.message.trim() ? e.message.trim() : '';
  const code = typeof e.code === 'string' ? e.code : undefined;

  if (e.name === 'InvalidSettingError' || e.name === 'EmbeddedPostgresError') return message;
  if (code === 'EADDRINUSE' && at.port !== undefined) {
    return `port ${at.port} is already in use. Stop what listens there, or set PORT to another port.`;
  }
  if (code === 'EACCES' && at.port !== undefined && at.step.startsWith('listening')) {
    return `not allowed to listen on port ${at.port}. Ports below 1024 need extra rights; set PORT to 1024 or above.`;
  }
  if (code && DATABASE_CONNECT_CODES.has(code) && at.database === 'external') {
    return `cannot reach the PostgreSQL of DATABASE_URL (${code}${message ? `: ${message}` : ''}). Check that it runs and that DATABASE_URL names the right host and port.`;
  }
  if (code === '28P01' || code === '28000') {
    return `the database refused the credentials (${message}). Check the user and password in DATABASE_URL.`;
  }
  if (code === '3D000') {
    return `${message}. Create that database first, or point DATABASE_URL at an existing one.`;
  }
  if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS' || code === 'ENOSPC') {
    return `${message || code} while ${at.step}. Check that the data directory (DATA_DIR) is writable and its disk has space.`;
  }
  const what =
    error instanceof Error
      ? `${error.name}: ${message || '(no message)'}`
      : message ||
        `a ${error === null ? 'null' : typeof error} value was thrown (${String(error)})`;
  return `${what}, while ${at.step}. This is unexpected: please report it with the output above.`;
}
