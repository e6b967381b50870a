import type { MigrationInterface, QueryRunner } from 'typeorm';

// The first schema: users, tasks, task logs with their counters, settings and instance heartbeats.
// Log entries carry no foreign key on purpose: an FK check per row costs the log path dearly; the
// task manager deletes a task's entries and counters in the same transaction as the task.
export class Initial1795590000000 implements MigrationInterface {
  name = 'Initial1795590000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    await q.query(`
      CREATE TABLE users (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        username varchar(64) NOT NULL,
        password_hash text NOT NULL,
        role varchar(16) NOT NULL CHECK (role IN ('viewer', 'operator', 'admin')),
        created_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(`CREATE UNIQUE INDEX users_username_key ON users (lower(username))`);

    await q.query(`
      CREATE TABLE tasks (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        plugin_id varchar(64) NOT NULL,
        params jsonb NOT NULL DEFAULT '{}'::jsonb,
        status varchar(16) NOT NULL
          CHECK (status IN ('PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED')),
        progress smallint NULL CHECK (progress BETWEEN 0 AND 100),
        result jsonb NULL,
        error text NULL,
        created_by varchar(64) NULL,
        owner_instance varchar(128) NULL,
        cancel_requested boolean NOT NULL DEFAULT false,
        created_at timestamptz NOT NULL DEFAULT now(),
        started_at timestamptz NULL,
        finished_at timestamptz NULL
      )`);
    await q.query(`CREATE INDEX tasks_created_idx ON tasks (created_at DESC, id DESC)`);
    await q.query(
      `CREATE INDEX tasks_status_created_idx ON tasks (status, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX tasks_plugin_created_idx ON tasks (plugin_id, created_at DESC, id DESC)`,
    );
    await q.query(
      `CREATE INDEX tasks_finished_idx ON tasks (finished_at) WHERE finished_at IS NOT NULL`,
    );

    // level: 0 DEBUG, 1 INFO, 2 WARNING, 3 ERROR.
    await q.query(`
      CREATE TABLE task_log_entries (
        task_id uuid NOT NULL,
        seq bigint NOT NULL,
        ts timestamptz NOT NULL,
        level smallint NOT NULL CHECK (level BETWEEN 0 AND 3),
        source text NOT NULL,
        message text NOT NULL,
        metadata jsonb NULL,
        PRIMARY KEY (task_id, seq)
      )`);
    // Source filter: an exact match on one or more sources, in seq order.
    await q.query(
      `CREATE INDEX task_log_entries_source_idx ON task_log_entries (task_id, source, seq)`,
    );
    // Minimum level WARNING or ERROR: the selective level filters, in seq order.
    await q.query(
      `CREATE INDEX task_log_entries_warning_idx ON task_log_entries (task_id, seq) WHERE level >= 2`,
    );
    // Text search: ILIKE '%needle%' served by trigrams.
    await q.query(
      `CREATE INDEX task_log_entries_message_trgm_idx ON task_log_entries USING gin (message gin_trgm_ops)`,
    );

    // Per task, level and source: stats and sources never scan the log; the sum is the last seq.
    await q.query(`
      CREATE TABLE task_log_counters (
        task_id uuid NOT NULL,
        level smallint NOT NULL,
        source text NOT NULL,
        count bigint NOT NULL,
        PRIMARY KEY (task_id, level, source)
      )`);

    await q.query(`
      CREATE TABLE settings (
        key varchar(64) PRIMARY KEY,
        value jsonb NOT NULL,
        updated_at timestamptz NOT NULL DEFAULT now(),
        updated_by varchar(64) NULL
      )`);
    await q.query(`
      CREATE TABLE settings_audit (
        id bigserial PRIMARY KEY,
        key varchar(64) NOT NULL,
        old_value jsonb NULL,
        new_value jsonb NOT NULL,
        changed_by varchar(64) NULL,
        changed_at timestamptz NOT NULL DEFAULT now()
      )`);

    // Server instances sharing this database, for finding tasks orphaned by a dead instance.
    await q.query(`
      CREATE TABLE instances (
        id varchar(128) PRIMARY KEY,
        started_at timestamptz NOT NULL,
        heartbeat_at timestamptz NOT NULL
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    for (const table of [
      'instances',
      'settings_audit',
      'settings',
      'task_log_counters',
      'task_log_entries',
      'tasks',
      'users',
    ]) {
      await q.query(`DROP TABLE IF EXISTS ${table}`);
    }
  }
}
