import { Column, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** One stored database mapping of a pair of environments: a source database uuid → a target's. */
@Entity('migration_mappings')
export class MigrationMappingEntity {
  @PrimaryColumn({ name: 'source_environment_id', type: 'uuid' })
  sourceEnvironmentId!: string;

  @PrimaryColumn({ name: 'target_environment_id', type: 'uuid' })
  targetEnvironmentId!: string;

  @PrimaryColumn({ name: 'source_database_uuid', type: 'uuid' })
  sourceDatabaseUuid!: string;

  @Column({ name: 'target_database_uuid', type: 'uuid' })
  targetDatabaseUuid!: string;

  @Column({ name: 'updated_by', type: 'varchar', length: 255, nullable: true })
  updatedBy!: string | null;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
