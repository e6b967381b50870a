// Superset's dashboard import, faithful to 6.1: it drops the first path part of every entry, needs
// metadata.yaml (version 1.0.0, type Dashboard), a password for each database new to it whose URI
// has a masked one, and `overwrite` to replace an existing dashboard (else 422). Chart ids in the
// position, the filter scopes and chart_configuration are remapped as update_id_refs does.
import { strFromU8, unzipSync } from 'fflate';
import { parse } from 'yaml';
import type { FakeStore } from './fake-store';
import { FakeHttpError } from './fake-views';

const MASK = 'XXXXXXXXXX';

/** `remove_root`: everything after the first path part, for YAML files that are not hidden. */
export function bundleContents(zip: Uint8Array): Record<string, string> {
  let entries: Record<string, Uint8Array>;
  try {
    entries = unzipSync(zip);
  } catch {
    throw new FakeHttpError(422, commandError('Could not find a valid command to import file', {}));
  }
  const contents: Record<string, string> = {};
  for (const [name, data] of Object.entries(entries)) {
    const base = name.split('/').pop() ?? '';
    if (base.startsWith('.') || base.startsWith('_') || !/\.ya?ml$/i.test(base)) continue;
    contents[name.split('/').slice(1).join('/')] = strFromU8(data);
  }
  return contents;
}

function commandError(message: string, extra: Record<string, unknown>): unknown {
  return {
    errors: [
      {
        message,
        error_type: 'GENERIC_COMMAND_ERROR',
        level: 'warning',
        extra: {
          ...extra,
          issue_codes: [
            {
              code: 1010,
              message: 'Issue 1010 - Superset encountered an error while running a command.',
            },
          ],
        },
      },
    ],
  };
}

export function importDashboards(
  store: FakeStore,
  zip: Uint8Array,
  passwords: Record<string, string>,
  overwrite: boolean,
): void {
  const contents = bundleContents(zip);
  // Superset reads YAML 1.1 (PyYAML): an unquoted timestamp becomes a datetime, which its
  // schema refuses ("Not a valid datetime"), as 6.1 does.
  const meta = contents['metadata.yaml']
    ? (parse(contents['metadata.yaml'], { schema: 'yaml-1.1' }) as {
        version?: string;
        type?: string;
        timestamp?: unknown;
      })
    : undefined;
  if (!meta || meta.version !== '1.0.0') {
    throw new FakeHttpError(422, commandError('Could not find a valid command to import file', {}));
  }
  const problems: Record<string, string> = {};
  if (meta.type && meta.type !== 'Dashboard') {
    problems['metadata.yaml'] = `{'type': ['Must be equal to Dashboard.']}`;
  }
  if (meta.timestamp !== undefined && typeof meta.timestamp !== 'string') {
    problems['metadata.yaml'] = `{'timestamp': ['Not a valid datetime.']}`;
  }
  const configs = Object.entries(contents).map(([file, text]) => ({
    file,
    config: parse(text) as Record<string, unknown>,
  }));
  const of = (prefix: string) => configs.filter((c) => c.file.startsWith(prefix));
  for (const { file, config } of of('databases/')) {
    const known = store.findByUuid(store.databases, String(config.uuid));
    if (
      !known &&
      String(config.sqlalchemy_uri).includes(`:${MASK}@`) &&
      passwords[file] === undefined
    ) {
      problems[file] = "{'_schema': ['Must provide a password for the database']}";
    }
  }
  if (!overwrite) {
    for (const { file, config } of of('dashboards/')) {
      if (store.findByUuid(store.dashboards, String(config.uuid))) {
        problems[file] = 'Dashboard already exists and `overwrite=true` was not passed';
      }
    }
  }
  if (Object.keys(problems).length) {
    const summary = Object.entries(problems)
      .map(([file, why]) => `${file}: ${why}`)
      .join('; ');
    throw new FakeHttpError(422, commandError(`Error importing dashboard: ${summary}`, problems));
  }
  applyImport(store, configs, passwords, of);
}

type Config = { file: string; config: Record<string, unknown> };

