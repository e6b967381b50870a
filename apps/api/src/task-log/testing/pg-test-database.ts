// For the task-log specs that need a real Postgres: a throwaway database migrated with the app's
// migrations, on TEST_DATABASE_URL (default: the local server). Specs skip when none answers.
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../database/data-source';
import { TaskLogCounterEntity } from '../entities/task-log-counter.entity';
import { TaskLogEntryEntity } from '../entities/task-log-entry.entity';

export const TEST_DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';

/** Synchronous (a spec decides at definition time whether to run): does a Postgres answer? */
export function postgresAnswers(): boolean {
  const probe =
    'const {Client}=require(process.argv[1]);' +
    'const c=new Client({connectionString:process.argv[2],connectionTimeoutMillis:3000});' +
    'c.connect().then(()=>c.end()).then(()=>process.exit(0),()=>process.exit(1));';
  try {
    execFileSync(process.execPath, ['-e', probe, require.resolve('pg'), TEST_DATABASE_URL], {
      stdio: 'ignore',
      timeout: 10_000,
    });
    return true;
  } catch {
    return false;
  }
}

/**
 * Whether a spec that needs Postgres must skip; says why on stderr when so. Use:
 * `(mustSkipWithoutPostgres(name) ? describe.skip : describe)(name, () => …)`.
 */
export function mustSkipWithoutPostgres(name: string): boolean {
  if (postgresAnswers()) return false;
  process.stderr.write(
    `SKIPPED "${name}": no PostgreSQL answers at TEST_DATABASE_URL (${safeUrl()})\n`,
  );
  return true;
}

export interface TestDatabase {
  url: string;
  dataSource: DataSource;
  /** A plain pg client on the database, for what the test does behind the writer's back. */
  client: Client;
  drop(): Promise<void>;
}

export async function createMigratedDatabase(prefix: string): Promise<TestDatabase> {
  const name = `${prefix}_${process.pid}_${randomBytes(4).toString('hex')}`;
  await withAdmin((admin) => admin.query(`CREATE DATABASE "${name}"`));
  const url = new URL(TEST_DATABASE_URL);
  url.pathname = `/${name}`;
  const dataSource = new DataSource({
    ...dataSourceOptions(url.toString(), 4),
    entities: [TaskLogEntryEntity, TaskLogCounterEntity],
  });
  await dataSource.initialize();
  await dataSource.runMigrations();
  const client = new Client({ connectionString: url.toString() });
  await client.connect();
  return {
    url: url.toString(),
    dataSource,
    client,
    async drop() {
      await client.end().catch(() => undefined);
      if (dataSource.isInitialized) await dataSource.destroy();
      await withAdmin((admin) => admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`));
    },
  };
}

async function withAdmin(work: (admin: Client) => Promise<unknown>): Promise<void> {
  const admin = new Client({ connectionString: TEST_DATABASE_URL });
  await admin.connect();
  try {
    await work(admin);
  } finally {
    await admin.end();
  }
}

function safeUrl(): string {
  const url = new URL(TEST_DATABASE_URL);
  if (url.password) url.password = '***';
  return url.toString();
}
