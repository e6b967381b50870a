// The debug plugin (docs/api.md "The debug plugin"): for checking a deployment, demos and load tests.
import { setImmediate as yieldToEventLoop, setTimeout as sleep } from 'node:timers/promises';
import { cpus, totalmem } from 'node:os';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import {
  TaskPluginBase,
  TaskPluginDefinition,
  beliefScope,
  type TaskContext,
  type TaskLogger,
} from '../../plugin-api';
import { LoggingConfigService } from '../../settings/logging-config.service';
import { SupersetClients } from '../../superset/superset-clients.service';
import { DEBUG_PARAMS_SCHEMA, type DebugParams } from './debug-params';
import { compareDatabases, showDataset } from './debug-superset';

const LEVEL_METHODS = ['debug', 'info', 'warning', 'error'] as const;
/** emit yields to the event loop this often, so the flusher and the HTTP server keep running. */
const EMIT_YIELD_EVERY = 1000;
const MiB = 1024 * 1024;

@TaskPluginDefinition({
  id: 'debug',
  name: 'Debug',
  description:
    'Checks a deployment: writes log entries, sleeps, fails on purpose, or reports system facts.',
  paramsSchema: DEBUG_PARAMS_SCHEMA,
})
export class DebugPlugin extends TaskPluginBase<DebugParams, unknown> {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly logging: LoggingConfigService,
    private readonly superset: SupersetClients,
  ) {
    super();
  }

  execute(params: DebugParams, context: TaskContext): Promise<unknown> {
    switch (params.action) {
      case 'emit':
        return beliefScope('debug.emit', () => this.emit(params, context));
      case 'sleep':
        return beliefScope('debug.sleep', () => this.sleep(params.ms ?? 0, context));
      case 'fail':
        return beliefScope('debug.fail', () =>
          this.fail(params.message ?? 'debug failure', context),
        );
      case 'system':
        return beliefScope('debug.system', () => this.system(context));
      case 'compare-databases':
        return beliefScope('debug.compare-databases', () =>
          compareDatabases(this.superset, params, context),
        );
      case 'dataset':
        return beliefScope('debug.dataset', () => showDataset(this.superset, params, context));
    }
  }

  private async emit(params: DebugParams, context: TaskContext): Promise<{ emitted: number }> {
    const count = params.count ?? 1;
    const sources = params.sources?.length ? params.sources : ['debug'];
    const loggers: TaskLogger[] = sources.map((source) => context.logger.withSource(source));
    const intervalMs = params.intervalMs ?? 0;
    const progressEvery = Math.max(1, Math.floor(count / 100));
    const started = performance.now();
    const msPerEntry = params.ratePerSecond ? 1000 / params.ratePerSecond : 0;
    const cooperative = params.yield ?? true;
    context.progress(0);
    for (let i = 0; i < count; i++) {
      if (context.signal.aborted) throw abortError(context.signal);
      const base = `debug entry #${i} of ${count}`;
      const message = padTo(base, params.payloadBytes ?? 80);
      loggers[i % loggers.length][LEVEL_METHODS[i % 4]](message, { i });
      if ((i + 1) % progressEvery === 0) context.progress(Math.floor(((i + 1) * 100) / count));
      // Backpressure: no faster than the log is stored (throws once the task is cancelled).
      if (cooperative) await context.yield();
      if (intervalMs > 0) {
        await sleep(intervalMs, undefined, { signal: context.signal });
      } else if (msPerEntry > 0) {
        // Paced: wait whenever the next entry is due at least a millisecond from now.
        const ahead = started + (i + 1) * msPerEntry - performance.now();
        if (ahead >= 1) await sleep(ahead, undefined, { signal: context.signal });
        else if ((i + 1) % EMIT_YIELD_EVERY === 0) await yieldToEventLoop();
      } else if ((i + 1) % EMIT_YIELD_EVERY === 0) {
        await yieldToEventLoop();
      }
    }
    context.progress(100);
    return { emitted: count };
  }

  private async sleep(ms: number, context: TaskContext): Promise<{ sleptMs: number }> {
    const started = Date.now();
    context.logger.info(`sleeping for ${ms} ms`);
    for (;;) {
      const elapsed = Date.now() - started;
      if (elapsed >= ms) break;
      await sleep(Math.min(1000, ms - elapsed), undefined, { signal: context.signal });
      const now = Date.now() - started;
      context.progress(ms === 0 ? 100 : Math.min(100, Math.floor((now * 100) / ms)));
      if (now < ms) context.logger.info(`still sleeping: ${Math.ceil((ms - now) / 1000)} s left`);
    }
    context.logger.info(`slept ${ms} ms`);
    return { sleptMs: ms };
  }

  private fail(message: string, context: TaskContext): Promise<never> {
    context.logger.error(message);
    return Promise.reject(new Error(message));
  }

  private async system(context: TaskContext): Promise<Record<string, unknown>> {
    const system = context.logger.withSource('system');
    const memory = process.memoryUsage();
    const runtime = {
      node: process.version,
      platform: `${process.platform} ${process.arch}`,
      pid: process.pid,
      uptimeSeconds: Math.round(process.uptime()),
      cpus: cpus().length,
      totalMemoryMiB: Math.round(totalmem() / MiB),
    };
    system.info(
      `runtime: Node ${runtime.node} on ${runtime.platform}, ${runtime.cpus} CPUs`,
      runtime,
    );
    const mem = {
      rssMiB: Math.round(memory.rss / MiB),
      heapUsedMiB: Math.round(memory.heapUsed / MiB),
      heapTotalMiB: Math.round(memory.heapTotal / MiB),
      externalMiB: Math.round(memory.external / MiB),
    };
    system.info(
      `memory: rss ${mem.rssMiB} MiB, heap ${mem.heapUsedMiB}/${mem.heapTotalMiB} MiB`,
      mem,
    );
    const settings = this.logging.config;
    system.info(`logging settings: ${JSON.stringify(settings)}`, settings);

    const postgres = context.logger.withSource('postgres');
    const [facts] = await this.dataSource.query<
      { version: string; size: string; connections: string; tasks: string; entries: string }[]
    >(
      `SELECT version() AS version,
              pg_size_pretty(pg_database_size(current_database())) AS size,
              (SELECT count(*) FROM pg_stat_activity WHERE datname = current_database()) AS connections,
              (SELECT count(*) FROM tasks) AS tasks,
              (SELECT coalesce(sum(count), 0) FROM task_log_counters) AS entries`,
    );
    const database = {
      version: facts.version,
      size: facts.size,
      connections: Number(facts.connections),
      tasks: Number(facts.tasks),
      logEntries: Number(facts.entries),
    };
    postgres.info(`database: ${database.version.split(',')[0]}, ${database.size}`, database);
    postgres.info(
      `${database.connections} connections, ${database.tasks} tasks, ${database.logEntries} log entries`,
    );
    return { runtime, memory: mem, settings, database };
  }
}

function padTo(text: string, bytes: number): string {
  return text.length >= bytes ? text : `${text} ${'x'.repeat(bytes - text.length - 1)}`;
}

function abortError(signal: AbortSignal): Error {
  return signal.reason instanceof Error ? signal.reason : new DOMException('aborted', 'AbortError');
}
