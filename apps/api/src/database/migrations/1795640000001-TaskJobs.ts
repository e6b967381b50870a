import type { MigrationInterface, QueryRunner } from 'typeorm';

// Each task names the queue job that runs it (a task and its job are written in one transaction),
// and named schedules create tasks on the queue's cron.
export class TaskJobs1795640000001 implements MigrationInterface {
  name = 'TaskJobs1795640000001';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE tasks ADD COLUMN job_id uuid NULL`);
    await q.query(`
      CREATE TABLE task_schedules (
        name varchar(100) PRIMARY KEY,
        cron varchar(200) NOT NULL,
        timezone varchar(64) NOT NULL DEFAULT 'UTC',
        plugin_id varchar(64) NOT NULL,
        params jsonb NOT NULL DEFAULT '{}'::jsonb,
        last_task_id uuid NULL,
        last_tick_job_id uuid NULL,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`DROP TABLE IF EXISTS task_schedules`);
    await q.query(`ALTER TABLE tasks DROP COLUMN IF EXISTS job_id`);
  }
}
