import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { appConfig, secretsConfig } from '../config';
import { SecretBox } from './secret-box';
import { loadOrCreateSecretsKey } from './secrets-key';

/**
 * Seals and opens secrets stored in the database. Every module that keeps a secret (environments,
 * database connections, git tokens, LLM API keys) stores only what `seal` returns, with a purpose
 * naming its column, and opens it only at the moment of use.
 */
@Injectable()
export class SecretsService {
  private readonly box: SecretBox;

  constructor(
    @Inject(secretsConfig.KEY) secrets: ConfigType<typeof secretsConfig>,
    @Inject(appConfig.KEY) app: ConfigType<typeof appConfig>,
  ) {
    this.box = new SecretBox(loadOrCreateSecretsKey(secrets.key, app.dataDir));
  }

  seal(plaintext: string, purpose: string): string {
    return this.box.seal(plaintext, purpose);
  }

  open(sealed: string, purpose: string): string {
    return this.box.open(sealed, purpose);
  }
}
