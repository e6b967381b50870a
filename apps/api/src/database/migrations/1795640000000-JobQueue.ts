import type { MigrationInterface, QueryRunner } from 'typeorm';
import { QUEUE_SCHEMA } from '../../queue/queue-options';

// The job queue's schema (pg-boss), created here so that a migrated database is complete and every
// instance starts on it. pg-boss's construction SQL is its own transaction (BEGIN … COMMIT under an
// advisory lock), hence no TypeORM transaction around it. Later pg-boss releases migrate this
// schema themselves when an instance starts (they record their version in pgboss.version).
export class JobQueue1795640000000 implements MigrationInterface {
  name = 'JobQueue1795640000000';
  transaction = false as const;

  async up(q: QueryRunner): Promise<void> {
    const [{ installed }] = (await q.query(`SELECT to_regclass($1) IS NOT NULL AS installed`, [
      `${QUEUE_SCHEMA}.version`,
    ])) as { installed: boolean }[];
    if (installed) return;
    // pg-boss is an ES module; migrations stay CommonJS.
    const { getConstructionPlans } = await import('pg-boss');
    await q.query(getConstructionPlans(QUEUE_SCHEMA));
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP SCHEMA IF EXISTS ${QUEUE_SCHEMA} CASCADE`);
  }
}
