import { registerAs } from '@nestjs/config';
import { envInt, envUrl } from './env';

export const databaseConfig = registerAs('database', () => {
  const url = envUrl(process.env, 'DATABASE_URL', ['postgres', 'postgresql']);
  if (!url) {
    // main.ts starts the embedded server and sets DATABASE_URL before the app is created.
    throw new Error('DATABASE_URL is not set and no embedded PostgreSQL was started');
  }
  return {
    url,
    poolSize: envInt(process.env, 'DATABASE_POOL_SIZE', 10, 2, 200),
  };
});
