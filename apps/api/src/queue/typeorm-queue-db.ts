// Lets the job queue write through a TypeORM transaction: a job sent with this `db` is inserted on
// the transaction's connection and commits (or rolls back) with the caller's own writes.
import type { EntityManager } from 'typeorm';
import type { Db } from 'pg-boss';

export function queueDbOf(manager: EntityManager): Db {
  const runner = manager.queryRunner;
  if (!runner?.isTransactionActive) {
    throw new Error('queueDbOf needs the EntityManager of a running transaction');
  }
  return {
    // A structured result: TypeORM's plain query() answers [rows, count] for UPDATE … RETURNING.
    executeSql: async (text: string, values?: unknown[]) => ({
      rows: (await runner.query(text, values, true)).records as unknown[],
    }),
  };
}
