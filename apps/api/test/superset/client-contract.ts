// What the SupersetClient promises, written once and run against the fake Superset (integration
// tier) and a real Apache Superset (superset tier): where they disagree, the real one is right.
import { mkdtemp, readFile, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { parse, stringify } from 'yaml';
import { SupersetClient, type SupersetConnection } from '../../src/superset/client/superset-client';
import { SupersetError } from '../../src/superset/client/superset-errors';
import { recordingLogger, type LoggedLine } from './recording-logger';

export interface ContractTarget {
  connection: SupersetConnection;
  /** At least 101 dashboards, so a list takes more than one page. */
  minDashboards: number;
  /** A dashboard with charts, a dataset and a database. */
  dashboardId: number;
  /** A dataset whose column descriptions the test may change. */
  datasetId: number;
}

export function clientFor(
  connection: SupersetConnection,
  lines: LoggedLine[] = [],
): SupersetClient {
  return new SupersetClient(connection, {
    logger: recordingLogger(lines, 'plugin'),
    retryBaseMs: 20,
  });
}

export function supersetClientContract(target: () => ContractTarget): void {
  it('logs in, and a wrong password is a readable sentence naming the user', async () => {
    const t = target();
    await clientFor(t.connection).login();
    const wrong = clientFor({ ...t.connection, password: 'not-the-password' });
    const error = await wrong.login().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(SupersetError);
    expect((error as Error).message).toBe(
      `Superset at ${t.connection.url} refused the login for user '${t.connection.username}' (401)`,
    );
  });

  it('reads every page of a list (page_size 100), each item once', async () => {
    const t = target();
    const lines: LoggedLine[] = [];
    const dashboards = await clientFor(t.connection, lines).dashboards();
    expect(dashboards.length).toBeGreaterThanOrEqual(t.minDashboards);
    expect(new Set(dashboards.map((d) => d.id)).size).toBe(dashboards.length);
    const pages = lines.filter(
      (l) => l.source === 'superset_api' && l.message.startsWith('GET /api/v1/dashboard/?q='),
    );
    expect(pages.length).toBe(Math.ceil(dashboards.length / 100));
    expect(
      pages.every((l) => /page_size:100/.test(l.message) && / → 200 \(\d+ ms\)$/.test(l.message)),
    ).toBe(true);
  });

  it('writes with CSRF: a dataset PUT keeps every column and metric and changes what was meant', async () => {
    const t = target();
    const client = clientFor(t.connection);
    const before = await client.dataset(t.datasetId);
    const marker = `described at ${Date.now()}`;
    await client.updateDataset(t.datasetId, {
      columns: before.columns.map((c, i) => (i === 0 ? { ...c, description: marker } : c)),
      metrics: before.metrics,
    });
    const after = await client.dataset(t.datasetId);
    expect(after.columns.map((c) => c.column_name).sort()).toEqual(
      before.columns.map((c) => c.column_name).sort(),
    );
    expect(after.metrics.map((m) => m.metric_name).sort()).toEqual(
      before.metrics.map((m) => m.metric_name).sort(),
    );
    expect(
      after.columns.find((c) => c.column_name === before.columns[0].column_name)?.description,
    ).toBe(marker);
  });

  it('changes one field of an object with update, the others as they were', async () => {
    const t = target();
    const client = clientFor(t.connection);
    const before = await client.dashboard(t.dashboardId);
    const css = `/* updated at ${Date.now()} */`;
    await client.update('dashboard', t.dashboardId, { css });
    const after = await client.dashboard(t.dashboardId);
    expect(after.css).toBe(css);
    expect(after.dashboard_title).toBe(before.dashboard_title);
    expect(after.json_metadata).toEqual(before.json_metadata);
  });

  it('exports a dashboard as a ZIP with one root folder, and imports it back (422 without overwrite)', async () => {
    const t = target();
    const client = clientFor(t.connection);
    const dir = await mkdtemp(join(tmpdir(), 'taskdeck-export-'));
    const file = join(dir, 'export.zip');
    const { bytes } = await client.exportDashboards([t.dashboardId], file);
    expect((await stat(file)).size).toBe(bytes);
    const entries = unzipSync(new Uint8Array(await readFile(file)));
    const names = Object.keys(entries).filter((n) => !n.endsWith('/'));
    const roots = new Set(names.map((n) => n.split('/')[0]));
    expect(roots.size).toBe(1);
    const root = [...roots][0];
    expect(root).toMatch(/^dashboard_export_\d{8}T\d{6}$/);
    const metadata = parse(strFromU8(entries[`${root}/metadata.yaml`])) as Record<string, unknown>;
    expect(metadata).toMatchObject({ version: '1.0.0', type: 'Dashboard' });
    for (const folder of ['dashboards/', 'charts/', 'datasets/', 'databases/']) {
      expect(names.some((n) => n.startsWith(`${root}/${folder}`) && n.endsWith('.yaml'))).toBe(
        true,
      );
    }

    const refused = await client
      .importDashboards(file, { overwrite: false })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(SupersetError);
    expect((refused as SupersetError).status).toBe(422);
    expect((refused as Error).message).toMatch(
      /already exists and `overwrite=true` was not passed/,
    );

    // Change the title inside the bundle, import with overwrite, read it back through the API.
    const dashboardFile = names.find((n) => n.startsWith(`${root}/dashboards/`))!;
    const dashboard = parse(strFromU8(entries[dashboardFile])) as Record<string, unknown>;
    const title = `Round trip ${Date.now()}`;
    const changed = {
      ...entries,
      [dashboardFile]: strToU8(stringify({ ...dashboard, dashboard_title: title })),
    };
    const passwords = Object.fromEntries(
      names
        .filter((n) => n.startsWith(`${root}/databases/`))
        .map((n) => [n.slice(root.length + 1), 'unused-password']),
    );
    await client.importDashboards(new Blob([zipSync(changed)]), { overwrite: true, passwords });
    const found = (await client.dashboards()).find((d) => d.uuid === dashboard.uuid);
    expect(found?.dashboard_title).toBe(title);
  });

  it('reads Superset’s action log (/api/v1/log/), newest first, at most the rows asked for', async () => {
    const t = target();
    const client = clientFor(t.connection);
    await client.dashboards();
    const rows = await client.actionLog(5);
    expect(rows.length).toBeGreaterThan(0);
    expect(rows.length).toBeLessThanOrEqual(5);
    for (const row of rows) {
      expect(row).toEqual(
        expect.objectContaining({ action: expect.any(String), dttm: expect.any(String) }),
      );
    }
    const times = rows.map((r) => r.dttm);
    expect([...times].sort().reverse()).toEqual(times);
  });

  it('answers a missing object with a sentence naming the call and the status', async () => {
    const t = target();
    const error = await clientFor(t.connection)
      .dataset(987_654_321)
      .catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `Superset at ${t.connection.url} answered 404 to GET /api/v1/dataset/987654321: Not found`,
    );
  });
}
