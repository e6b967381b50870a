// The backup plugin against real Superset A (issue 12): the seeded dashboard backed up into a
// storage in a temp dir, deleted through Superset's API, restored from the ZIP (overwrite), and
// found again by uuid and title with the same charts. Restoring gives the dashboard a new id, so
// the seed record (seed.json) is pointed at it: the files after this one find the seed as before.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'yaml';
import { recordingTaskContext } from '../../src/plugin-api/testing/recording-task-context';
import { runBackup } from '../../src/plugins/backup/backup-run';
import { readZipFile } from '../../src/plugins/backup/backup-zip';
import { runRestore } from '../../src/plugins/backup/restore-run';
import { StorageService } from '../../src/storage/storage.service';
import type { SupersetClient } from '../../src/superset/client/superset-client';
import { SupersetSession } from '../../src/superset/client/superset-session';
import { seedFile, type SeedResult } from '../../../../scripts/superset/paths';
import { clientFor } from '../superset/client-contract';
import { recordingLogger } from '../superset/recording-logger';
import { instance } from './instances';

/** The uuids of a dashboard's charts, as `GET /api/v1/dashboard/:id/charts` lists them. */
async function chartUuids(client: SupersetClient, dashboardId: number): Promise<string[]> {
  const charts = await client.dashboardCharts(dashboardId);
  const uuids = await Promise.all(
    charts.map(async (c) =>
      typeof c.uuid === 'string' ? c.uuid : (await client.chart(c.id)).uuid,
    ),
  );
  return uuids.map((u) => String(u).toLowerCase()).sort();
}

describe('backup and restore on Superset A', () => {
  const a = instance('a');
  let dir: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskdeck-backup-tier-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('backs up the seeded dashboard, which comes back after a delete with the same charts', async () => {
    const logger = recordingLogger([], 'backup');
    const client = clientFor(a.connection, logger.lines);
    const storage = new StorageService({ root: join(dir, 'storage') });
    await storage.onModuleInit();
    const { context } = recordingTaskContext({ taskId: 'superset-tier', logger: logger });
    const seeded = await client.dashboard(a.seed.dashboardId);
    const charts = await chartUuids(client, seeded.id);
    expect(charts).toHaveLength(a.seed.chartIds.length);

    // Back up.
    const backup = await runBackup(
      { client, storage, environmentName: 'A' },
      { environmentId: 'a', dashboardIds: [seeded.id] },
      context,
    );
    expect(backup).toMatchObject({ dashboards: 1, failed: [] });
    const path = backup.files[0].path;
    expect(path).toMatch(/^backups\/.+\.zip$/);

    // One root folder with metadata.yaml, the dashboard's YAML and its charts' YAML.
    const roots = new Set<string>();
    const files: string[] = [];
    const uuids: Record<string, string[]> = { dashboards: [], charts: [] };
    let metadata: Record<string, unknown> | undefined;
    await readZipFile(
      await storage.resolve(path),
      (entry) => {
        const [root, ...rest] = entry.name.split('/');
        roots.add(root);
        const file = rest.join('/');
        if (!file.endsWith('.yaml')) return;
        files.push(file);
        const doc = parse(Buffer.from(entry.data).toString('utf8')) as Record<string, unknown>;
        if (file === 'metadata.yaml') metadata = doc;
        const kind = file.split('/')[0];
        if (kind in uuids) uuids[kind].push(String(doc.uuid).toLowerCase());
      },
      (name) => !name.endsWith('/'),
    );
    expect(roots.size).toBe(1);
    expect(metadata).toMatchObject({ version: '1.0.0', type: 'Dashboard' });
    expect(uuids.dashboards).toEqual([seeded.uuid.toLowerCase()]);
    expect(uuids.charts.sort()).toEqual(charts);
    expect(files.some((f) => f.startsWith('datasets/'))).toBe(true);
    expect(files.some((f) => f.startsWith('databases/'))).toBe(true);

    // Delete the dashboard through Superset's API.
    const session = new SupersetSession(client.http, a.connection);
    const deleted = await session.send({
      method: 'DELETE',
      path: `/api/v1/dashboard/${seeded.id}`,
    });
    expect(deleted.status).toBe(200);
    expect((await client.dashboards()).find((d) => d.uuid === seeded.uuid)).toBeUndefined();

    // Restore (overwrite) and find it again.
    let restoredId: number | undefined;
    try {
      const restore = await runRestore(
        { client, storage, environmentId: 'a', environmentName: 'A', passwords: {} },
        { path, overwrite: true },
        context,
      );
      expect(restore).toMatchObject({ restored: path, dashboards: 1, overwrite: true });
      const back = (await client.dashboards()).find((d) => d.uuid === seeded.uuid);
      expect(back).toBeDefined();
      restoredId = back!.id;
      expect(back!.dashboard_title).toBe(seeded.dashboard_title);
      expect(await chartUuids(client, back!.id)).toEqual(charts);
      expect(logger.lines.filter((l) => l.level === 'ERROR')).toEqual([]);
    } finally {
      // The other tier files read the seeded dashboard's id from seed.json.
      restoredId ??= (await client.dashboards()).find((d) => d.uuid === seeded.uuid)?.id;
      if (restoredId !== undefined && restoredId !== seeded.id) {
        const record = JSON.parse(await readFile(seedFile('a'), 'utf8')) as SeedResult;
        await writeFile(
          seedFile('a'),
          JSON.stringify({ ...record, dashboardId: restoredId }, null, 2),
        );
      }
    }
  });
});
