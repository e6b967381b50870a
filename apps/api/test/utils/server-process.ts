// Runs the built server (dist) as a child process, so a test can kill it the way a crash would.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../../src/database/embedded-postgres';
import { BUILT_MAIN, REPO_ROOT } from '../setup/build';
import { waitFor } from './api-client';
import { TEST_ADMIN, TEST_JWT_SECRET } from './test-app';

export interface ServerProcess {
  url: string;
  port: number;
  child: ChildProcess;
  /** What the server printed (stdout and stderr), for failure messages. */
  output(): string;
  kill(signal?: NodeJS.Signals): Promise<number | null>;
}

export async function startServerProcess(options: {
  databaseUrl: string;
  env?: Record<string, string>;
  port?: number;
}): Promise<ServerProcess> {
  const port = options.port ?? (await findFreePort());
  let output = '';
  const child = spawn(process.execPath, [BUILT_MAIN], {
    cwd: REPO_ROOT,
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
      ...options.env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const url = `http://127.0.0.1:${port}`;

  try {
    await waitFor(
      async () => {
        if (child.exitCode !== null) throw new Error(`server exited (${child.exitCode}):\n${output}`);
        try {
          const response = await fetch(`${url}/api/health`);
          return response.status === 200 ? true : undefined;
        } catch {
          return undefined;
        }
      },
      60_000,
      'the server process to answer /api/health',
    );
  } catch (error) {
    child.kill('SIGKILL');
    throw error;
  }

  return {
    url,
    port,
    child,
    output: () => output,
    kill: async (signal: NodeJS.Signals = 'SIGTERM') => {
      if (child.exitCode === null) child.kill(signal);
      return exited;
    },
  };
}
