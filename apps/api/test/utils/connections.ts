import type { CreateConnectionRequest } from '@taskdeck/contracts';

/** A connection body (POST /api/connections) for the PostgreSQL at `databaseUrl`. */
export function connectionTo(
  databaseUrl: string,
  name: string,
): CreateConnectionRequest & { port: number } {
  const url = new URL(databaseUrl);
  return {
    name,
    host: url.hostname,
    port: Number(url.port || 5432),
    database: url.pathname.slice(1),
    username: decodeURIComponent(url.username),
    ...(url.password ? { password: decodeURIComponent(url.password) } : {}),
  };
}
