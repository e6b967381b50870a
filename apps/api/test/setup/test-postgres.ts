// Where the integration tests get their PostgreSQL: DATABASE_URL when set, a testcontainers
// Postgres when a Docker engine answers, otherwise an embedded Postgres in a temporary directory.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startEmbeddedPostgres } from '../../src/database/embedded-postgres';

export interface TestPostgres {
  kind: 'external' | 'testcontainers' | 'embedded';
  /** A URL whose user may CREATE DATABASE. */
  adminUrl: string;
  stop(): Promise<void>;
}

async function dockerAnswers(): Promise<boolean> {
  try {
    await promisify(execFile)('docker', ['info', '--format', '{{.ServerVersion}}'], {
      timeout: 5000,
    });
    return true;
  } catch {
    return false;
  }
}

export async function provideTestPostgres(): Promise<TestPostgres> {
  const external = process.env.DATABASE_URL;
  if (external) return { kind: 'external', adminUrl: external, stop: () => Promise.resolve() };

  if (await dockerAnswers()) {
    const { PostgreSqlContainer } = await import('@testcontainers/postgresql');
    const container = await new PostgreSqlContainer('postgres:18-alpine').start();
    return {
      kind: 'testcontainers',
      adminUrl: container.getConnectionUri(),
      stop: async () => {
        await container.stop();
      },
    };
  }

  const dataDir = await mkdtemp(join(tmpdir(), 'taskdeck-test-pg-'));
  const server = await startEmbeddedPostgres({ dataDir, database: 'postgres' });
  return {
    kind: 'embedded',
    adminUrl: server.url,
    stop: async () => {
      await server.stop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}
