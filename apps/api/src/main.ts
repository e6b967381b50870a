// Starts Taskdeck: the database (embedded unless DATABASE_URL is set), then the Nest server.
// SIGINT/SIGTERM stop it cleanly: tasks cancelled, log buffers flushed, embedded Postgres stopped.
import 'reflect-metadata';
import { resolve } from 'node:path';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app.setup';
import { applyInstanceRole, startupRole } from './common/instance-role';
import { appConfig } from './config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './database/embedded-postgres';

async function bootstrap(): Promise<void> {
  const { port, dataDir } = appConfig(); // validates PORT and DATA_DIR before anything starts
  const role = startupRole(process.env);
  let embedded: EmbeddedPostgresHandle | undefined;
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres({
      dataDir: resolve(dataDir),
      port: Number(process.env.EMBEDDED_PG_PORT ?? 0),
    });
    process.env.DATABASE_URL = embedded.url;
    process.stdout.write(
      `Embedded PostgreSQL started on 127.0.0.1:${embedded.port} (${dataDir})\n`,
    );
  }

  let app: NestExpressApplication;
  try {
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
      bufferLogs: true,
    });
  } catch (error) {
    await embedded?.stop();
    throw error;
  }
  app.useLogger(app.get(Logger));
  await configureApp(app);
  await applyInstanceRole(app, role);
  await app.listen(port);
  app.get(Logger).log(`Taskdeck (${role}) listening on http://localhost:${port}`, 'Bootstrap');

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    app.get(Logger).log(`${signal}: shutting down`, 'Bootstrap');
    try {
      await app.close();
    } finally {
      await embedded?.stop();
    }
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
}

bootstrap().catch((error: unknown) => {
  process.stderr.write(
    `Taskdeck failed to start: ${error instanceof Error ? error.message : String(error)}\n`,
  );
  process.exit(1);
});
