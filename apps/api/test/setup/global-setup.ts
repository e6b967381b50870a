// Once per jest run: a Postgres, and a template database migrated once; each test file copies it
// (CREATE DATABASE … TEMPLATE) so that every file starts from a clean, migrated schema.
import { Client } from 'pg';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../../src/database/data-source';
import { provideTestPostgres, type TestPostgres } from './test-postgres';
import { ensureApiBuilt } from './build';

declare global {
  var __TASKDECK_TEST_PG__: TestPostgres | undefined;
}

export function withDatabase(url: string, database: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

export default async function globalSetup(): Promise<void> {
  process.env.TZ = 'UTC';
  const pg = await provideTestPostgres();
  globalThis.__TASKDECK_TEST_PG__ = pg;

  const template = `taskdeck_template_${process.pid}`;
  const admin = new Client({ connectionString: pg.adminUrl });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${template}"`);
    await admin.query(`CREATE DATABASE "${template}"`);
  } finally {
    await admin.end();
  }
  const dataSource = new DataSource(dataSourceOptions(withDatabase(pg.adminUrl, template), 2));
  await dataSource.initialize();
  try {
    await dataSource.runMigrations();
  } finally {
    await dataSource.destroy();
  }

  process.env.TASKDECK_TEST_ADMIN_URL = pg.adminUrl;
  process.env.TASKDECK_TEST_TEMPLATE = template;
  process.env.TASKDECK_TEST_PG_KIND = pg.kind;
  process.env.TASKDECK_TEST_RUN_ID = String(process.pid); // names the run's databases, for teardown
  process.stdout.write(`\n[integration] PostgreSQL: ${pg.kind}; template ${template}\n`);
  await ensureApiBuilt();
}
