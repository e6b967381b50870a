import type { MigrationInterface, QueryRunner } from 'typeorm';

// Superset installations Taskdeck works on. The password is stored sealed (AES-256-GCM, see
// secrets/), never in clear; names are unique whatever their case.
export class Environments1795630000000 implements MigrationInterface {
  name = 'Environments1795630000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE environments (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        url varchar(2048) NOT NULL,
        username varchar(255) NOT NULL,
        password_sealed text NOT NULL,
        provider varchar(8) NOT NULL DEFAULT 'db' CHECK (provider IN ('db', 'ldap')),
        verify_tls boolean NOT NULL DEFAULT true,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX environments_name_key ON environments (lower(name))');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS environments');
  }
}
