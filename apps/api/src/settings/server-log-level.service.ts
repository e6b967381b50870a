import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';
import { PinoLogger } from 'nestjs-pino';
import type { Subscription } from 'rxjs';
import { LoggingConfigService } from './logging-config.service';
import { pinoLevel } from './server-logger';

/** Keeps the server log's level (console and file) equal to the `level` setting, live. */
@Injectable()
export class ServerLogLevelService implements OnModuleInit, OnModuleDestroy {
  private subscription?: Subscription;

  constructor(private readonly logging: LoggingConfigService) {}

  onModuleInit(): void {
    this.applyLevel();
    this.subscription = this.logging.changes$.subscribe(() => this.applyLevel());
  }

  onModuleDestroy(): void {
    this.subscription?.unsubscribe();
  }

  private applyLevel(): void {
    const root = PinoLogger.root as PinoLogger['logger'] | undefined;
    if (!root || root.level === 'silent') return; // no pino logger installed, or tests
    root.level = pinoLevel(this.logging.config.level);
  }
}
