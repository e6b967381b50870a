import type { MigrationInterface, QueryRunner } from 'typeorm';

// Git repositories for the git plugin: where the work tree's remote is, which branch, who the
// commits' author is, and the remote's token sealed (or null).
export class GitRepositories1795660000000 implements MigrationInterface {
  name = 'GitRepositories1795660000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE git_repositories (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        remote_url varchar(2048) NOT NULL DEFAULT '',
        branch varchar(255) NOT NULL DEFAULT 'main',
        author_name varchar(255) NOT NULL,
        author_email varchar(255) NOT NULL,
        token_sealed text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query(
      'CREATE UNIQUE INDEX git_repositories_name_key ON git_repositories (lower(name))',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS git_repositories');
  }
}
