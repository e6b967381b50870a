// Starts Taskdeck: the database (embedded unless DATABASE_URL is set), then the Nest server.
// SIGINT/SIGTERM stop it cleanly: tasks cancelled, log buffers flushed, embedded Postgres stopped.
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module';
import { configureApp } from './app-setup';
import { applyInstanceRole, startupRole } from './common/instance-role';
import { installCrashGuards } from './common/process/crash-guard';
import { describeStartupFailure, type StartupStep } from './common/process/startup-failure';
import { appConfig } from './config';
import { startEmbeddedPostgres, type EmbeddedPostgresHandle } from './database/embedded-postgres';

async function startEmbedded(at: StartupStep): Promise<EmbeddedPostgresHandle | undefined> {
  if (process.env.DATABASE_URL) {
    at.database = 'external';
    return undefined;
  }
  at.database = 'embedded';
  at.step = 'starting the embedded PostgreSQL';
  const { dataDir, dataDirChosen, embeddedPgPort } = appConfig();
  const embedded = await startEmbeddedPostgres({ dataDir, dataDirChosen, port: embeddedPgPort });
  process.env.DATABASE_URL = embedded.url;
  if (embedded.stoppedLeftover) {
    process.stdout.write(
      `Stopped the embedded PostgreSQL an earlier run left running (pid ${embedded.stoppedLeftover})\n`,
    );
  }
  process.stdout.write(
    `Embedded PostgreSQL started on 127.0.0.1:${embedded.port} (${embedded.clusterDir})\n` +
      (embedded.relocated
        ? `  It is kept there because ${embedded.relocated}; set DATA_DIR to choose the place.\n`
        : ''),
  );
  return embedded;
}

async function bootstrap(at: StartupStep): Promise<void> {
  at.step = 'reading the settings';
  const { port } = appConfig(); // validates PORT and DATA_DIR before anything starts
  const role = startupRole(process.env);
  at.port = port;
  const embedded = await startEmbedded(at);

  let app: NestExpressApplication | undefined;
  try {
    at.step = 'connecting to the database and starting the modules';
    app = await NestFactory.create<NestExpressApplication>(AppModule.forRoot(), {
      bufferLogs: true,
      abortOnError: false, // a failure reaches the catch below, which stops the database and says why
    });
    app.useLogger(app.get(Logger));
    at.step = 'configuring the server';
    await configureApp(app);
    await applyInstanceRole(app, role);
    at.step = `listening on port ${port}`;
    await app.listen(port);
  } catch (error) {
    await app?.close().catch(() => undefined);
    await embedded?.stop().catch(() => undefined);
    throw error;
  }
  installCrashGuards();
  const server = app;
  server.get(Logger).log(`Taskdeck (${role}) listening on http://localhost:${port}`, 'Bootstrap');

  let stopping = false;
  const shutdown = async (signal: NodeJS.Signals): Promise<void> => {
    if (stopping) return;
    stopping = true;
    server.get(Logger).log(`${signal}: shutting down`, 'Bootstrap');
    try {
      await server.close();
    } finally {
      await embedded?.stop();
    }
    process.exit(0);
  };
  process.once('SIGINT', (signal) => void shutdown(signal));
  process.once('SIGTERM', (signal) => void shutdown(signal));
}

const at: StartupStep = { step: 'starting' };
bootstrap(at).catch((error: unknown) => {
  process.stderr.write(`Taskdeck failed to start: ${describeStartupFailure(error, at)}\n`);
  process.exit(1);
});
