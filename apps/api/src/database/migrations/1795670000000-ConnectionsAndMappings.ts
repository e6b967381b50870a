import type { MigrationInterface, QueryRunner } from 'typeorm';

// Database connections (the mapper's Postgres sources; the password sealed, or null) and the
// migration plugin's stored database mappings per pair of environments, which go with either
// environment when it is deleted.
export class ConnectionsAndMappings1795670000000 implements MigrationInterface {
  name = 'ConnectionsAndMappings1795670000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE connections (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        type varchar(16) NOT NULL DEFAULT 'postgres' CHECK (type IN ('postgres')),
        host varchar(255) NOT NULL,
        port integer NOT NULL DEFAULT 5432 CHECK (port BETWEEN 1 AND 65535),
        database varchar(255) NOT NULL,
        username varchar(255) NOT NULL,
        password_sealed text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX connections_name_key ON connections (lower(name))');
    await q.query(`
      CREATE TABLE migration_mappings (
        source_environment_id uuid NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        target_environment_id uuid NOT NULL REFERENCES environments(id) ON DELETE CASCADE,
        source_database_uuid uuid NOT NULL,
        target_database_uuid uuid NOT NULL,
        updated_by varchar(255),
        updated_at timestamptz NOT NULL DEFAULT now(),
        PRIMARY KEY (source_environment_id, target_environment_id, source_database_uuid)
      )`);
    await q.query(
      'CREATE INDEX migration_mappings_target_idx ON migration_mappings (target_environment_id)',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS migration_mappings');
    await q.query('DROP TABLE IF EXISTS connections');
  }
}
