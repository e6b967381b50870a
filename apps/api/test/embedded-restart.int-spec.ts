// The embedded PostgreSQL after a crash of the server (issue 20, "After SIGKILL the next start
// fails"): it goes with a SIGKILLed server; one left running anyway is recognised and stopped at
// the next start on the same directory; a start that fails says why. And, as root, a clone in a
// private directory starts without DATA_DIR (issue 16).
import { spawn } from 'node:child_process';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { findFreePort } from '../src/database/embedded-postgres';
import { SUPERVISOR_NAME } from '../src/database/supervised-postgres';
import { BUILT_MAIN, REPO_ROOT } from './setup/build';
import { ApiClient, waitFor } from './utils/api-client';
import { spawnBuiltServer, type BuiltServer } from './utils/built-server';
import { descendants, isRunning, postmasterPid } from './utils/processes';
import { TEST_ADMIN, TEST_JWT_SECRET } from './utils/test-app';
import { startTask, waitForStatus } from './utils/tasks';

function embeddedEnv(extra: Record<string, string | undefined>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    NODE_ENV: 'production',
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    JWT_SECRET: TEST_JWT_SECRET,
    INSTANCE_ID: 'embedded-restart',
    ...extra,
  };
  delete env.DATABASE_URL; // the embedded PostgreSQL, as on a fresh machine
  delete env.REDIS_URL;
  return env;
}

async function startEmbedded(dataDir: string): Promise<BuiltServer> {
  const port = await findFreePort();
  return spawnBuiltServer({ port, env: embeddedEnv({ PORT: String(port), DATA_DIR: dataDir }) });
}

async function admin(server: BuiltServer): Promise<ApiClient> {
  const res = await new ApiClient(server.url).post<{ accessToken: string }>(
    '/api/auth/login',
    TEST_ADMIN,
  );
  expect(res.status).toBe(200);
  return new ApiClient(server.url, res.body.accessToken);
}

/** Runs the built server until it exits; returns its exit code and output. */
function runUntilExit(env: NodeJS.ProcessEnv): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BUILT_MAIN], { cwd: REPO_ROOT, env });
    let output = '';
    child.stdout.on('data', (c: Buffer) => (output += c.toString()));
    child.stderr.on('data', (c: Buffer) => (output += c.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.once('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, output });
    });
  });
}

describe('embedded PostgreSQL across crashes', () => {
  const dirs: string[] = [];
  const servers: BuiltServer[] = [];

  async function dataDir(): Promise<string> {
    const dir = await mkdtemp(join(tmpdir(), 'taskdeck-embedded-restart-'));
    dirs.push(dir);
    return dir;
  }

  afterAll(async () => {
    for (const server of servers) await server.kill('SIGTERM');
    for (const dir of dirs) await rm(dir, { recursive: true, force: true });
  });

  it('goes with a server killed by SIGKILL', async () => {
    const dir = await dataDir();
    const server = await startEmbedded(dir);
    servers.push(server);
    const postmaster = await postmasterPid(join(dir, 'postgres'));
    expect(postmaster).not.toBeNull();
    await server.kill('SIGKILL');
    await waitFor(
      async () => ((await isRunning(postmaster!)) ? undefined : true),
      30_000,
      'the orphaned postmaster to stop',
    );
  });

  it('is stopped and started again when a crash left it running on the same directory', async () => {
    const dir = await dataDir();
    const first = await startEmbedded(dir);
    servers.push(first);
    const running = await startTask(await admin(first), 'debug', { action: 'sleep', ms: 600_000 });
    await waitForStatus(await admin(first), running.id, ['RUNNING']);
    const postmaster = (await postmasterPid(join(dir, 'postgres')))!;
    // Kill the server and the supervisor that would stop PostgreSQL with it: what an OOM kill of
    // the whole group but the database leaves behind.
    const supervisors = (await descendants(first.child.pid!)).filter((p) =>
      p.command.includes(SUPERVISOR_NAME),
    );
    expect(supervisors.length).toBeGreaterThan(0);
    for (const pid of [first.child.pid!, ...supervisors.map((p) => p.pid)]) {
      process.kill(pid, 'SIGKILL');
    }
    await first.exited;
    expect(await isRunning(postmaster)).toBe(true);

    const second = await startEmbedded(dir);
    servers.push(second);
    expect(second.output()).toContain(
      `Stopped the embedded PostgreSQL an earlier run left running (pid ${postmaster})`,
    );
    expect(await isRunning(postmaster)).toBe(false);
    const client = await admin(second);
    const after = await waitForStatus(client, running.id, ['FAILED'], 30_000);
    expect(after.error).toMatch(/interrupted by server restart/);

    const newPostmaster = (await postmasterPid(join(dir, 'postgres')))!;
    expect(await second.kill('SIGTERM')).toBe(0);
    expect(await isRunning(newPostmaster)).toBe(false);
  });

  it('names the cause when the embedded PostgreSQL cannot start, never "undefined"', async () => {
    const blocker = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const pgPort = (blocker.address() as { port: number }).port;
    try {
      const { code, output } = await runUntilExit(
        embeddedEnv({
          PORT: String(await findFreePort()),
          DATA_DIR: await dataDir(),
          EMBEDDED_PG_PORT: String(pgPort),
        }),
      );
      expect(code).toBe(1);
      expect(output).toContain(
        'Taskdeck failed to start: the embedded PostgreSQL could not listen on its port',
      );
      expect(output).toContain('EMBEDDED_PG_PORT');
      expect(output).not.toMatch(/undefined/);
    } finally {
      blocker.close();
    }
  });

  it('names an unreachable DATABASE_URL', async () => {
    const env = embeddedEnv({ PORT: String(await findFreePort()), DATA_DIR: await dataDir() });
    env.DATABASE_URL = `postgres://postgres@127.0.0.1:${await findFreePort()}/nothing`;
    const { code, output } = await runUntilExit(env);
    expect(code).toBe(1);
    expect(output).toMatch(/Taskdeck failed to start: cannot reach the PostgreSQL of DATABASE_URL/);
  });

  const asRoot = process.getuid?.() === 0 ? it : it.skip;
  asRoot('starts as root from a private directory without DATA_DIR, and says where', async () => {
    const clone = await dataDir();
    await chmod(clone, 0o700); // what mktemp -d and /root look like to the postgres user
    const port = await findFreePort();
    const server = await spawnBuiltServer({
      port,
      cwd: clone,
      env: embeddedEnv({ PORT: String(port), DATA_DIR: undefined }),
    });
    servers.push(server);
    const where =
      /Embedded PostgreSQL started on 127\.0\.0\.1:\d+ \((\/var\/lib\/taskdeck\/[^)]+)\)/.exec(
        server.output(),
      );
    try {
      expect(where).not.toBeNull();
      expect(server.output()).toContain(`cannot enter ${clone}`);
      expect((await admin(server)).baseUrl).toBe(server.url);
      expect(await server.kill('SIGTERM')).toBe(0);
    } finally {
      if (where) await rm(join(where[1], '..'), { recursive: true, force: true });
    }
  });
});
