import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** A git repository Taskdeck keeps dashboards in; its work tree is `repositories/<name>`. */
@Entity('git_repositories')
export class GitRepositoryEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  /** Empty for a local-only repository. Never holds credentials (refused on input). */
  @Column({ name: 'remote_url', type: 'varchar', length: 2048, default: '' })
  remoteUrl!: string;

  @Column({ type: 'varchar', length: 255, default: 'main' })
  branch!: string;

  @Column({ name: 'author_name', type: 'varchar', length: 255 })
  authorName!: string;

  @Column({ name: 'author_email', type: 'varchar', length: 255 })
  authorEmail!: string;

  /** `SecretsService.seal(token, GIT_TOKEN)`, or null without a token. */
  @Column({ name: 'token_sealed', type: 'text', nullable: true })
  tokenSealed!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
