// One real Superset instance, kept alive by this process until it gets SIGTERM: an embedded
// PostgreSQL (Superset's metadata and the example tables), `superset db upgrade` + admin + `init`
// on first start, then gunicorn on a free port. Started detached by `npm run superset -- start`.
import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { Client } from 'pg';
import { findFreePort, startEmbeddedPostgres } from '../../apps/api/src/database/embedded-postgres';
import { instanceDir, stateFile, type InstanceState } from './paths';
import { ensureVenv, exec, type Venv } from './venv';

const name = process.argv[2] ?? 'a';
const dir = instanceDir(name);
const log = (line: string): void => void process.stdout.write(`[superset ${name}] ${line}\n`);

async function secret(file: string): Promise<string> {
  if (existsSync(file)) return (await readFile(file, 'utf8')).trim();
  const value = randomBytes(24).toString('base64url');
  await writeFile(file, `${value}\n`, { mode: 0o600 });
  return value;
}

async function ensureDatabase(adminUrl: string, database: string): Promise<string> {
  const client = new Client({ connectionString: adminUrl });
  await client.connect();
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [database]);
    if (found.rowCount === 0) await client.query(`CREATE DATABASE "${database}"`);
  } finally {
    await client.end();
  }
  const url = new URL(adminUrl);
  url.pathname = `/${database}`;
  return url.toString();
}

async function main(): Promise<void> {
  await mkdir(dir, { recursive: true });
  const venv = await ensureVenv(log);
  const postgres = await startEmbeddedPostgres({ dataDir: join(dir, 'pg'), database: 'postgres' });
  const running: { gunicorn?: ChildProcess } = {};
  const stop = async (code = 0): Promise<void> => {
    await rm(stateFile(name), { force: true });
    const gunicorn = running.gunicorn;
    if (gunicorn && gunicorn.exitCode === null) {
      gunicorn.kill('SIGTERM');
      await new Promise((r) => gunicorn.once('exit', r));
    }
    await postgres.stop();
    process.exit(code);
  };
  process.once('SIGTERM', () => void stop());
  process.once('SIGINT', () => void stop());
  try {
    await serve(venv, postgres.url, running, stop);
  } catch (error) {
    log(`failed: ${error instanceof Error ? error.message : String(error)}`);
    await stop(1);
  }
}

async function serve(
  venv: Venv,
  postgresUrl: string,
  running: { gunicorn?: ChildProcess },
  stop: (code?: number) => Promise<void>,
): Promise<void> {
  const metaUrl = (await ensureDatabase(postgresUrl, 'superset_meta')).replace(
    /^postgres:/,
    'postgresql+psycopg2:',
  );
  await ensureDatabase(postgresUrl, 'examples');
  const password = await secret(join(dir, 'admin.password'));
  const config = join(dir, 'superset_config.py');
  await writeFile(
    config,
    [
      '# Written by scripts/superset/supervisor.ts for the superset test tier.',
      `SECRET_KEY = ${JSON.stringify(await secret(join(dir, 'secret.key')))}`,
      `SQLALCHEMY_DATABASE_URI = ${JSON.stringify(metaUrl)}`,
      'WTF_CSRF_ENABLED = True',
      'TALISMAN_ENABLED = False',
      'AUTH_RATE_LIMITED = False',
      'RATELIMIT_ENABLED = False',
      'SUPERSET_LOG_VIEW = True',
      "FEATURE_FLAGS = {'DASHBOARD_NATIVE_FILTERS': True}",
      '',
    ].join('\n'),
  );
  const env = {
    ...process.env,
    SUPERSET_CONFIG_PATH: config,
    FLASK_APP: 'superset.app:create_app()',
  };
  if (!existsSync(join(dir, 'initialised'))) {
    const started = Date.now();
    log('first start: superset db upgrade, admin, init');
    await exec(venv.bin('superset'), ['db', 'upgrade'], log, env);
    await exec(
      venv.bin('superset'),
      [
        'fab',
        'create-admin',
        '--username',
        'admin',
        '--firstname',
        'Ada',
        '--lastname',
        'Admin',
        '--email',
        'admin@example.invalid',
        '--password',
        password,
      ],
      log,
      env,
    );
    await exec(venv.bin('superset'), ['init'], log, env);
    await writeFile(join(dir, 'initialised'), new Date().toISOString());
    log(`initialised in ${Math.round((Date.now() - started) / 1000)} s`);
  }

  const port = await findFreePort();
  const output = createWriteStream(join(dir, 'gunicorn.log'), { flags: 'a' });
  const gunicorn = spawn(
    venv.bin('gunicorn'),
    [
      '-w',
      '2',
      '-k',
      'gthread',
      '--threads',
      '4',
      '--timeout',
      '120',
      '-b',
      `127.0.0.1:${port}`,
      'superset.app:create_app()',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  running.gunicorn = gunicorn;
  gunicorn.stdout?.pipe(output);
  gunicorn.stderr?.pipe(output);
  gunicorn.once('exit', (code) => {
    log(`gunicorn exited (${code}); see ${join(dir, 'gunicorn.log')}`);
    void stop(1);
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/health`)).ok) break;
    } catch {
      // not yet
    }
    if (i > 600) throw new Error(`Superset did not answer ${url}/health within 5 minutes`);
    await new Promise((r) => setTimeout(r, 500));
  }
  const state: InstanceState = {
    name,
    pid: process.pid,
    url,
    port,
    username: 'admin',
    password,
    postgresUrl,
    examplesDatabase: 'examples',
  };
  await writeFile(stateFile(name), JSON.stringify(state, null, 2), { mode: 0o600 });
  log(`ready at ${url}`);
}

main().catch((error: unknown) => {
  log(`failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