function applyImport(
  store: FakeStore,
  configs: Config[],
  passwords: Record<string, string>,
  of: (p: string) => Config[],
): void {
  const dbIds = new Map<string, number>();
  for (const { file, config } of of('databases/')) {
    const uuid = String(config.uuid);
    const db =
      store.findByUuid(store.databases, uuid) ??
      store.addDatabase({
        uuid,
        database_name: String(config.database_name),
        sqlalchemy_uri: String(config.sqlalchemy_uri),
        password: passwords[file],
      });
    dbIds.set(uuid, db.id);
  }
  const datasetIds = new Map<string, number>();
  for (const { config } of of('datasets/')) {
    const uuid = String(config.uuid);
    const existing = store.findByUuid(store.datasets, uuid);
    const databaseId =
      dbIds.get(String(config.database_uuid)) ??
      store.findByUuid(store.databases, String(config.database_uuid))?.id;
    if (databaseId === undefined) {
      throw new FakeHttpError(
        422,
        commandError(
          `Error importing dashboard: database ${String(config.database_uuid)} not found`,
          {},
        ),
      );
    }
    const ds =
      existing ??
      store.addDataset({
        uuid,
        database_id: databaseId,
        table_name: String(config.table_name),
        schema: (config.schema as string | null) ?? null,
        sql: (config.sql as string | null) ?? null,
        columns: config.columns as never,
        metrics: config.metrics as never,
      });
    datasetIds.set(uuid, ds.id);
  }
  const chartIds = new Map<string, number>();
  for (const { config } of of('charts/')) {
    const uuid = String(config.uuid);
    const existing = store.findByUuid(store.charts, uuid);
    const datasetId =
      datasetIds.get(String(config.dataset_uuid)) ??
      store.findByUuid(store.datasets, String(config.dataset_uuid))?.id ??
      0;
    const chart =
      existing ??
      store.addChart({
        uuid,
        slice_name: String(config.slice_name),
        viz_type: String(config.viz_type),
        datasource_id: datasetId,
        params: JSON.stringify(config.params ?? {}),
      });
    chartIds.set(uuid, chart.id);
  }
  for (const { config } of of('dashboards/')) {
    const position = (config.position ?? {}) as Record<
      string,
      { type?: string; meta?: { chartId?: number; uuid?: string } }
    >;
    const idMap = new Map<number, number>();
    const ids: number[] = [];
    for (const node of Object.values(position)) {
      if (node?.type !== 'CHART' || !node.meta?.uuid) continue;
      const id = chartIds.get(node.meta.uuid) ?? store.findByUuid(store.charts, node.meta.uuid)?.id;
      if (id === undefined) continue;
      if (node.meta.chartId !== undefined) idMap.set(node.meta.chartId, id);
      node.meta.chartId = id;
      ids.push(id);
    }
    const metadata = remapMetadata(
      (config.metadata ?? {}) as Record<string, unknown>,
      idMap,
      datasetIds,
      store,
    );
    const uuid = String(config.uuid);
    const existing = store.findByUuid(store.dashboards, uuid);
    const dashboard = existing ?? store.addDashboard({ uuid, chart_ids: [] });
    Object.assign(dashboard, {
      dashboard_title: String(config.dashboard_title),
      slug: (config.slug as string | null) ?? null,
      published: Boolean(config.published),
      json_metadata: JSON.stringify(metadata),
      position_json: JSON.stringify(position),
      chart_ids: ids,
      changed_on: store.stamp(),
    });
  }
}

/** update_id_refs as Superset does it: position, scopes and chart_configuration; not chartsInScope. */
function remapMetadata(
  metadata: Record<string, unknown>,
  idMap: Map<number, number>,
  datasetIds: Map<string, number>,
  store: FakeStore,
): Record<string, unknown> {
  const remap = (ids: unknown): number[] =>
    Array.isArray(ids)
      ? ids
          .map(Number)
          .filter((id) => idMap.has(id))
          .map((id) => idMap.get(id)!)
      : [];
  for (const filter of (metadata.native_filter_configuration ?? []) as {
    targets?: Record<string, unknown>[];
    scope?: { excluded?: unknown };
  }[]) {
    for (const target of filter.targets ?? []) {
      const uuid = target.datasetUuid as string | undefined;
      delete target.datasetUuid;
      if (uuid) {
        target.datasetId = datasetIds.get(uuid) ?? store.findByUuid(store.datasets, uuid)?.id;
      }
    }
    if (filter.scope?.excluded) filter.scope.excluded = remap(filter.scope.excluded);
  }
  const global = metadata.global_chart_configuration as
    { scope?: { excluded?: unknown } } | undefined;
  if (global?.scope?.excluded) global.scope.excluded = remap(global.scope.excluded);
  if (metadata.chart_configuration && typeof metadata.chart_configuration === 'object') {
    const next: Record<string, unknown> = {};
    for (const [oldId, value] of Object.entries(
      metadata.chart_configuration as Record<string, Record<string, unknown>>,
    )) {
      const id = idMap.get(Number(oldId));
      if (id === undefined) continue;
      next[String(id)] = { ...value, id };
    }
    metadata.chart_configuration = next;
  }
  return metadata;
}
