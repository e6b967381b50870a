import type { MigrationInterface, QueryRunner } from 'typeorm';

// LLM providers (OpenAI-compatible chat completions APIs; the API key sealed, or null). Names are
// unique regardless of case, and at most one provider is the default.
export class LlmProviders1795680000000 implements MigrationInterface {
  name = 'LlmProviders1795680000000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE llm_providers (
        id uuid PRIMARY KEY DEFAULT gen_random_uuid(),
        name varchar(100) NOT NULL,
        base_url varchar(2048) NOT NULL,
        model varchar(255) NOT NULL,
        is_default boolean NOT NULL DEFAULT false,
        api_key_sealed text,
        created_at timestamptz NOT NULL DEFAULT now(),
        updated_at timestamptz NOT NULL DEFAULT now()
      )`);
    await q.query('CREATE UNIQUE INDEX llm_providers_name_key ON llm_providers (lower(name))');
    await q.query(
      'CREATE UNIQUE INDEX llm_providers_one_default ON llm_providers (is_default) WHERE is_default',
    );
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query('DROP TABLE IF EXISTS llm_providers');
  }
}
