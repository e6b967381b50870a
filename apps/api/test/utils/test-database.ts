import { randomBytes } from 'node:crypto';
import { Client } from 'pg';

function adminUrl(): string {
  const url = process.env.TASKDECK_TEST_ADMIN_URL;
  if (!url) {
    throw new Error(
      'integration tests need the jest globalSetup (run them through apps/api/jest.config.js)',
    );
  }
  return url;
}

export function databaseUrl(database: string): string {
  const parsed = new URL(adminUrl());
  parsed.pathname = `/${database}`;
  return parsed.toString();
}

/** A fresh database copied from the migrated template; returns its URL. */
export async function createTestDatabase(): Promise<string> {
  const name = `td_${process.env.TASKDECK_TEST_RUN_ID ?? process.pid}_${randomBytes(5).toString('hex')}`;
  const template = process.env.TASKDECK_TEST_TEMPLATE;
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    for (let attempt = 0; ; attempt++) {
      try {
        await admin.query(`CREATE DATABASE "${name}" TEMPLATE "${template}"`);
        break;
      } catch (error) {
        // Two files copying the template at the same moment: try again shortly.
        if (
          attempt >= 10 ||
          !String((error as Error).message).includes('accessed by other users')
        ) {
          throw error;
        }
        await new Promise((r) => setTimeout(r, 200 + Math.random() * 300));
      }
    }
  } finally {
    await admin.end();
  }
  return databaseUrl(name);
}

export async function dropTestDatabase(url: string): Promise<void> {
  const name = new URL(url).pathname.slice(1);
  const admin = new Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
  } finally {
    await admin.end();
  }
}
