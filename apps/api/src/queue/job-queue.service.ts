// The job queue: pg-boss on Taskdeck's own PostgreSQL (schema `pgboss`, created by a migration and
// kept up to date by pg-boss itself). One pg-boss instance per server, started with the app and
// stopped after every module that uses it has stopped (beforeApplicationShutdown). The rest of the
// app sees this small, typed surface and never the library.
import {
  Inject,
  Injectable,
  Logger,
  type BeforeApplicationShutdown,
  type OnModuleInit,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import type { Db, JobWithMetadata, PgBoss, Queue, SendOptions } from 'pg-boss';
import type { EntityManager } from 'typeorm';
import { databaseConfig, tasksConfig } from '../config';
import { queueOptions } from './queue-options';
import { queueDbOf } from './typeorm-queue-db';

export type QueueJob<T> = JobWithMetadata<T>;
export type QueueSettings = Omit<Queue, 'name'>;

export interface WorkSettings {
  /** Jobs of this queue handled at once on this instance. */
  concurrency: number;
  /**
   * How often an idle worker looks for jobs. A new job wakes the idle workers of a notify-enabled
   * queue at once; polling finds what sends no notification: a retry whose back-off has ended,
   * and jobs whose notification was lost with a connection.
   */
  pollingSeconds: number;
}

/** A job the queue gave up on, as its dead-letter copy names it. */
export interface FailedJobOrigin {
  queue: string;
  id: string;
  /** What the queue stored as the reason (e.g. "job heartbeat timeout"), if anything. */
  reason: string | null;
}

@Injectable()
export class JobQueue implements OnModuleInit, BeforeApplicationShutdown {
  private readonly logger = new Logger(JobQueue.name);
  private boss: PgBoss | null = null;

  constructor(
    @Inject(databaseConfig.KEY) private readonly db: ConfigType<typeof databaseConfig>,
    @Inject(tasksConfig.KEY) private readonly tasks: ConfigType<typeof tasksConfig>,
  ) {}

  async onModuleInit(): Promise<void> {
    // pg-boss is an ES module; this file stays CommonJS.
    const { PgBoss: Boss } = await import('pg-boss');
    const boss = new Boss(queueOptions(this.db.url, this.tasks.instanceId));
    boss.on('error', (error: Error) => this.logger.warn(`job queue: ${error.message}`));
    boss.on('warning', (warning: { message: string }) =>
      this.logger.warn(`job queue: ${warning.message}`),
    );
    await boss.start();
    this.boss = boss;
  }

  /** After every module's onModuleDestroy: the task workers have stopped their tasks by then. */
  async beforeApplicationShutdown(): Promise<void> {
    const boss = this.boss;
    this.boss = null;
    await boss?.stop({ graceful: true, timeout: this.tasks.shutdownGraceMs + 5000 });
  }

  /** Creates the queue, or brings an existing one's settings up to date. */
  async ensureQueue(name: string, settings: QueueSettings): Promise<void> {
    const boss = this.started();
    if (await boss.getQueue(name)) {
      const { policy: _policy, partition: _partition, ...changeable } = settings;
      await boss.updateQueue(name, changeable);
    } else {
      await boss.createQueue(name, settings);
    }
  }

  /** Sends a job; with `manager`, inside that TypeORM transaction (it commits or rolls back with it). */
  async send(
    name: string,
    data: object,
    options: SendOptions,
    manager?: EntityManager,
  ): Promise<string> {
    const id = await this.started().send(name, data, { ...options, ...this.via(manager) });
    if (!id) throw new Error(`the queue refused a job for ${name}`);
    return id;
  }

  /**
   * Handles jobs of a queue, one job per handler call; a handler that throws fails its job. A
   * worker that has just finished a job looks for the next one at once: pg-boss would otherwise
   * wait out the rest of its polling interval after a short job, and a backlog would drain at the
   * polling rate instead of as fast as the workers go.
   */
  async work<T extends object>(
    name: string,
    settings: WorkSettings,
    handler: (job: QueueJob<T>) => Promise<void>,
  ): Promise<void> {
    const boss = this.started();
    await boss.work(
      name,
      {
        includeMetadata: true,
        batchSize: 1,
        localConcurrency: settings.concurrency,
        pollingIntervalSeconds: settings.pollingSeconds,
        notifyPollingIntervalSeconds: settings.pollingSeconds,
      },
      async ([job]: QueueJob<T>[]) => {
        try {
          await handler(job);
        } finally {
          // The workers holding a job (this one among them) fetch again as soon as theirs ends.
          for (const worker of boss.getWipData()) {
            if (worker.name === name && worker.count > 0) boss.notifyWorker(worker.id);
          }
        }
      },
    );
  }

  /** Stops taking jobs of a queue; with `wait`, until the handlers under way have returned. */
  async stopWork(name: string, wait: boolean): Promise<void> {
    await this.boss?.offWork(name, { wait });
  }

  /** Fails jobs that are active (retried when their retry limit allows). Answers how many. */
  async fail(name: string, ids: string[], reason: string): Promise<number> {
    if (!ids.length) return 0;
    const response = await this.started().fail(name, ids, { message: reason });
    return (response as { affected?: number }).affected ?? 0;
  }

  /** Cancels jobs that have not finished; with `manager`, inside that transaction. */
  async cancel(name: string, ids: string[], manager?: EntityManager): Promise<void> {
    if (ids.length) await this.started().cancel(name, ids, this.via(manager));
  }

  /** Where a dead-letter job came from and why its original failed. */
  async originOf(job: QueueJob<unknown>): Promise<FailedJobOrigin | null> {
    if (!job.sourceName || !job.sourceId) return null;
    const [original] = await this.started().findJobs(job.sourceName, { id: job.sourceId });
    return {
      queue: job.sourceName,
      id: job.sourceId,
      reason: reasonOf(original?.output),
    };
  }

  /** Upserts a cron schedule that sends `data` to queue `name` on each tick (key: one per name). */
  async schedule(
    name: string,
    key: string,
    cron: string,
    timezone: string,
    data: object,
    manager?: EntityManager,
  ): Promise<void> {
    await this.started().schedule(name, cron, data, { key, tz: timezone, ...this.via(manager) });
  }

  async unschedule(name: string, key: string, manager?: EntityManager): Promise<void> {
    await this.started().unschedule(name, key, this.via(manager));
  }

  /**
   * The next times a cron expression fires, computed the way the queue's cron pass reads it;
   * throws (with the library's reason) for an expression or time zone it cannot read.
   */
  nextRuns(cron: string, timezone: string, count = 1): Date[] {
    return this.started().previewSchedule(cron, { tz: timezone, count });
  }

  private via(manager: EntityManager | undefined): { db?: Db } {
    return manager ? { db: queueDbOf(manager) } : {};
  }

  private started(): PgBoss {
    if (!this.boss) throw new Error('the job queue is not running');
    return this.boss;
  }
}

function reasonOf(output: unknown): string | null {
  if (!output || typeof output !== 'object') return null;
  const record = output as { message?: unknown; value?: { message?: unknown } };
  const message = record.message ?? record.value?.message;
  return typeof message === 'string' ? message : null;
}
