import type { MigrationInterface, QueryRunner } from 'typeorm';

// Account security: an admin can disable a user, and every access token carries the user's token
// version, raised when an admin disables the user or sets a new password, so older tokens stop
// working at once.
export class UserAccess1795620000000 implements MigrationInterface {
  name = 'UserAccess1795620000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      ALTER TABLE users
        ADD COLUMN disabled boolean NOT NULL DEFAULT false,
        ADD COLUMN token_version integer NOT NULL DEFAULT 0`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE users DROP COLUMN token_version, DROP COLUMN disabled');
  }
}
