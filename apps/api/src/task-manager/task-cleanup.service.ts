// Retention: finished tasks older than TASK_RETENTION_DAYS are deleted with their logs, in small
// batches, on a schedule. PENDING and RUNNING tasks are never touched.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { tasksConfig } from '../config';
import { TaskEventsService } from './task-events.service';
import { errorMessage } from './task-outcome';
import { TaskStore } from './task-store.service';

const BATCH = 50;
const DAY_MS = 86_400_000;

@Injectable()
export class TaskCleanupService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TaskCleanupService.name);
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<number> | null = null;

  constructor(
    private readonly store: TaskStore,
    private readonly events: TaskEventsService,
    @Inject(tasksConfig.KEY) private readonly config: ConfigType<typeof tasksConfig>,
  ) {}

  onApplicationBootstrap(): void {
    this.timer = setInterval(() => void this.runOnce(), this.config.cleanupIntervalMs);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Deletes every expired task now; resolves with how many. One run at a time. */
  runOnce(now = new Date()): Promise<number> {
    this.running ??= this.deleteExpired(now).finally(() => (this.running = null));
    return this.running;
  }

  private async deleteExpired(now: Date): Promise<number> {
    const before = new Date(now.getTime() - this.config.retentionDays * DAY_MS);
    let deleted = 0;
    try {
      for (;;) {
        const ids = await this.store.expired(before, BATCH);
        for (const id of ids) {
          await this.store.delete(id);
          this.events.deleted(id);
          deleted++;
        }
        if (ids.length < BATCH) break;
      }
    } catch (error) {
      this.logger.warn(`retention stopped after ${deleted} task(s): ${errorMessage(error)}`);
    }
    if (deleted) {
      this.logger.log(
        `retention: deleted ${deleted} task(s) finished before ${before.toISOString()}`,
      );
    }
    return deleted;
  }
}
