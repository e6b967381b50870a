// Reads and writes of the tasks table. Status changes are conditional updates, so that two
// instances (or a cancel racing a start) can never both win. Writes that must commit with a queue
// job take the transaction's EntityManager.
import { Injectable } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import type { Page, Task } from '@taskdeck/contracts';
import { DataSource, EntityManager, IsNull, Repository } from 'typeorm';
import { TaskLogWriter } from '../task-log/ingest/task-log-writer.service';
import { TaskEntity } from './entities/task.entity';
import { decodeCursor, encodeCursor } from './task-list-cursor';
import type { TaskOutcome } from './task-outcome';
import { toTask } from './task-mapper';

export interface TaskListFilter {
  status?: Task['status'];
  pluginId?: string;
  limit: number;
  cursor?: string;
}

export interface NewTask {
  pluginId: string;
  params: Record<string, unknown>;
  createdBy: string;
  jobId: string;
}

@Injectable()
export class TaskStore {
  constructor(
    @InjectRepository(TaskEntity) private readonly tasks: Repository<TaskEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logs: TaskLogWriter,
  ) {}

  /** A new PENDING task, in the caller's transaction (the one that sends its job). */
  insertPending(manager: EntityManager, task: NewTask): Promise<TaskEntity> {
    const repository = manager.getRepository(TaskEntity);
    return repository.save(
      repository.create({ ...task, status: 'PENDING', createdAt: new Date(), progress: null }),
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

  /**
   * The task of this job → RUNNING on this instance: from PENDING on a first attempt, or on from
   * RUNNING for a retry. Null when the task is gone, finished, or has another job by now.
   */
  async claim(
    id: string,
    jobId: string,
    instanceId: string,
    retry: boolean,
  ): Promise<TaskEntity | null> {
    const result = await this.tasks
      .createQueryBuilder()
      .update()
      .set({
        status: 'RUNNING',
        startedAt: () => 'coalesce(started_at, now())',
        ownerInstance: instanceId,
      })
      .where('id = :id AND job_id = :jobId', { id, jobId })
      .andWhere(retry ? `status IN ('PENDING', 'RUNNING')` : `status = 'PENDING'`)
      .execute();
    return result.affected ? this.find(id) : null;
  }

  /** A failed attempt that will be retried: RUNNING still, but run by nobody until the next one. */
  async releaseForRetry(id: string, instanceId: string): Promise<boolean> {
    const result = await this.tasks.update(
      { id, status: 'RUNNING', ownerInstance: instanceId },
      { ownerInstance: null },
    );
    return Boolean(result.affected);
  }

  /** A PENDING task's job replaced by another (in the transaction that sends it). */
  async replaceJob(
    manager: EntityManager,
    id: string,
    from: string | null,
    to: string,
  ): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(TaskEntity)
      .set({ jobId: to })
      .where(`id = :id AND status = 'PENDING'`, { id })
      .andWhere(from === null ? 'job_id IS NULL' : 'job_id = :from', { from })
      .execute();
    return Boolean(result.affected);
  }

  /** PENDING tasks that have no job (created before the job queue existed). */
  async pendingWithoutJob(): Promise<string[]> {
    const rows = await this.tasks.find({
      select: { id: true },
      where: { status: 'PENDING', jobId: IsNull() },
      order: { createdAt: 'ASC' },
    });
    return rows.map((r) => r.id);
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

  /**
   * CANCELLED now, for a task nobody runs: PENDING, or RUNNING between two attempts. False when
   * it is not (any more) in that state. In the caller's transaction, which cancels its job.
   */
  async cancelIdle(manager: EntityManager, id: string, reason: string): Promise<boolean> {
    const result = await manager
      .createQueryBuilder()
      .update(TaskEntity)
      .set({ status: 'CANCELLED', error: reason, finishedAt: () => 'now()' })
      .where('id = :id', { id })
      .andWhere(`(status = 'PENDING' OR (status = 'RUNNING' AND owner_instance IS NULL))`)
      .execute();
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

  /** Tasks RUNNING under this instance's name. */
  runningOn(instanceId: string): Promise<TaskEntity[]> {
    return this.tasks.findBy({ status: 'RUNNING', ownerInstance: instanceId });
  }

  /**
   * Tasks left RUNNING under this instance's name (by the process before a restart; nothing runs
   * here yet when this is called): FAILED with `error`. Returns them.
   */
  failOwnOrphans(instanceId: string, error: string): Promise<TaskEntity[]> {
    return this.failWhere(`status = 'RUNNING' AND owner_instance = $1`, [instanceId], error);
  }

  /** A task whose job the queue gave up on → FAILED, unless it finished or has another job. */
  async failUnfinished(id: string, jobId: string, error: string): Promise<TaskEntity | null> {
    const [task] = await this.failWhere(
      `id = $1 AND job_id = $2 AND status IN ('PENDING', 'RUNNING')`,
      [id, jobId],
      error,
    );
    return task ?? null;
  }

  private async failWhere(
    condition: string,
    params: unknown[],
    error: string,
  ): Promise<TaskEntity[]> {
    const errorParam = `$${params.length + 1}`;
    // For UPDATE … RETURNING, TypeORM's postgres driver answers [rows, affected].
    const [rows] = await this.dataSource.query<[{ id: string }[], number]>(
      `UPDATE tasks SET status = 'FAILED', error = ${errorParam}, finished_at = now()
       WHERE ${condition}
       RETURNING id`,
      [...params, error],
    );
    return rows.length ? this.tasks.findBy(rows.map((r) => ({ id: r.id }))) : [];
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
