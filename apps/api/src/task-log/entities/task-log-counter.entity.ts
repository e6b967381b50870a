import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { LevelRank } from '../level-rank';
import { bigintToNumber } from './task-log-entry.entity';

/**
 * How many entries a task has per level and source, kept in the transaction that stores them:
 * stats and sources never scan the log, and the sum of a task's counts is its last seq.
 */
@Entity('task_log_counters')
export class TaskLogCounterEntity {
  @PrimaryColumn({ name: 'task_id', type: 'uuid' })
  taskId!: string;

  @PrimaryColumn({ type: 'smallint' })
  level!: LevelRank;

  @PrimaryColumn({ type: 'text' })
  source!: string;

  @Column({ type: 'bigint', transformer: bigintToNumber })
  count!: number;
}
