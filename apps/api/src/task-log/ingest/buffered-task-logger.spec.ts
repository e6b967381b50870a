import { BufferedTaskLogger } from './buffered-task-logger';
import type { LogRecord } from './log-record';
import type { LogRecordSink } from './log-flusher.service';

const TASK = '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f';

class CollectingSink implements LogRecordSink {
  readonly records: LogRecord[] = [];
  append(record: LogRecord): void {
    this.records.push(record);
  }
}

describe('BufferedTaskLogger', () => {
  let sink: CollectingSink;
  let levels: { taskLogLevelRank: number };
  let logger: BufferedTaskLogger;

  beforeEach(() => {
    sink = new CollectingSink();
    levels = { taskLogLevelRank: 1 };
    logger = new BufferedTaskLogger(sink, levels, TASK, 'backup');
  });

  it('records each level with the task, source, message and metadata', () => {
    logger.info('starting', { files: 3 });
    logger.warning('slow disk');
    logger.error('failed', { code: 7 });
    expect(
      sink.records.map((r) => [r.taskId, r.level, r.source, r.message, r.metadataJson]),
    ).toEqual([
      [TASK, 1, 'backup', 'starting', '{"files":3}'],
      [TASK, 2, 'backup', 'slow disk', null],
      [TASK, 3, 'backup', 'failed', '{"code":7}'],
    ]);
  });

  it('drops entries below the configured level and applies a change at once', () => {
    logger.debug('hidden');
    expect(sink.records).toHaveLength(0);
    levels.taskLogLevelRank = 0;
    logger.debug('shown');
    levels.taskLogLevelRank = 3;
    logger.warning('hidden again');
    logger.error('shown too');
    expect(sink.records.map((r) => r.message)).toEqual(['shown', 'shown too']);
  });

  it('withSource gives a cached logger of the same task with a sanitised source', () => {
    const git = logger.withSource('git');
    expect(logger.withSource('git')).toBe(git);
    expect(git.withSource('backup')).toBe(logger);
    git.info('pushed');
    logger.withSource('  ').info('blank source keeps the current one');
    logger.withSource('x'.repeat(500)).info('long source');
    logger.withSource('line\nbreak').info('control characters');
    expect(sink.records.map((r) => [r.taskId, r.source])).toEqual([
      [TASK, 'git'],
      [TASK, 'backup'],
      [TASK, 'x'.repeat(100)],
      [TASK, 'line break'],
    ]);
  });

  it('never throws into the caller', () => {
    const failing: LogRecordSink = {
      append() {
        throw new Error('buffer exploded');
      },
    };
    const fragile = new BufferedTaskLogger(failing, levels, TASK, 'p');
    expect(() => fragile.info('x')).not.toThrow();
    expect(() =>
      logger.info(undefined as unknown as string, 'not an object' as unknown as object),
    ).not.toThrow();
    expect(() => logger.withSource(Symbol('s') as unknown as string).info('y')).not.toThrow();
    expect(sink.records.at(-1)?.message).toBe('y');
  });
});
