import { Column, Entity, PrimaryColumn } from 'typeorm';

@Entity('task_schedules')
export class TaskScheduleEntity {
  @PrimaryColumn({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 200 })
  cron!: string;

  @Column({ type: 'varchar', length: 64, default: 'UTC' })
  timezone!: string;

  @Column({ name: 'plugin_id', type: 'varchar', length: 64 })
  pluginId!: string;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  params!: Record<string, unknown>;

  /** The task of the latest run: a tick is skipped while it has not finished. */
  @Column({ name: 'last_task_id', type: 'uuid', nullable: true })
  lastTaskId!: string | null;

  /** The queue job of the latest tick handled: a tick retried after it committed does nothing. */
  @Column({ name: 'last_tick_job_id', type: 'uuid', nullable: true })
  lastTickJobId!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz', default: () => 'now()' })
  createdAt!: Date;

  @Column({ name: 'updated_at', type: 'timestamptz', default: () => 'now()' })
  updatedAt!: Date;
}
