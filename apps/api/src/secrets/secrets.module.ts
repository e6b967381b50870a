import { Global, Module } from '@nestjs/common';
import { SecretsService } from './secrets.service';

/** Secrets at rest, for every module (global: any module injects SecretsService). */
@Global()
@Module({ providers: [SecretsService], exports: [SecretsService] })
export class SecretsModule {}
