import type { MigrationInterface, QueryRunner } from 'typeorm';

// The task log spill's committed position per spill directory (one per instance's data directory),
// stored in the same transaction as the rows it holds: a restart replays exactly the rest.
export class TaskLogSpill1795690000000 implements MigrationInterface {
  name = 'TaskLogSpill1795690000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE task_log_spill_cursors (
        spill_id uuid PRIMARY KEY,
        segment bigint NOT NULL CHECK (segment >= 0),
        "offset" bigint NOT NULL CHECK ("offset" >= 0),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE task_log_spill_cursors');
  }
}
