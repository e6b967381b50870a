import type { PluginInfo } from '@taskdeck/contracts';
import { beliefState } from './belief-scope';
import { currentTaskContext, runInTaskContext } from './current-task';
import { recordingTaskContext } from './testing/recording-task-context';
import {
  TaskPluginBase,
  TaskPluginDefinition,
  executePlugin,
  taskPluginDefinition,
} from './task-plugin';

const LEGACY: PluginInfo = {
  id: 'legacy',
  name: 'Legacy',
  description: 'Written against execute(params).',
  paramsSchema: { type: 'object' },
};

/** The older signature: no context argument; it finds its task through currentTaskContext(). */
@TaskPluginDefinition(LEGACY)
class LegacyPlugin extends TaskPluginBase<{ n: number }, number> {
  execute(params: { n: number }): Promise<number> {
    currentTaskContext()?.logger.info(`doubling ${params.n}`);
    return Promise.resolve(params.n * 2);
  }
}

class Undeclared extends TaskPluginBase {
  execute(): Promise<unknown> {
    return Promise.resolve(null);
  }
}

describe('TaskPluginDefinition and TaskPluginBase', () => {
  afterEach(() => (beliefState.enabled = true));

  it('give a plugin the id, name, description and schema of its definition', () => {
    const plugin = new LegacyPlugin();
    expect({
      id: plugin.id,
      name: plugin.name,
      description: plugin.description,
      paramsSchema: plugin.paramsSchema,
    }).toEqual(LEGACY);
    expect(taskPluginDefinition(LegacyPlugin)).toEqual(LEGACY);
  });

  it('find no definition on other classes, and say so when a plugin lacks one', () => {
    expect(taskPluginDefinition(Undeclared)).toBeUndefined();
    expect(taskPluginDefinition(undefined)).toBeUndefined();
    expect(() => new Undeclared().id).toThrow('Undeclared has no @TaskPluginDefinition');
  });

  it('run a plugin with the older execute(params) in its task context, inside a belief scope', async () => {
    const { context, lines } = recordingTaskContext();
    const result = await runInTaskContext(context, () =>
      executePlugin(new LegacyPlugin(), { n: 21 }, context),
    );
    expect(result).toBe(42);
    expect(lines.map((l) => `${l.level} ${l.message}`)).toEqual([
      'DEBUG [task legacy] Entry',
      'INFO doubling 21',
      'DEBUG [task legacy] Exit',
      'DEBUG [task legacy] Coherence OK',
    ]);
  });
});
