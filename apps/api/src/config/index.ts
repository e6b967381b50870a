import { appConfig } from './app.config';
import { authConfig } from './auth.config';
import { databaseConfig } from './database.config';
import { llmConfig } from './llm.config';
import { secretsConfig } from './secrets.config';
import { storageConfig } from './storage.config';
import { taskLogConfig } from './task-log.config';
import { tasksConfig } from './tasks.config';

/** Every configuration namespace; each validates its variables when the app starts. */
export const configNamespaces = [
  appConfig,
  authConfig,
  databaseConfig,
  taskLogConfig,
  tasksConfig,
  secretsConfig,
  llmConfig,
  storageConfig,
];

export { appConfig, authConfig, databaseConfig, taskLogConfig, tasksConfig };
export { secretsConfig };
export { llmConfig };
export { storageConfig };
