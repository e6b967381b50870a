// A dashboard carried from one Superset to another through export and import (what migration
// does): written once, run on two fakes and on the real instances A and B.
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, unzipSync } from 'fflate';
import { parse } from 'yaml';
import type { SupersetConnection } from '../../src/superset/client/superset-client';
import { SupersetError } from '../../src/superset/client/superset-errors';
import { clientFor } from './client-contract';

export interface TransferTarget {
  source: SupersetConnection;
  target: SupersetConnection;
  /** A dashboard of the source with charts, and the password of its database. */
  dashboardId: number;
  databasePassword: string;
}

export function supersetTransferContract(given: () => TransferTarget): void {
  it('carries a dashboard to another Superset: a new database needs its password, then the charts follow', async () => {
    const t = given();
    const source = clientFor(t.source);
    const target = clientFor(t.target);
    const file = join(await mkdtemp(join(tmpdir(), 'taskdeck-transfer-')), 'export.zip');
    await source.exportDashboards([t.dashboardId], file);
    const entries = unzipSync(new Uint8Array(await readFile(file)));
    const names = Object.keys(entries).filter((n) => n.endsWith('.yaml'));
    const inBundle = (folder: string) => names.filter((n) => n.split('/')[1] === folder);
    const dashboard = parse(strFromU8(entries[inBundle('dashboards')[0]])) as { uuid: string };
    const databaseFiles = inBundle('databases').map((n) => n.split('/').slice(1).join('/'));
    const databaseUuids = inBundle('databases').map(
      (n) => (parse(strFromU8(entries[n])) as { uuid: string }).uuid,
    );
    expect(databaseFiles.length).toBeGreaterThan(0);
    const known = new Set((await target.databases()).map((d) => d.uuid));
    const newOnTarget = databaseUuids.some((uuid) => !known.has(uuid));

    if (newOnTarget) {
      const refused = await target
        .importDashboards(file, { overwrite: true })
        .catch((e: unknown) => e);
      expect(refused).toBeInstanceOf(SupersetError);
      expect((refused as SupersetError).status).toBe(422);
      expect((refused as Error).message).toMatch(/Must provide a password for the database/);
    }
    const passwords = Object.fromEntries(databaseFiles.map((f) => [f, t.databasePassword]));
    await target.importDashboards(file, { overwrite: true, passwords });

    const imported = (await target.dashboards()).find((d) => d.uuid === dashboard.uuid);
    expect(imported).toBeDefined();
    const detail = await target.dashboard(imported!.id);
    const position = JSON.parse(detail.position_json ?? '{}') as Record<
      string,
      { type?: string; meta?: { chartId?: number; uuid?: string } }
    >;
    const chartsInLayout = Object.values(position).filter((n) => n?.type === 'CHART');
    expect(chartsInLayout.length).toBeGreaterThan(0);
    const targetCharts = new Map((await target.charts()).map((c) => [c.uuid, c.id]));
    for (const node of chartsInLayout) {
      expect(node.meta?.chartId).toBe(targetCharts.get(node.meta?.uuid));
    }
    expect((await target.databases()).map((d) => d.uuid)).toEqual(
      expect.arrayContaining(databaseUuids),
    );
  });
}
