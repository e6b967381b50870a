import {
  Column,
  CreateDateColumn,
  Entity,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
} from 'typeorm';

/** An OpenAI-compatible chat completions API. Its API key is sealed, or null without one. */
@Entity('llm_providers')
export class LlmProviderEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'varchar', length: 100 })
  name!: string;

  @Column({ name: 'base_url', type: 'varchar', length: 2048 })
  baseUrl!: string;

  @Column({ type: 'varchar', length: 255 })
  model!: string;

  /** At most one row is the default (a partial unique index). */
  @Column({ name: 'is_default', type: 'boolean', default: false })
  isDefault!: boolean;

  /** `SecretsService.seal(apiKey, LLM_API_KEY)`, or null without a key. */
  @Column({ name: 'api_key_sealed', type: 'text', nullable: true })
  apiKeySealed!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}
