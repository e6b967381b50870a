import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Subscription } from 'rxjs';
import { LoggingConfigService } from './logging-config.service';
import { pinoLevel } from './server-logger';

/** Keeps the server log's level (console and file) equal to the `level` setting, live. */
@Injectable()
export class ServerLogLevelService implements OnModuleInit, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(
    private readonly logging: LoggingConfigService,
    private readonly pino: PinoLogger,
  ) {}

  onModuleInit(): void {
    // nestjs-pino's root logger, taken here, outside any request (inside one, a PinoLogger's
    // logger is that request's): every request's logger is a child of it (the access log makes
    // them), so a new level holds from the next request on.
    const root = this.pino.logger;
    this.applyLevel(root);
    this.subscription = this.logging.changes$.subscribe(() => this.applyLevel(root));
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private applyLevel(root: PinoLogger['logger']): void {
    if (root.level === 'silent') return; // tests
    root.level = pinoLevel(this.logging.config.level);
  }
}
