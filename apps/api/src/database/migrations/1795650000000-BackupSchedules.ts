import type { MigrationInterface, QueryRunner } from 'typeorm';

// An environment's backup schedule: cron, keep and whether it is on. The running schedule itself
// is a task schedule named `backup.<environment id>` (schedules module); this row keeps the
// settings while it is off, and goes with its environment.
export class BackupSchedules1795650000000 implements MigrationInterface {
  name = 'BackupSchedules1795650000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE environment_backup_schedules (
        environment_id uuid PRIMARY KEY REFERENCES environments(id) ON DELETE CASCADE,
        cron varchar(200) NOT NULL,
        keep integer NOT NULL CHECK (keep BETWEEN 1 AND 10000),
        enabled boolean NOT NULL DEFAULT true,
        updated_by varchar(255),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS environment_backup_schedules');
  }
}
