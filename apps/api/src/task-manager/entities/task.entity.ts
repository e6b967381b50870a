import type { TaskStatus } from '@taskdeck/contracts';
import { Column, Entity, PrimaryGeneratedColumn } from 'typeorm';

@Entity('tasks')
export class TaskEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ name: 'plugin_id', type: 'varchar', length: 64 })
  pluginId!: string;

  @Column({ type: 'jsonb', default: () => `'{}'::jsonb` })
  params!: Record<string, unknown>;

  @Column({ type: 'varchar', length: 16 })
  status!: TaskStatus;

  @Column({ type: 'smallint', nullable: true })
  progress!: number | null;

  @Column({ type: 'jsonb', nullable: true })
  result!: unknown;

  @Column({ type: 'text', nullable: true })
  error!: string | null;

  @Column({ name: 'created_by', type: 'varchar', length: 64, nullable: true })
  createdBy!: string | null;

  /** The instance that runs the task; null while a retryable task waits for its next attempt. */
  @Column({ name: 'owner_instance', type: 'varchar', length: 128, nullable: true })
  ownerInstance!: string | null;

  @Column({ name: 'cancel_requested', type: 'boolean', default: false })
  cancelRequested!: boolean;

  /** The queue job that runs the task, written in the same transaction as the task. */
  @Column({ name: 'job_id', type: 'uuid', nullable: true })
  jobId!: string | null;

  /** Set by the manager with millisecond precision, so that list cursors compare exactly. */
  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'started_at', type: 'timestamptz', nullable: true })
  startedAt!: Date | null;

  @Column({ name: 'finished_at', type: 'timestamptz', nullable: true })
  finishedAt!: Date | null;
}
