// After a (re)start: tasks this instance left RUNNING become FAILED, PENDING ones are queued again.
// While running: a heartbeat, so that other instances can tell when this one died, and a sweep
// that fails the tasks of instances whose heartbeat stopped.
import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnModuleDestroy,
} from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { tasksConfig } from '../config';
import { TaskLogWriter } from '../task-log/ingest/task-log-writer.service';
import type { TaskEntity } from './entities/task.entity';
import { TaskEventsService } from './task-events.service';
import { TaskManager } from './task-manager.service';
import { RESTART_ERROR, errorMessage } from './task-outcome';
import { TaskStore } from './task-store.service';
import { toTask } from './task-mapper';

export const HEARTBEAT_MS = 10_000;
/** An instance that missed this many heartbeats is considered dead (more than 3 intervals). */
export const STALE_AFTER_MS = HEARTBEAT_MS * 3 + HEARTBEAT_MS / 2;

@Injectable()
export class TaskRecoveryService implements OnApplicationBootstrap, OnModuleDestroy {
  private readonly logger = new Logger(TaskRecoveryService.name);
  private timer: NodeJS.Timeout | null = null;
  /**
   * Since when this instance's heartbeats have succeeded without a gap. Others are judged dead
   * only after a whole stale window of it: after a database outage every instance's heartbeat is
   * old, and each deserves a window to renew it before its tasks are declared orphans.
   */
  private healthySince: number | null = null;
  private ticking = false;

  constructor(
    private readonly store: TaskStore,
    private readonly manager: TaskManager,
    private readonly taskLog: TaskLogWriter,
    private readonly events: TaskEventsService,
    @Inject(tasksConfig.KEY) private readonly config: ConfigType<typeof tasksConfig>,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    await this.store.heartbeat(this.config.instanceId);
    this.healthySince = Date.now();
    // Nothing runs here yet: every task still RUNNING under this instance's name is an orphan.
    await this.reportOrphans(
      await this.store.failOwnOrphans(this.config.instanceId, RESTART_ERROR),
    );
    const pending = await this.store.pendingIds();
    if (pending.length) this.logger.log(`queueing ${pending.length} pending task(s) again`);
    for (const id of pending) this.manager.enqueue(id);
    this.timer = setInterval(() => void this.tick(), HEARTBEAT_MS);
    this.timer.unref();
  }

  onModuleDestroy(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One heartbeat: renew this instance's row, apply missed cancels, fail dead instances' tasks. */
  async tick(now = Date.now()): Promise<void> {
    if (this.ticking) return; // the previous one still waits on the database
    this.ticking = true;
    try {
      await this.store.heartbeat(this.config.instanceId);
      this.healthySince ??= now;
      // A cancel broadcast this instance missed (e.g. while its bus reconnected).
      for (const id of await this.store.cancelRequested(this.manager.runningIds())) {
        this.manager.abortLocal(id, 'cancelled');
      }
      if (now - this.healthySince >= STALE_AFTER_MS) {
        const orphans = await this.store.failStaleOrphans(
          this.config.instanceId,
          STALE_AFTER_MS,
          RESTART_ERROR,
        );
        await this.reportOrphans(orphans);
      }
    } catch (error) {
      this.healthySince = null;
      this.logger.warn(`heartbeat failed: ${errorMessage(error)}`);
    } finally {
      this.ticking = false;
    }
  }

  private async reportOrphans(orphans: TaskEntity[]): Promise<void> {
    for (const task of orphans) {
      this.logger.warn(`task ${task.id} (${task.pluginId}) was interrupted: marked FAILED`);
      await this.taskLog.openTask(task.id);
      this.taskLog
        .createLogger(task.id, task.pluginId)
        .error(
          `${RESTART_ERROR}: the task was running on ${task.ownerInstance ?? 'an unknown instance'}`,
        );
      await this.taskLog.closeTask(task.id);
      this.events.changed(toTask(task));
    }
  }
}
