import { Client } from 'pg';

export default async function globalTeardown(): Promise<void> {
  const pg = globalThis.__TASKDECK_TEST_PG__;
  if (!pg) return;
  if (pg.kind === 'external') {
    // Leave an external server as we found it: drop the databases this run made.
    const admin = new Client({ connectionString: pg.adminUrl });
    await admin.connect();
    try {
      const { rows } = await admin.query<{ datname: string }>(
        `SELECT datname FROM pg_database WHERE datname = $1 OR datname LIKE $2`,
        [
          process.env.TASKDECK_TEST_TEMPLATE,
          `td_${process.env.TASKDECK_TEST_RUN_ID ?? process.pid}_%`,
        ],
      );
      for (const { datname } of rows) {
        await admin.query(`DROP DATABASE IF EXISTS "${datname}" WITH (FORCE)`);
      }
    } finally {
      await admin.end();
    }
  }
  await pg.stop();
}
