import type { SupersetProvider } from '@taskdeck/contracts';
import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A Superset installation. Its password is sealed (SecretsService) and never leaves the server. */
@Entity('environments')
export class EnvironmentEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ type: 'varchar', length: 2048 })
  url!: string;

  @Column({ type: 'varchar', length: 255 })
  username!: string;

  /** `SecretsService.seal(password, ENVIRONMENT_PASSWORD)`. */
  @Column({ name: 'password_sealed', type: 'text' })
  passwordSealed!: string;

  @Column({ type: 'varchar', length: 8 })
  provider!: SupersetProvider;

  @Column({ name: 'verify_tls', type: 'boolean' })
  verifyTls!: boolean;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
