import type { MigrationInterface, QueryRunner } from 'typeorm';

// A finer histogram for task_log_entries.message, so that the planner can tell a rare search
// needle from a common one. With the default 100 buckets a needle in 0.1 % of the rows is
// estimated at 0.01 % or at 1 % depending on whether ANALYZE's sample put it on a bucket
// boundary; at 1 % the planner walks the task in seq order filtering every row (100 ms on a
// million-entry task) instead of taking the trigram index (a few ms). 1,000 buckets make the
// estimate about right; ANALYZE samples 300,000 rows instead of 30,000.
export class MessageStatistics1795610000000 implements MigrationInterface {
  name = 'MessageStatistics1795610000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE task_log_entries ALTER COLUMN message SET STATISTICS 1000');
    await q.query('ANALYZE task_log_entries (message)');
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('ALTER TABLE task_log_entries ALTER COLUMN message SET STATISTICS -1');
  }
}
