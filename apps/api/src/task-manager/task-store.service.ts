// Reads and writes of the tasks table. Status changes are conditional updates, so that two
// instances (or a cancel racing a start) can never both win.
import { BadRequestException, Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { Page, Task, TaskStatus } from '@taskdeck/contracts';
import { DataSource, Repository } from 'typeorm';
import { isUuid } from '../common/uuid';
import { TaskLogWriter } from '../task-log/ingest/task-log-writer.service';
import { TaskEntity } from './entities/task.entity';
import { toTask } from './task-mapper';
import type { TaskOutcome } from './task-outcome';

export interface TaskListFilter {
  status?: TaskStatus;
  pluginId?: string;
  limit: number;
  cursor?: string;
}

interface ListCursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(task: Pick<Task, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([task.createdAt, task.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListCursor {
  try {
    const [createdAt, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && isUuid(id)) {
      return { createdAt, id };
    }
  } catch {
    // falls through to the 400 below
  }
  throw new BadRequestException('cursor is not one this server issued');
}

@Injectable()
export class TaskStore {
  constructor(
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logs: TaskLogWriter,
  ) {}

  async insertPending(
    pluginId: string,
    params: Record<string, unknown>,
    createdBy: string,
  ): Promise<TaskEntity> {
    return this.tasks.save(
      this.tasks.create({
        pluginId,
        params,
        status: 'PENDING',
        createdBy,
        createdAt: new Date(),
        progress: null,
      }),
    );
  }

  find(id: string): Promise<TaskEntity | null> {
    return this.tasks.findOneBy({ id });
  }

  exists(id: string): Promise<boolean> {
    return this.tasks.existsBy({ id });
  }

  async list(filter: TaskListFilter): Promise<Page<Task>> {
    const query = this.tasks
      .createQueryBuilder('t')
      .orderBy('t.created_at', 'DESC')
      .addOrderBy('t.id', 'DESC');
    if (filter.status) query.andWhere('t.status = :status', { status: filter.status });
    if (filter.pluginId) query.andWhere('t.plugin_id = :pluginId', { pluginId: filter.pluginId });
    if (filter.cursor) {
      const cursor = decodeCursor(filter.cursor);
      query.andWhere('(t.created_at, t.id) < (:createdAt, :id)', cursor);
    }
    const rows = await query.limit(filter.limit + 1).getMany();
    const items = rows.slice(0, filter.limit).map(toTask);
    const nextCursor = rows.length > filter.limit ? encodeCursor(items[items.length - 1]) : null;
    return { items, nextCursor };
  }

  /** PENDING → RUNNING for this instance; null when someone else got it (or it was cancelled). */
  async claim(id: string, instanceId: string): Promise<TaskEntity | null> {
    const result = await this.tasks
      .createQueryBuilder()
      .update()
      .set({ status: 'RUNNING', startedAt: () => 'now()', ownerInstance: instanceId })
      .where('id = :id AND status = :pending', { id, pending: 'PENDING' })
      .execute();
    return result.affected ? this.find(id) : null;
  }

  /** A claimed task that will not run here after all (shutdown began): PENDING again, untouched. */
  async release(id: string, instanceId: string): Promise<boolean> {
    const result = await this.tasks.update(
      { id, status: 'RUNNING', ownerInstance: instanceId },
      { status: 'PENDING', startedAt: null, ownerInstance: null },
    );
    return Boolean(result.affected);
  }

  /** False when the task is no longer RUNNING (finished, or deleted). */
  async setProgress(id: string, progress: number): Promise<boolean> {
    const result = await this.tasks.update({ id, status: 'RUNNING' }, { progress });
    return Boolean(result.affected);
  }

  /**
   * RUNNING on this instance → the outcome. A finished status is final: null when the task is
   * gone or another instance already ended it (e.g. marked it FAILED as an orphan).
   */
  async finish(id: string, instanceId: string, outcome: TaskOutcome): Promise<TaskEntity | null> {
    const result = await this.tasks.update(
      { id, status: 'RUNNING', ownerInstance: instanceId },
      {
        status: outcome.status,
        result: outcome.result as object,
        error: outcome.error,
        finishedAt: () => 'now()',
        ...(outcome.status === 'SUCCESS' ? { progress: 100 } : {}),
      },
    );
    return result.affected ? this.find(id) : null;
  }

  /** PENDING → CANCELLED; false when the task is no longer pending. */
  async cancelPending(id: string, reason: string): Promise<boolean> {
    const result = await this.tasks.update(
      { id, status: 'PENDING' },
      { status: 'CANCELLED', error: reason, finishedAt: () => 'now()' },
    );
    return Boolean(result.affected);
  }

  async requestCancel(id: string): Promise<void> {
    await this.tasks.update({ id, status: 'RUNNING' }, { cancelRequested: true });
  }

  async cancelRequested(ids: string[]): Promise<string[]> {
    if (!ids.length) return [];
    const rows = await this.tasks
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where('t.id = ANY(:ids) AND t.cancel_requested', { ids })
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }

  async pendingIds(): Promise<string[]> {
    const rows = await this.tasks.find({
      select: { id: true },
      where: { status: 'PENDING' },
      order: { createdAt: 'ASC' },
    });
    return rows.map((r) => r.id);
  }

  /**
   * Tasks left RUNNING under this instance's name (by the process before a restart; nothing runs
   * here yet when this is called): FAILED with `error`. Returns them.
   */
  failOwnOrphans(instanceId: string, error: string): Promise<TaskEntity[]> {
    return this.failRunning(`owner_instance = $1 OR owner_instance IS NULL`, [instanceId], error);
  }

  /** Tasks RUNNING on another instance whose heartbeat is older than `staleAfterMs`: FAILED. */
  failStaleOrphans(instanceId: string, staleAfterMs: number, error: string): Promise<TaskEntity[]> {
    return this.failRunning(
      `owner_instance <> $1 AND owner_instance NOT IN
         (SELECT id FROM instances WHERE heartbeat_at > now() - make_interval(secs => $2 / 1000.0))`,
      [instanceId, staleAfterMs],
      error,
    );
  }

  private async failRunning(
    condition: string,
    params: unknown[],
    error: string,
  ): Promise<TaskEntity[]> {
    const errorParam = `$${params.length + 1}`;
    // For UPDATE … RETURNING, TypeORM's postgres driver answers [rows, affected].
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE tasks SET status = 'FAILED', error = ${errorParam}, finished_at = now()
       WHERE status = 'RUNNING' AND (${condition})
       RETURNING id`,
      [...params, error],
    );
    return rows.length ? this.tasks.findBy(rows.map((r) => ({ id: r.id }))) : [];
  }

  async heartbeat(instanceId: string): Promise<void> {
    await this.dataSource.query(
      `INSERT INTO instances (id, started_at, heartbeat_at) VALUES ($1, now(), now())
       ON CONFLICT (id) DO UPDATE SET heartbeat_at = now()`,
      [instanceId],
    );
  }

  /** The task, its log entries and its counters, in one transaction. */
  async delete(id: string): Promise<void> {
    await this.dataSource.transaction(async (manager) => {
      await this.logs.deleteTaskLogs(id, manager);
      await manager.delete(TaskEntity, { id });
    });
  }

  /** Finished tasks that finished before `before`, oldest first. */
  async expired(before: Date, limit: number): Promise<string[]> {
    const rows = await this.tasks
      .createQueryBuilder('t')
      .select('t.id', 'id')
      .where('t.finished_at < :before', { before })
      .andWhere('t.status IN (:...finished)', { finished: ['SUCCESS', 'FAILED', 'CANCELLED'] })
      .orderBy('t.finished_at', 'ASC')
      .limit(limit)
      .getRawMany<{ id: string }>();
    return rows.map((r) => r.id);
  }
}
