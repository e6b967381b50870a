// The one TypeORM configuration, shared by the app (DatabaseModule) and the migration CLI
// (`npm run migration:run`, which reads DATABASE_URL).
import { DataSource, type DataSourceOptions } from 'typeorm';
import { Initial1795590000000 } from './migrations/1795590000000-Initial';
import { SocketIoAttachments1795600000000 } from './migrations/1795600000000-SocketIoAttachments';
import { MessageStatistics1795610000000 } from './migrations/1795610000000-MessageStatistics';
import { UserAccess1795620000000 } from './migrations/1795620000000-UserAccess';
import { Environments1795630000000 } from './migrations/1795630000000-Environments';
import { JobQueue1795640000000 } from './migrations/1795640000000-JobQueue';
import { TaskJobs1795640000001 } from './migrations/1795640000001-TaskJobs';
import { BackupSchedules1795650000000 } from './migrations/1795650000000-BackupSchedules';
import { GitRepositories1795660000000 } from './migrations/1795660000000-GitRepositories';
import { ConnectionsAndMappings1795670000000 } from './migrations/1795670000000-ConnectionsAndMappings';
import { LlmProviders1795680000000 } from './migrations/1795680000000-LlmProviders';
import { TaskLogSpill1795690000000 } from './migrations/1795690000000-TaskLogSpill';

/** Every migration, in order. A new one is added here and in migrations/. */
export const migrations = [
  Initial1795590000000,
  SocketIoAttachments1795600000000,
  MessageStatistics1795610000000,
  UserAccess1795620000000,
  Environments1795630000000,
  JobQueue1795640000000,
  TaskJobs1795640000001,
  BackupSchedules1795650000000,
  GitRepositories1795660000000,
  ConnectionsAndMappings1795670000000,
  LlmProviders1795680000000,
  TaskLogSpill1795690000000,
];

export function dataSourceOptions(url: string, poolSize = 10): DataSourceOptions {
  return {
    type: 'postgres',
    url,
    synchronize: false,
    migrationsRun: false,
    migrations,
    migrationsTransactionMode: 'each',
    extra: { max: poolSize, application_name: 'taskdeck' },
  };
}

export default new DataSource({
  ...dataSourceOptions(process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/taskdeck'),
  entities: [__dirname + '/../**/*.entity.{ts,js}'],
});
