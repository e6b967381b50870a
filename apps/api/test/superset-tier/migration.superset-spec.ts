// The migration plugin's run from real Superset A to real Superset B with a database mapping
// (A's examples database → a database of B's own): the seeded dashboard opened on B through its
// API, its charts and its native filter's targets pointing at B's chart ids. The target database
// is made here, because other tier files import A's bundle into B as it is, and Superset then
// gives B's namesake database A's uuid.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { recordingTaskContext } from '../../src/plugin-api/testing/recording-task-context';
import { runMigration } from '../../src/plugins/migration/migration-run';
import type { InstanceState } from '../../../../scripts/superset/paths';
import type { SupersetClient } from '../../src/superset/client/superset-client';
import { clientFor } from '../superset/client-contract';
import { recordingLogger } from '../superset/recording-logger';
import { instance } from './instances';

describe('migration from Superset A to Superset B', () => {
  const a = instance('a');
  const b = instance('b');

  it('imports the seeded dashboard with its database mapped, filters on B’s charts', async () => {
    const logger = recordingLogger([], 'migration');
    const source = clientFor(a.connection, logger.lines);
    const target = clientFor(b.connection, logger.lines);
    const { context } = recordingTaskContext({ taskId: 'superset-tier', logger: logger });
    const targetDatabase = await mappingTarget(target, b.state);
    const workDir = await mkdtemp(join(tmpdir(), 'taskdeck-migration-tier-'));
    let result;
    try {
      result = await runMigration(
        {
          source,
          target,
          sourceName: 'A',
          targetName: 'B',
          storedMappings: { [a.seed.databaseUuid]: targetDatabase },
          passwords: {},
          workDir,
        },
        { sourceEnvironmentId: 'a', targetEnvironmentId: 'b', dashboardIds: [a.seed.dashboardId] },
        context,
      );
    } finally {
      await rm(workDir, { recursive: true, force: true });
    }
    expect(result).toMatchObject({
      imported: true,
      unmapped: [],
      remapped: { [a.seed.databaseUuid]: targetDatabase },
    });
    expect(logger.lines.filter((l) => l.level === 'ERROR')).toEqual([]);

    const seeded = await source.dashboard(a.seed.dashboardId);
    const onB = (await target.dashboards()).find((d) => d.uuid === seeded.uuid);
    expect(onB).toBeDefined();
    const detail = await target.dashboard(onB!.id);
    const bCharts = new Map((await target.charts()).map((c) => [c.uuid, c.id]));
    const aCharts = new Map(
      await Promise.all(
        a.seed.chartIds.map(async (id) => [id, (await source.chart(id)).uuid] as const),
      ),
    );
    const position = JSON.parse(detail.position_json ?? '{}') as Record<
      string,
      { type?: string; meta?: { chartId?: number; uuid?: string } }
    >;
    const nodes = Object.values(position).filter((n) => n?.type === 'CHART');
    expect(nodes).toHaveLength(a.seed.chartIds.length);
    for (const node of nodes) expect(node.meta?.chartId).toBe(bCharts.get(node.meta?.uuid));

    const metadata = JSON.parse(detail.json_metadata ?? '{}') as {
      native_filter_configuration: { chartsInScope: number[] }[];
    };
    const expected = a.seed.chartIds.slice(0, 2).map((id) => bCharts.get(aCharts.get(id)));
    expect(expected.every((id) => typeof id === 'number')).toBe(true);
    expect(metadata.native_filter_configuration[0].chartsInScope).toEqual(expected);
  });
});

const TARGET_DATABASE = 'examples_pg_migrated';

/** B's database for the mapping (its own examples PostgreSQL under another name); its uuid. */
async function mappingTarget(target: SupersetClient, b: InstanceState): Promise<string> {
  const find = async () =>
    (await target.databases()).find((d) => d.database_name === TARGET_DATABASE);
  const existing = await find();
  if (existing) return existing.uuid;
  const examples = new URL(b.postgresUrl);
  examples.pathname = `/${b.examplesDatabase}`;
  await target.create('database', {
    database_name: TARGET_DATABASE,
    sqlalchemy_uri: examples.toString().replace(/^postgres:/, 'postgresql+psycopg2:'),
  });
  return (await find())!.uuid;
}
