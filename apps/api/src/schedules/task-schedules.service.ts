// Named schedules that create tasks: the facility other modules call (e.g. a backup schedule per
// Superset environment) to upsert or remove "run plugin P with params X on cron C". The ticks come
// from the job queue's own cron, which sends one job per tick whatever the number of instances
// (ScheduleTicks turns it into a task). A schedule row and its queue schedule are written in one
// transaction.
import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { InjectDataSource, InjectRepository } from '@nestjs/typeorm';
import { SCHEDULE_NAME_PATTERN, type TaskSchedule } from '@taskdeck/contracts';
import { DataSource, Repository } from 'typeorm';
import { PluginRegistry } from '../plugins/plugin-registry.service';
import { JobQueue } from '../queue/job-queue.service';
import { TaskScheduleEntity } from './entities/task-schedule.entity';
import { SCHEDULES_QUEUE, type ScheduleTickData } from './schedule-ticks.service';

export interface ScheduleDefinition {
  /** Five-field cron expression (the queue's cron has one-minute resolution). */
  cron: string;
  /** IANA time zone the expression is read in; default UTC. */
  timezone?: string;
  pluginId: string;
  params?: Record<string, unknown>;
}

@Injectable()
export class TaskSchedules {
  constructor(
    @InjectRepository(TaskScheduleEntity)
    private readonly schedules: Repository<TaskScheduleEntity>,
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly queue: JobQueue,
    private readonly registry: PluginRegistry,
  ) {}

  /**
   * Creates or replaces the schedule `name`. 400 (nothing changed) for a bad name, a cron
   * expression or time zone the queue cannot read, an unknown plugin or params that fail its
   * schema. The params are stored with the schema's defaults applied.
   */
  async upsert(name: string, definition: ScheduleDefinition): Promise<TaskSchedule> {
    assertName(name);
    const timezone = definition.timezone ?? 'UTC';
    this.assertCron(definition.cron, timezone);
    const params = this.registry.validateParams(definition.pluginId, definition.params ?? {});
    await this.dataSource.transaction(async (manager) => {
      await manager.query(
        `INSERT INTO task_schedules (name, cron, timezone, plugin_id, params)
         VALUES ($1, $2, $3, $4, $5)
         ON CONFLICT (name) DO UPDATE SET cron = EXCLUDED.cron, timezone = EXCLUDED.timezone,
           plugin_id = EXCLUDED.plugin_id, params = EXCLUDED.params, updated_at = now()`,
        [name, definition.cron, timezone, definition.pluginId, params],
      );
      await this.queue.schedule(
        SCHEDULES_QUEUE,
        name,
        definition.cron,
        timezone,
        { schedule: name } satisfies ScheduleTickData,
        manager,
      );
    });
    return this.get(name);
  }

  /** Removes the schedule; false when there was none. Tasks it created stay. */
  remove(name: string): Promise<boolean> {
    assertName(name);
    return this.dataSource.transaction(async (manager) => {
      const result = await manager.delete(TaskScheduleEntity, { name });
      await this.queue.unschedule(SCHEDULES_QUEUE, name, manager);
      return Boolean(result.affected);
    });
  }

  /** 404 when there is no schedule of that name. */
  async get(name: string): Promise<TaskSchedule> {
    assertName(name);
    const entity = await this.schedules.findOneBy({ name });
    if (!entity) throw new NotFoundException(`schedule "${name}" not found`);
    return this.toSchedule(entity);
  }

  async list(): Promise<TaskSchedule[]> {
    const entities = await this.schedules.find({ order: { name: 'ASC' } });
    return entities.map((entity) => this.toSchedule(entity));
  }

  private assertCron(cron: string, timezone: string): void {
    if (cron.trim().split(/\s+/).length !== 5) {
      throw new BadRequestException(
        'cron must have five fields (minute hour day-of-month month day-of-week): schedules fire at most once a minute',
      );
    }
    try {
      this.queue.nextRuns(cron, timezone);
    } catch (error) {
      throw new BadRequestException(
        `cron "${cron}" in time zone "${timezone}" cannot be read: ${(error as Error).message}`,
      );
    }
  }

  private toSchedule(entity: TaskScheduleEntity): TaskSchedule {
    let nextRunAt: string | null = null;
    try {
      nextRunAt = this.queue.nextRuns(entity.cron, entity.timezone)[0]?.toISOString() ?? null;
    } catch {
      // A row the queue can no longer read (edited by hand): no next run to show.
    }
    return {
      name: entity.name,
      cron: entity.cron,
      timezone: entity.timezone,
      pluginId: entity.pluginId,
      params: entity.params,
      lastTaskId: entity.lastTaskId,
      nextRunAt,
      createdAt: entity.createdAt.toISOString(),
      updatedAt: entity.updatedAt.toISOString(),
    };
  }
}

function assertName(name: string): void {
  if (!SCHEDULE_NAME_PATTERN.test(name)) {
    throw new BadRequestException(
      'schedule names are 1–100 letters, digits or _ . - characters, starting with a letter or digit',
    );
  }
}
