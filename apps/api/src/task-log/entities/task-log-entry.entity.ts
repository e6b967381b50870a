import { Column, Entity, Index, PrimaryColumn, type ValueTransformer } from 'typeorm';
import type { LevelRank } from '../level-rank';

/** bigint ↔ number: seq stays far below 2^53. */
export const bigintToNumber: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};

/**
 * One entry of a task's log (migration 1795590000000-Initial). No foreign key to tasks on purpose:
 * a check per row would cost the log path dearly; the task manager deletes a task's entries and
 * counters in the transaction that deletes the task. Rows are written by COPY (LogFlusher).
 */
@Entity('task_log_entries')
@Index('task_log_entries_source_idx', ['taskId', 'source', 'seq'])
@Index('task_log_entries_warning_idx', ['taskId', 'seq'], { where: 'level >= 2' })
// gin (message gin_trgm_ops): not expressible here, so TypeORM leaves it alone.
@Index('task_log_entries_message_trgm_idx', { synchronize: false })
export class TaskLogEntryEntity {
  @PrimaryColumn({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  /** 1, 2, 3… per task. */
  @PrimaryColumn({ type: 'bigint', transformer: bigintToNumber })
  seq!: number;

  @Column({ type: 'timestamptz' })
  ts!: Date;

  /** 0 DEBUG, 1 INFO, 2 WARNING, 3 ERROR. */
  @Column({ type: 'smallint' })
  level!: LevelRank;

  @Column({ type: 'text' })
  source!: string;

  @Column({ type: 'text' })
  message!: string;

  @Column({ type: 'jsonb', nullable: true })
  metadata!: Record<string, unknown> | null;
}
