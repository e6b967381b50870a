import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Module, type DynamicModule } from '@nestjs/common';
import { ConfigModule, type ConfigType } from '@nestjs/config';
import { ServeStaticModule } from '@nestjs/serve-static';
import { LoggerModule } from 'nestjs-pino';
import { AuthModule } from './auth/auth.module';
import { BackupSchedulesModule } from './backup-schedules/backup-schedules.module';
import { ClusterModule } from './cluster/cluster.module';
import { appConfig, configNamespaces } from './config';
import { DatabaseModule } from './database/database.module';
import { HealthModule } from './health/health.module';
import { ConnectionsModule } from './integrations/connections/connections.module';
import { GitRepositoriesModule } from './integrations/git/git-repositories.module';
import { LlmModule } from './llm/llm.module';
import { PluginsModule } from './plugins/plugins.module';
import { SecretsModule } from './secrets/secrets.module';
import { SchedulesModule } from './schedules/schedules.module';
import { createRootLogger } from './settings/server-logger';
import { SettingsModule } from './settings/settings.module';
import { StorageModule } from './storage/storage.module';
import { SupersetModule } from './superset/superset.module';
import { TaskLogModule } from './task-log/task-log.module';
import { TaskManagerModule } from './task-manager/task-manager.module';
import { LiveModule } from './live/live.module';

/** API routes and the socket live under these paths; everything else may be the console. */
const SERVER_PATHS = /^\/(api|socket\.io)(\/|$)/;

@Module({})
export class AppModule {
  /** Builds the application from the environment as it is now (main.ts and tests set it first). */
  static forRoot(): DynamicModule {
    const app = appConfig();
    const console = existsSync(join(app.webRoot, 'index.html'))
      ? [ServeStaticModule.forRoot({ rootPath: app.webRoot, exclude: SERVER_PATHS })]
      : [];
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot({ isGlobal: true, ignoreEnvFile: true, load: configNamespaces }),
        // nestjs-pino binds each request's logger (req.log, set by the access log: app-setup.ts) so
        // that what the application logs while serving it carries the request id; its own per-request
        // pino-http is not used (settings/access-log.ts says why).
        LoggerModule.forRootAsync({
          inject: [appConfig.KEY],
          useFactory: (config: ConfigType<typeof appConfig>) => ({
            useExisting: true,
            pinoHttp: {
              logger: createRootLogger({
                production: config.production,
                logFile: config.logFile,
                silent: process.env.NODE_ENV === 'test' && !config.logFile,
              }),
              // The root's serializers as they are: pino-http's would take our access line's
              // `req` for an IncomingMessage.
              wrapSerializers: false,
            },
          }),
        }),
        DatabaseModule,
        ClusterModule,
        AuthModule,
        SettingsModule,
        TaskLogModule,
        PluginsModule,
        TaskManagerModule,
        LiveModule,
        SchedulesModule,
        HealthModule,
        SecretsModule,
        SupersetModule,
        ConnectionsModule,
        GitRepositoriesModule,
        LlmModule,
        StorageModule,
        BackupSchedulesModule,
        ...console,
      ],
    };
  }
}
