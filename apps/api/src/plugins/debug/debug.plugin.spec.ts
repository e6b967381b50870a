import { LOG_LEVELS } from '@taskdeck/contracts';
import type { DataSource } from 'typeorm';
import type { LoggingConfigService } from '../../settings/logging-config.service';
import type { SupersetClients } from '../../superset/superset-clients.service';
import type { TaskContext, TaskLogger } from '../../plugin-api';
import { DebugPlugin } from './debug.plugin';

interface Line {
  level: string;
  source: string;
  message: string;
  metadata?: object;
}

function fakeContext(controller = new AbortController()): {
  context: TaskContext;
  lines: Line[];
  progress: number[];
  yields: number[];
} {
  const yields: number[] = [];
  const lines: Line[] = [];
  const progress: number[] = [];
  const logger = (source: string): TaskLogger => ({
    debug: (message, metadata) => lines.push({ level: 'DEBUG', source, message, metadata }),
    info: (message, metadata) => lines.push({ level: 'INFO', source, message, metadata }),
    warning: (message, metadata) => lines.push({ level: 'WARNING', source, message, metadata }),
    error: (message, metadata) => lines.push({ level: 'ERROR', source, message, metadata }),
    withSource: (next) => logger(next),
  });
  const context: TaskContext = {
    taskId: 't',
    params: {},
    logger: logger('debug'),
    signal: controller.signal,
    progress: (p) => progress.push(p),
    yield: () => {
      yields.push(lines.length);
      return controller.signal.aborted
        ? Promise.reject(new Error('cancelled by yield'))
        : Promise.resolve();
    },
  };
  return { context, lines, progress, yields };
}

const plugin = new DebugPlugin(
  {
    query: () =>
      Promise.resolve([
        { version: 'PostgreSQL 18', size: '8 MB', connections: '3', tasks: '2', entries: '10' },
      ]),
  } as unknown as DataSource,
  {
    config: { level: 'INFO', taskLogLevel: 'INFO', enableBeliefState: false },
  } as LoggingConfigService,
  {} as SupersetClients,
);

describe('DebugPlugin', () => {
  it('emit: entry i has source sources[i % n], level LEVELS[i % 4], #i in its message; progress to 100', async () => {
    const { context, lines, progress } = fakeContext();
    const result = await plugin.execute(
      { action: 'emit', count: 10, sources: ['a', 'b', 'c'], payloadBytes: 60 },
      context,
    );
    expect(result).toEqual({ emitted: 10 });
    const emitted = lines.filter((l) => /#\d+/.test(l.message));
    expect(emitted).toHaveLength(10);
    emitted.forEach((line, i) => {
      expect(line.source).toBe(['a', 'b', 'c'][i % 3]);
      expect(line.level).toBe(LOG_LEVELS[i % 4]);
      expect(line.message).toContain(`#${i} `);
      expect(line.message.length).toBe(60);
    });
    expect(progress[progress.length - 1]).toBe(100);
  });

  it('emit awaits context.yield() after each entry, unless yield is false', async () => {
    const cooperative = fakeContext();
    await plugin.execute({ action: 'emit', count: 5 }, cooperative.context);
    expect(cooperative.yields).toHaveLength(5);
    const ignoring = fakeContext();
    await plugin.execute({ action: 'emit', count: 5, yield: false }, ignoring.context);
    expect(ignoring.yields).toHaveLength(0);
  });

  it('emit ends with the cancellation error yield throws', async () => {
    const controller = new AbortController();
    const { context, lines } = fakeContext(controller);
    const yielding = context.yield.bind(context);
    let calls = 0;
    context.yield = () => {
      if (++calls === 3) controller.abort(new Error('cancelled'));
      return yielding();
    };
    await expect(plugin.execute({ action: 'emit', count: 1000 }, context)).rejects.toThrow(
      'cancelled by yield',
    );
    expect(lines.filter((l) => /#\d+/.test(l.message))).toHaveLength(3);
  });

  it('emit stops when the task is cancelled', async () => {
    const controller = new AbortController();
    const { context, lines } = fakeContext(controller);
    const run = plugin.execute({ action: 'emit', count: 1_000_000, intervalMs: 1 }, context);
    setTimeout(() => controller.abort(new Error('cancelled by test')), 30);
    await expect(run).rejects.toThrow();
    expect(lines.length).toBeLessThan(1000);
  });

  it('sleep waits, logs, and stops early when cancelled', async () => {
    const controller = new AbortController();
    const { context } = fakeContext(controller);
    const started = Date.now();
    const run = plugin.execute({ action: 'sleep', ms: 60_000 }, context);
    setTimeout(() => controller.abort(), 50);
    await expect(run).rejects.toThrow();
    expect(Date.now() - started).toBeLessThan(2000);
  });

  it('fail logs the message at ERROR and rejects with it', async () => {
    const { context, lines } = fakeContext();
    await expect(
      plugin.execute({ action: 'fail', message: 'on purpose' }, context),
    ).rejects.toThrow('on purpose');
    expect(lines).toContainEqual(
      expect.objectContaining({ level: 'ERROR', message: 'on purpose' }),
    );
  });

  it('system logs runtime facts under system and database facts under postgres', async () => {
    const { context, lines } = fakeContext();
    await plugin.execute({ action: 'system' }, context);
    expect(lines.some((l) => l.source === 'system' && l.message.startsWith('runtime: Node'))).toBe(
      true,
    );
    expect(lines.some((l) => l.source === 'postgres' && l.message.includes('PostgreSQL 18'))).toBe(
      true,
    );
  });
});

describe('DebugPlugin paced emit', () => {
  it('paces entries at ratePerSecond', async () => {
    const { context, lines } = fakeContext();
    const started = Date.now();
    await plugin.execute({ action: 'emit', count: 200, ratePerSecond: 1000 }, context);
    const elapsed = Date.now() - started;
    expect(lines.filter((l) => /#\d+/.test(l.message))).toHaveLength(200);
    expect(elapsed).toBeGreaterThanOrEqual(180);
  });
});
