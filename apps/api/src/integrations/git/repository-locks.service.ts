// One operation at a time per repository, across every instance: a PostgreSQL session advisory
// lock, held on a connection of its own for the operation's length. PostgreSQL releases it when
// that connection ends, so a crashed instance never leaves a repository locked.
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { setTimeout as sleep } from 'node:timers/promises';
import { DataSource } from 'typeorm';

/** The advisory lock space of git repositories (first key of the two-key form): 'git!'. */
const LOCK_SPACE = 0x67697421;
const POLL_MS = 250;

@Injectable()
export class RepositoryLocks {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Runs `work` holding the repository's lock. While another operation holds it, waits (calling
   * `onWait` once) until it is free or `signal` aborts.
   */
  async withLock<T>(
    repositoryId: string,
    work: () => Promise<T>,
    options: { signal?: AbortSignal; onWait?: () => void } = {},
  ): Promise<T> {
    const runner = this.dataSource.createQueryRunner();
    await runner.connect();
    try {
      let waited = false;
      for (;;) {
        const rows = (await runner.query(
          'SELECT pg_try_advisory_lock($1, hashtext($2)) AS locked',
          [LOCK_SPACE, repositoryId],
        )) as { locked: boolean }[];
        if (rows[0]?.locked) break;
        if (!waited) options.onWait?.();
        waited = true;
        options.signal?.throwIfAborted();
        await sleep(POLL_MS, undefined, { signal: options.signal });
      }
      try {
        return await work();
      } finally {
        await runner.query('SELECT pg_advisory_unlock($1, hashtext($2))', [
          LOCK_SPACE,
          repositoryId,
        ]);
      }
    } finally {
      await runner.release();
    }
  }
}
