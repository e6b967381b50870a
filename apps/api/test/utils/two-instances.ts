// Two server instances on one database, as the cluster specs run them: through the PostgreSQL
// socket adapter, and through Redis as well when REDIS_URL is set.
import { createTestDatabase, dropTestDatabase } from './test-database';
import { startTestApp, type TestApp } from './test-app';

export const SOCKET_ADAPTERS: { name: string; env: Record<string, string> }[] = [
  { name: 'PostgreSQL adapter', env: {} },
  ...(process.env.REDIS_URL
    ? [{ name: 'Redis adapter', env: { REDIS_URL: process.env.REDIS_URL } }]
    : []),
];

export interface TwoInstances {
  /** INSTANCE_ID instance-a and instance-b. */
  a: TestApp;
  b: TestApp;
  close(): Promise<void>;
}

export async function startTwoInstances(env: Record<string, string>): Promise<TwoInstances> {
  const databaseUrl = await createTestDatabase();
  const base = { ...env, REDIS_URL: env.REDIS_URL ?? '' };
  const started: TestApp[] = [];
  const close = async () => {
    for (const app of started) await app.close();
    await dropTestDatabase(databaseUrl);
  };
  try {
    // A runs no task (api role): every task runs on B, so A's subscribers get B's batches.
    started.push(
      await startTestApp({
        databaseUrl,
        instanceId: 'instance-a',
        env: { ...base, TASKDECK_ROLE: 'api' },
      }),
    );
    started.push(await startTestApp({ databaseUrl, instanceId: 'instance-b', env: base }));
  } catch (error) {
    await close();
    throw error;
  }
  return { a: started[0], b: started[1], close };
}
