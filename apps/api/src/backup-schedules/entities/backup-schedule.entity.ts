import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** An environment's backup schedule settings (the running schedule is a task schedule). */
@Entity('environment_backup_schedules')
export class BackupScheduleEntity {
  @PrimaryColumn('uuid', { name: 'environment_id' })
  environmentId!: string;

  @Column({ type: 'varchar', length: 200 })
  cron!: string;

  @Column({ type: 'integer' })
  keep!: number;

  @Column({ type: 'boolean' })
  enabled!: boolean;

  @Column({ name: 'updated_by', type: 'varchar', length: 255, nullable: true })
  updatedBy!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
