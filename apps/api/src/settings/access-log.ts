// The access log: one line per request, written when the response is done (or the client went
// away), with the request's id, method and URL (credentials in the query masked), its status and
// its time. Every request is logged, but the successful reads the console repeats all the time
// (the signed-in user, task lists and pages of a log, its stats) at DEBUG, so that at the default
// INFO level they cost a level check and nothing else. Set the server log level to DEBUG
// (PATCH /api/settings/logging) to see them too. Writes, failures and everything else stay at INFO.
//
// Ours rather than pino-http's: pino-http builds two child loggers per request whatever the level,
// one of them with the request serialised and redacted at once (about 9 µs), which was nearly half
// the server CPU of GET /api/auth/me. Here a request costs one child logger ({ reqId }), which
// nestjs-pino binds to the request (useExisting) so that what the application logs while serving
// it carries the id. docs/performance-notes.md, "The HTTP path".
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { redactUrl } from './server-logger';

export type AccessLogLevel = 'debug' | 'info';

/** The hot read routes: /api/auth/me, /api/tasks[/:id[/logs[/stats|/sources]]] (with any query). */
const HOT_READ =
  /^\/api\/(?:auth\/me|tasks(?:\/[^/?#]+(?:\/logs(?:\/(?:stats|sources))?)?)?)\/?(?:[?#]|$)/;

/** Not worth a line: socket transport polls and health probes. */
export const QUIET_PATHS = /^\/(socket\.io\/|api\/health)/;

export function accessLogLevel(
  method: string | undefined,
  url: string | undefined,
  statusCode: number,
): AccessLogLevel {
  if ((method === 'GET' || method === 'HEAD') && statusCode < 400 && HOT_READ.test(url ?? '')) {
    return 'debug';
  }
  return 'info';
}

/**
 * A request as the access log and nestjs-pino see it: pino-http's typings (still what nestjs-pino
 * reads) give IncomingMessage its `id` and `log`; express adds `originalUrl`.
 */
type LoggedRequest = IncomingMessage & { originalUrl?: string };

/** The largest id before they start again at 1 (pino-http's default ids, the same sequence). */
const MAX_REQUEST_ID = 0x7fffffff;

/**
 * Middleware that gives each request an id and a child logger of `root` carrying it (`req.log`),
 * and writes its access line when the response closes. Mount it before nestjs-pino's binding
 * middleware (LoggerModule with `useExisting`).
 */
export function accessLog(
  root: Logger,
): (req: LoggedRequest, res: ServerResponse, next: () => void) => void {
  let lastId = 0;
  return (req, res, next) => {
    if (req.id === undefined) {
      lastId = lastId === MAX_REQUEST_ID ? 1 : lastId + 1;
      req.id = lastId;
    }
    const log = root.child({ reqId: req.id });
    req.log = log;
    const url = req.originalUrl ?? req.url ?? '';
    if (!QUIET_PATHS.test(url)) {
      const started = performance.now();
      res.once('close', () => writeLine(log, req, res, url, started));
    }
    next();
  };
}

function writeLine(
  log: Logger,
  req: LoggedRequest,
  res: ServerResponse,
  url: string,
  started: number,
): void {
  // A request the client gave up on is worth a line whatever its route: it never succeeded.
  const finished = res.writableFinished;
  const level = finished ? accessLogLevel(req.method, url, res.statusCode) : 'info';
  if (!log.isLevelEnabled(level)) return;
  const line = {
    req: { id: req.id, method: req.method, url: redactUrl(url) },
    // null: the client went away before any status was sent.
    res: { statusCode: res.headersSent ? res.statusCode : null },
    responseTime: Math.round(performance.now() - started),
  };
  const message = !finished
    ? 'request aborted'
    : res.statusCode >= 500
      ? 'request errored'
      : 'request completed';
  log[level](line, message);
}
