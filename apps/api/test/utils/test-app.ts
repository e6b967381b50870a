// Starts the real Taskdeck application (all modules, real HTTP server on a free port) on a test
// database, the way main.ts does, minus the embedded Postgres.
import 'reflect-metadata';
import { mkdtemp } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Module, type ModuleMetadata } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { LoginResponse, Role } from '@taskdeck/contracts';
import { Logger } from 'nestjs-pino';
import { DataSource } from 'typeorm';
import { AppModule } from '../../src/app.module';
import { configureApp } from '../../src/app-setup';
import { UsersService } from '../../src/auth/users.service';
import { createTestDatabase } from './test-database';

export const TEST_ADMIN = { username: 'admin', password: 'admin-password-for-tests' };
export const TEST_JWT_SECRET = 'test-jwt-secret-that-is-long-enough-0123456789';
export const TEST_PASSWORD = 'password-for-tests';

export interface TestAppOptions {
  /** Reuse a database (e.g. to restart on it); default: a fresh copy of the template. */
  databaseUrl?: string;
  /** Extra environment, e.g. TASK_LOG_FLUSH_MS. */
  env?: Record<string, string>;
  instanceId?: string;
  /** Modules added beside the app's own (e.g. a test plugin). */
  imports?: ModuleMetadata['imports'];
}

@Module({})
class TestRootModule {}

export interface TestApp {
  app: NestExpressApplication;
  /** http://127.0.0.1:<port> */
  url: string;
  databaseUrl: string;
  dataSource: DataSource;
  /** An access token for a user of that role (created on first use). */
  tokenFor(role: Role): Promise<string>;
  close(): Promise<void>;
}

export async function startTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const databaseUrl = options.databaseUrl ?? (await createTestDatabase());
  Object.assign(process.env, {
    NODE_ENV: 'test',
    DATABASE_URL: databaseUrl,
    DATA_DIR: await mkdtemp(join(tmpdir(), 'taskdeck-test-data-')),
    ADMIN_USERNAME: TEST_ADMIN.username,
    ADMIN_PASSWORD: TEST_ADMIN.password,
    JWT_SECRET: TEST_JWT_SECRET,
    INSTANCE_ID: options.instanceId ?? 'test-instance',
    TASKDECK_ROLE: 'all',
    WEB_ROOT: join(tmpdir(), 'taskdeck-no-console'),
    ...options.env,
  });

  const root = options.imports?.length
    ? { module: TestRootModule, imports: [AppModule.forRoot(), ...options.imports] }
    : AppModule.forRoot();
  const app = await NestFactory.create<NestExpressApplication>(root, {
    bufferLogs: true,
    abortOnError: false,
  });
  app.useLogger(app.get(Logger));
  await configureApp(app);
  try {
    await app.listen(0, '127.0.0.1');
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  const { port } = app.getHttpServer().address() as AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  const tokens = new Map<Role, string>();

  return {
    app,
    url,
    databaseUrl,
    dataSource: app.get(DataSource),
    async tokenFor(role: Role): Promise<string> {
      const cached = tokens.get(role);
      if (cached) return cached;
      const username = role === 'admin' ? TEST_ADMIN.username : `${role}-user`;
      const password = role === 'admin' ? TEST_ADMIN.password : TEST_PASSWORD;
      const users = app.get(UsersService);
      if (!(await users.findByUsername(username))) await users.create(username, password, role);
      const response = await fetch(`${url}/api/auth/login`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ username, password }),
      });
      if (response.status !== 200) throw new Error(`login as ${role} failed: ${response.status}`);
      const body = (await response.json()) as LoginResponse;
      tokens.set(role, body.accessToken);
      return body.accessToken;
    },
    close: () => app.close(),
  };
}
