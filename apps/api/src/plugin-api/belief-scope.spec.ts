import { BeliefScope, beliefScope, beliefState } from './belief-scope';
import { runInTaskContext } from './current-task';
import { recordingTaskContext as recordingContext } from './testing/recording-task-context';

describe('belief scope', () => {
  afterEach(() => (beliefState.enabled = true));

  it('logs Entry, Exit with the duration and Coherence OK into the running task, keeping the result', async () => {
    const { context, lines } = recordingContext();
    const result = await runInTaskContext(context, () => beliefScope('step', async () => 42));
    expect(result).toBe(42);
    expect(lines.map((l) => l.message)).toEqual([
      '[step] Entry',
      '[step] Exit',
      '[step] Coherence OK',
    ]);
    expect(lines[1].metadata).toEqual({ durationMs: expect.any(Number) });
  });

  it('logs Coherence failed with the error and rethrows it (sync and async)', async () => {
    const { context, lines } = recordingContext();
    await expect(
      runInTaskContext(context, () =>
        beliefScope('async', () => Promise.reject(new Error('nope'))),
      ),
    ).rejects.toThrow('nope');
    expect(() =>
      runInTaskContext(context, () =>
        beliefScope('sync', () => {
          throw new TypeError('bad');
        }),
      ),
    ).toThrow('bad');
    expect(lines.map((l) => l.message)).toEqual([
      '[async] Entry',
      '[async] Exit',
      '[async] Coherence failed: Error: nope',
      '[sync] Entry',
      '[sync] Exit',
      '[sync] Coherence failed: TypeError: bad',
    ]);
  });

  it('keeps a sync function sync', () => {
    const { context } = recordingContext();
    expect(runInTaskContext(context, () => beliefScope('sync', () => 'value'))).toBe('value');
  });

  it('traces decorated methods under Class.method, with `this` intact', async () => {
    class Exporter {
      factor = 3;
      @BeliefScope()
      async triple(n: number): Promise<number> {
        return n * this.factor;
      }
    }
    const { context, lines } = recordingContext();
    expect(await runInTaskContext(context, () => new Exporter().triple(2))).toBe(6);
    expect(lines[0].message).toBe('[Exporter.triple] Entry');
  });

  it('does nothing but run the function when switched off', async () => {
    beliefState.enabled = false;
    const { context, lines } = recordingContext();
    expect(await runInTaskContext(context, () => beliefScope('quiet', async () => 'x'))).toBe('x');
    expect(lines).toEqual([]);
  });

  it('runs outside a task too (server log)', () => {
    expect(beliefScope('outside', () => 1)).toBe(1);
  });
});
