// Runs the built server (dist) as a child process, so a test can kill it the way a crash would.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/database/embedded-postgres';
import type { LoginResponse } from '@taskdeck/contracts';
import { ApiClient } from './api-client';
import { spawnBuiltServer, type BuiltServer } from './built-server';
import { TEST_ADMIN, TEST_JWT_SECRET } from './test-app';

export type ServerProcess = BuiltServer;

export async function startServerProcess(options: {
  databaseUrl: string;
  env?: Record<string, string>;
  port?: number;
  nodeArgs?: string[];
}): Promise<ServerProcess> {
  const port = options.port ?? (await findFreePort());
  return spawnBuiltServer({
    port,
    nodeArgs: options.nodeArgs,
    env: {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(port),
      DATABASE_URL: options.databaseUrl,
      DATA_DIR: await mkdtemp(join(tmpdir(), 'taskdeck-test-proc-')),
      ADMIN_USERNAME: TEST_ADMIN.username,
      ADMIN_PASSWORD: TEST_ADMIN.password,
      JWT_SECRET: TEST_JWT_SECRET,
      INSTANCE_ID: 'test-instance',
      TASKDECK_ROLE: 'all',
      ...options.env,
    },
  });
}

/** An access token of the test admin on a server started by startServerProcess. */
export async function adminToken(url: string): Promise<string> {
  const res = await new ApiClient(url).post<LoginResponse>('/api/auth/login', TEST_ADMIN);
  if (res.status !== 200) throw new Error(`login as admin on ${url}: ${res.status}`);
  return res.body.accessToken;
}

/** A client signed in as the test admin on a server started by startServerProcess. */
export async function adminClient(url: string): Promise<ApiClient> {
  return new ApiClient(url, await adminToken(url));
}
