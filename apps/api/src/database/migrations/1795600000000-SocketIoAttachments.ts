import type { MigrationInterface, QueryRunner } from 'typeorm';

// The Socket.IO PostgreSQL adapter passes messages over 8000 bytes (log batches) through this
// table; it deletes old rows itself.
export class SocketIoAttachments1795600000000 implements MigrationInterface {
  name = 'SocketIoAttachments1795600000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE IF NOT EXISTS socket_io_attachments (
        id bigserial UNIQUE,
        created_at timestamptz DEFAULT now(),
        payload bytea
      )`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS socket_io_attachments');
  }
}
