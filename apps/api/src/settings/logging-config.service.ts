import { Injectable, Logger, type OnModuleInit } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import {
  DEFAULT_LOGGING_CONFIG,
  isLogLevel,
  levelRank,
  type LoggingConfig,
  type UpdateLoggingConfigRequest,
} from '@taskdeck/contracts';
import { Subject, type Observable } from 'rxjs';
import { DataSource } from 'typeorm';
import { ClusterBus } from '../cluster/cluster-bus.service';
import { beliefState } from '../plugin-api/belief-scope';

export const LOGGING_SETTINGS_KEY = 'logging';
export const LOGGING_CHANGED_MESSAGE = 'settings.logging';

/**
 * The logging configuration in force on this instance: loaded from the settings table at start,
 * changed at runtime. Hot paths read the plain fields (`taskLogLevelRank`, `beliefStateEnabled`).
 */
@Injectable()
export class LoggingConfigService implements OnModuleInit {
  private readonly logger = new Logger(LoggingConfigService.name);
  private readonly changes = new Subject<LoggingConfig>();
  private current: LoggingConfig = { ...DEFAULT_LOGGING_CONFIG };

  /** Rank of `taskLogLevel`, read on every task log call. */
  taskLogLevelRank = levelRank(DEFAULT_LOGGING_CONFIG.taskLogLevel);
  /** Whether belief-scope tracing is on, read on every scope. */
  beliefStateEnabled = DEFAULT_LOGGING_CONFIG.enableBeliefState;

  /** Emits the new configuration each time it changes on this instance. */
  readonly changes$: Observable<LoggingConfig> = this.changes.asObservable();

  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly cluster: ClusterBus,
  ) {}

  async onModuleInit(): Promise<void> {
    await this.reload();
    this.cluster.on<LoggingConfig>(LOGGING_CHANGED_MESSAGE).subscribe((message) => {
      if (message.from === this.cluster.instanceId) return;
      this.reload().catch((error: Error) => {
        this.logger.warn(`could not reload the logging settings: ${error.message}`);
        this.apply(LoggingConfigService.fromStored(message.data));
      });
    });
  }

  get config(): LoggingConfig {
    return { ...this.current };
  }

  /** Reads the stored configuration (defaults for what is missing) and applies it. */
  async reload(): Promise<LoggingConfig> {
    const rows: { value: unknown }[] = await this.dataSource.query(
      'SELECT value FROM settings WHERE key = $1',
      [LOGGING_SETTINGS_KEY],
    );
    this.apply(LoggingConfigService.fromStored(rows[0]?.value));
    return this.config;
  }

  /**
   * Stores a change (with an audit row, in one transaction), applies it here at once, and tells
   * the other instances so they apply it too.
   */
  async update(patch: UpdateLoggingConfigRequest, changedBy: string): Promise<LoggingConfig> {
    const { before, after } = await this.dataSource.transaction(async (manager) => {
      // Lock the row so that two concurrent PATCHes each see the other's result.
      await manager.query(
        `INSERT INTO settings (key, value) VALUES ($1, '{}'::jsonb) ON CONFLICT (key) DO NOTHING`,
        [LOGGING_SETTINGS_KEY],
      );
      const rows: { value: unknown }[] = await manager.query(
        'SELECT value FROM settings WHERE key = $1 FOR UPDATE',
        [LOGGING_SETTINGS_KEY],
      );
      const previous = LoggingConfigService.fromStored(rows[0]?.value);
      const next: LoggingConfig = { ...previous, ...definedFields(patch) };
      await manager.query(
        'UPDATE settings SET value = $2, updated_at = now(), updated_by = $3 WHERE key = $1',
        [LOGGING_SETTINGS_KEY, JSON.stringify(next), changedBy],
      );
      await manager.query(
        'INSERT INTO settings_audit (key, old_value, new_value, changed_by) VALUES ($1, $2, $3, $4)',
        [LOGGING_SETTINGS_KEY, JSON.stringify(previous), JSON.stringify(next), changedBy],
      );
      return { before: previous, after: next };
    });
    const changes = (Object.keys(after) as (keyof LoggingConfig)[])
      .filter((key) => after[key] !== before[key])
      .map((key) => `${key} ${String(before[key])} → ${String(after[key])}`);
    this.logger.log(
      `audit: ${changedBy} changed the logging settings: ${changes.length ? changes.join(', ') : 'no change'}`,
    );
    this.apply(after);
    // Every other instance applies it at once (and re-reads the stored row, the source of truth).
    await this.cluster.publish(LOGGING_CHANGED_MESSAGE, after).catch((error: Error) => {
      this.logger.warn(`could not tell the other instances about the change: ${error.message}`);
    });
    return this.config;
  }

  /** Applies a configuration in memory (after it was stored, or announced by another instance). */
  apply(next: LoggingConfig): void {
    const changed = JSON.stringify(next) !== JSON.stringify(this.current);
    this.current = { ...next };
    this.taskLogLevelRank = levelRank(next.taskLogLevel);
    this.beliefStateEnabled = next.enableBeliefState;
    beliefState.enabled = next.enableBeliefState;
    if (changed) {
      this.logger.log(`logging configuration in force: ${JSON.stringify(next)}`);
      this.changes.next(this.config);
    }
  }

  /** Stored JSON → a complete, valid configuration; unknown or invalid fields fall back to defaults. */
  static fromStored(value: unknown): LoggingConfig {
    const stored = (value && typeof value === 'object' ? value : {}) as Record<string, unknown>;
    return {
      level: isLogLevel(stored.level) ? stored.level : DEFAULT_LOGGING_CONFIG.level,
      taskLogLevel: isLogLevel(stored.taskLogLevel)
        ? stored.taskLogLevel
        : DEFAULT_LOGGING_CONFIG.taskLogLevel,
      enableBeliefState:
        typeof stored.enableBeliefState === 'boolean'
          ? stored.enableBeliefState
          : DEFAULT_LOGGING_CONFIG.enableBeliefState,
    };
  }
}

function definedFields(patch: UpdateLoggingConfigRequest): Partial<LoggingConfig> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined));
}
