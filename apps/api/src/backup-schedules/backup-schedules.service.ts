// Backup schedules per environment: the settings live in environment_backup_schedules, and while a
// schedule is enabled a task schedule `backup.<environment id>` runs the backup plugin on its cron
// (the schedules module: one task per tick whatever the number of instances, a tick skipped with a
// WARNING while the previous run still runs, tasks created by "schedule").
import {
  BadRequestException,
  Injectable,
  Logger,
  NotFoundException,
  type OnModuleDestroy,
  type OnModuleInit,
} from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type {
  BackupSchedule,
  EnvironmentBackupStatus,
  StoredFile,
  TaskSchedule,
} from '@taskdeck/contracts';
import type { Subscription } from 'rxjs';
import { Repository } from 'typeorm';
import { JobQueue } from '../queue/job-queue.service';
import { TaskSchedules } from '../schedules/task-schedules.service';
import { safeName } from '../storage/storage-path';
import { StorageService } from '../storage/storage.service';
import { EnvironmentsService } from '../superset/environments.service';
import type { UpdateBackupScheduleDto } from './dto/update-backup-schedule.dto';
import { BackupScheduleEntity } from './entities/backup-schedule.entity';

export const DEFAULT_KEEP = 7;

export function backupScheduleName(environmentId: string): string {
  return `backup.${environmentId}`;
}

@Injectable()
export class BackupSchedulesService implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger(BackupSchedulesService.name);
  private deletions?: Subscription;

  constructor(
    @InjectRepository(BackupScheduleEntity)
    private readonly rows: Repository<BackupScheduleEntity>,
    private readonly schedules: TaskSchedules,
    private readonly environments: EnvironmentsService,
    private readonly storage: StorageService,
    private readonly queue: JobQueue,
  ) {}

  /** A deleted environment's settings row goes by cascade; its running schedule goes here. */
  onModuleInit(): void {
    this.deletions = this.environments.deleted$.subscribe((environmentId) => {
      this.schedules.remove(backupScheduleName(environmentId)).catch((error: unknown) => {
        this.logger.warn(
          `the backup schedule of deleted environment ${environmentId} was not removed (${String(error)}); the next schedule listing removes it`,
        );
      });
    });
  }

  onModuleDestroy(): void {
    this.deletions?.unsubscribe();
  }

  /** Creates or replaces the schedule of an environment (404 unknown, 400 bad cron). */
  async update(
    environmentId: string,
    body: UpdateBackupScheduleDto,
    by: string,
  ): Promise<BackupSchedule> {
    await this.environments.get(environmentId);
    this.assertCron(body.cron);
    const existing = await this.rows.findOneBy({ environmentId });
    const keep = body.keep ?? existing?.keep ?? DEFAULT_KEEP;
    const enabled = body.enabled ?? true;
    const name = backupScheduleName(environmentId);
    if (enabled) {
      await this.schedules.upsert(name, {
        cron: body.cron,
        timezone: 'UTC',
        pluginId: 'backup',
        params: { environmentId, keep },
      });
    } else {
      await this.schedules.remove(name);
    }
    await this.rows.save(
      this.rows.create({ environmentId, cron: body.cron.trim(), keep, enabled, updatedBy: by }),
    );
    return (await this.status(environmentId)).schedule!;
  }

  /** Removes the schedule; 404 when there was none. */
  async remove(environmentId: string): Promise<void> {
    await this.environments.get(environmentId);
    const result = await this.rows.delete({ environmentId });
    await this.schedules.remove(backupScheduleName(environmentId));
    if (!result.affected) throw new NotFoundException('this environment has no backup schedule');
  }

  /** The schedule (or null) and the newest backup of one environment. */
  async status(environmentId: string): Promise<EnvironmentBackupStatus> {
    const environment = await this.environments.get(environmentId);
    const [row, running] = await Promise.all([
      this.rows.findOneBy({ environmentId }),
      this.runningSchedules(),
    ]);
    return {
      environmentId,
      schedule: row ? this.toSchedule(row, running.get(backupScheduleName(environmentId))) : null,
      lastBackup: await this.lastBackup(environment.name),
    };
  }

  /** Every environment's status, by environment name. */
  async list(): Promise<EnvironmentBackupStatus[]> {
    const [environments, rows, running, backups] = await Promise.all([
      this.environments.list(),
      this.rows.find(),
      this.runningSchedules(),
      this.storage.list({ category: 'backups' }),
    ]);
    const byId = new Map(rows.map((row) => [row.environmentId, row]));
    // A schedule whose environment was deleted (its row went with it) stops here.
    for (const name of running.keys()) {
      const id = name.startsWith('backup.') ? name.slice('backup.'.length) : undefined;
      if (id && !byId.get(id)?.enabled && !environments.some((e) => e.id === id)) {
        await this.schedules.remove(name);
      }
    }
    return environments.map((environment) => {
      const row = byId.get(environment.id);
      const folder = `backups/${safeName(environment.name)}/`;
      return {
        environmentId: environment.id,
        schedule: row
          ? this.toSchedule(row, running.get(backupScheduleName(environment.id)))
          : null,
        lastBackup: backups.find((f) => isBackupIn(f, folder)) ?? null,
      };
    });
  }

  private async lastBackup(environmentName: string): Promise<StoredFile | null> {
    const folder = `backups/${safeName(environmentName)}/`;
    const files = await this.storage.list({ category: 'backups', prefix: folder });
    return files.find((f) => isBackupIn(f, folder)) ?? null;
  }

  private async runningSchedules(): Promise<Map<string, TaskSchedule>> {
    return new Map((await this.schedules.list()).map((s) => [s.name, s]));
  }

  private toSchedule(row: BackupScheduleEntity, running?: TaskSchedule): BackupSchedule {
    return {
      environmentId: row.environmentId,
      cron: row.cron,
      keep: row.keep,
      enabled: row.enabled,
      nextRunAt: row.enabled ? (running?.nextRunAt ?? null) : null,
      lastTaskId: running?.lastTaskId ?? null,
      updatedAt: row.updatedAt.toISOString(),
    };
  }

  private assertCron(cron: string): void {
    if (cron.trim().split(/\s+/).length !== 5) {
      throw new BadRequestException(
        'cron must have five fields (minute hour day-of-month month day-of-week)',
      );
    }
    try {
      this.queue.nextRuns(cron.trim(), 'UTC');
    } catch (error) {
      throw new BadRequestException(`cron "${cron}" cannot be read: ${(error as Error).message}`);
    }
  }
}

function isBackupIn(file: StoredFile, folder: string): boolean {
  return (
    file.path.startsWith(folder) &&
    file.name.endsWith('.zip') &&
    !file.path.slice(folder.length).includes('/')
  );
}
