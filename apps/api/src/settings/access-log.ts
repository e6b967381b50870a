// The access log (pino-http, one line per request): every request is logged, but the successful
// reads the console repeats all the time (the signed-in user, task lists and pages of a log, its
// stats) at DEBUG, so that at the default INFO level they cost no serialising and no write. Set the
// server log level to DEBUG (PATCH /api/settings/logging) to see them too. Writes, failures and
// everything else stay at INFO. See docs/performance-notes.md.

export type AccessLogLevel = 'debug' | 'info';

/** The hot read routes: /api/auth/me, /api/tasks[/:id[/logs[/stats|/sources]]] (with any query). */
const HOT_READ =
  /^\/api\/(?:auth\/me|tasks(?:\/[^/?#]+(?:\/logs(?:\/(?:stats|sources))?)?)?)\/?(?:[?#]|$)/;

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
