import { resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { envInt, envString, envUrl } from './env';

export const appConfig = registerAs('app', () => ({
  port: envInt(process.env, 'PORT', 3000, 0, 65_535),
  /** Embedded Postgres, generated secrets and storage live here. */
  dataDir: resolve(envString(process.env, 'DATA_DIR', './data')),
  /** DATA_DIR was set: then it is used exactly as given (see embedded-cluster-location.ts). */
  dataDirChosen: envString(process.env, 'DATA_DIR') !== undefined,
  /** Port of the embedded PostgreSQL; 0: a free one. */
  embeddedPgPort: envInt(process.env, 'EMBEDDED_PG_PORT', 0, 0, 65_535),
  production: process.env.NODE_ENV === 'production',
  /** Set: Socket.IO uses the Redis adapter; unset: the Postgres adapter. */
  redisUrl: envUrl(process.env, 'REDIS_URL', ['redis', 'rediss']),
  /** Also write the server log (JSON) to this rotating file. */
  logFile: envString(process.env, 'LOG_FILE'),
  /** Origins allowed to call the API from a browser (CORS); none (CORS off) when unset. */
  corsOrigins: (envString(process.env, 'CORS_ORIGINS') ?? '')
    .split(',')
    .map((origin) => origin.trim())
    .filter((origin) => origin !== ''),
  /** Express `trust proxy` (behind a load balancer: the client IP for login throttling). */
  trustProxy: trustProxy(envString(process.env, 'TRUST_PROXY')),
  /** Where the built console lives; served with an SPA fallback when present. */
  webRoot: resolve(envString(process.env, 'WEB_ROOT', 'dist/web/browser')),
}));

export type AppConfig = ReturnType<typeof appConfig>;

function trustProxy(raw: string | undefined): boolean | number | string {
  if (raw === undefined || raw === 'false') return false;
  if (raw === 'true') return true;
  return /^\d+$/.test(raw) ? Number(raw) : raw; // hop count, or addresses / subnets / loopback
}
