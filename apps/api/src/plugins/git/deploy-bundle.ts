// The way back (pure, no I/O): an environment folder's YAML files, as a commit holds them, made
// into Superset's import format for the chosen dashboards — one root folder with metadata.yaml and
// each dashboard's charts, datasets and databases, followed by uuid as Superset links them.
import { strToU8 } from 'fflate';
import { parse, stringify } from 'yaml';
import type { Bundle } from '../migration/bundle-zip';
import { sectionOf, SUPERSET_YAML, type Section } from './export-layout';

export const DEPLOY_ROOT = 'dashboard_export_taskdeck';

interface Item {
  path: string;
  section: Section;
  uuid: string;
  config: Record<string, unknown>;
}

export interface DeployBundle {
  bundle: Bundle;
  dashboards: { uuid: string; title: string }[];
  /** References the folder cannot satisfy, e.g. `chart 3c1…` of a dashboard. */
  missing: string[];
}

export class DeployError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'DeployError';
  }
}

function itemsOf(files: ReadonlyMap<string, string>): Item[] {
  const items: Item[] = [];
  for (const [path, text] of files) {
    const section = sectionOf(path);
    if (!section) continue;
    let config: unknown;
    try {
      config = parse(text);
    } catch (error) {
      throw new DeployError(`${path} is not valid YAML (${(error as Error).message})`);
    }
    const uuid = (config as { uuid?: unknown } | null)?.uuid;
    if (!config || typeof config !== 'object' || typeof uuid !== 'string') {
      throw new DeployError(`${path} is not an exported Superset object (no uuid)`);
    }
    items.push({ path, section, uuid, config: config as Record<string, unknown> });
  }
  return items;
}

function chartUuids(dashboard: Record<string, unknown>): string[] {
  const position = (dashboard.position ?? {}) as Record<string, unknown>;
  const out: string[] = [];
  for (const node of Object.values(position)) {
    const n = node as { type?: unknown; meta?: { uuid?: unknown } } | null;
    if (n?.type === 'CHART' && typeof n.meta?.uuid === 'string') out.push(n.meta.uuid);
  }
  return out;
}

function filterDatasetUuids(dashboard: Record<string, unknown>): string[] {
  const metadata = (dashboard.metadata ?? {}) as {
    native_filter_configuration?: { targets?: { datasetUuid?: unknown }[] }[];
  };
  return (metadata.native_filter_configuration ?? []).flatMap((filter) =>
    (filter.targets ?? [])
      .map((t) => t.datasetUuid)
      .filter((u): u is string => typeof u === 'string'),
  );
}

/**
 * The import bundle for the dashboards with these uuids (all of the folder's when undefined).
 * A uuid the folder does not hold is a DeployError; a chart, dataset or database a dashboard
 * refers to but the folder lacks is reported in `missing` (Superset keeps what it has).
 */
export function deployBundle(
  files: ReadonlyMap<string, string>,
  dashboardUuids: string[] | undefined,
  now = new Date(),
): DeployBundle {
  const items = itemsOf(files);
  const bySection = (section: Section) =>
    new Map(items.filter((i) => i.section === section).map((i) => [i.uuid, i]));
  const dashboards = bySection('dashboards');
  const charts = bySection('charts');
  const datasets = bySection('datasets');
  const databases = bySection('databases');

  const wanted = dashboardUuids ?? [...dashboards.keys()];
  const absent = wanted.filter((uuid) => !dashboards.has(uuid));
  if (absent.length) {
    throw new DeployError(`the repository holds no dashboard with uuid ${absent.join(', ')}`);
  }
  if (wanted.length === 0) throw new DeployError('the repository holds no dashboards to deploy');

  const chosen = new Map<string, Item>();
  const missing = new Set<string>();
  const take = (
    map: Map<string, Item>,
    uuid: string,
    what: string,
    of: string,
  ): Item | undefined => {
    const item = map.get(uuid);
    if (!item) missing.add(`${what} ${uuid} (of ${of})`);
    else chosen.set(item.path, item);
    return item;
  };
  const takeDataset = (uuid: string, of: string) => {
    const dataset = take(datasets, uuid, 'dataset', of);
    const db = dataset?.config.database_uuid;
    if (dataset && typeof db === 'string') take(databases, db, 'database', dataset.path);
  };
  for (const uuid of wanted) {
    const dashboard = dashboards.get(uuid)!;
    chosen.set(dashboard.path, dashboard);
    for (const chartUuid of chartUuids(dashboard.config)) {
      const chart = take(charts, chartUuid, 'chart', dashboard.path);
      const ds = chart?.config.dataset_uuid;
      if (chart && typeof ds === 'string') takeDataset(ds, chart.path);
    }
    for (const ds of filterDatasetUuids(dashboard.config)) takeDataset(ds, dashboard.path);
  }

  const bundleFiles = new Map<string, Uint8Array>();
  bundleFiles.set(
    'metadata.yaml',
    strToU8(
      stringify(
        { version: '1.0.0', type: 'Dashboard', timestamp: now.toISOString() },
        SUPERSET_YAML,
      ),
    ),
  );
  for (const path of [...chosen.keys()].sort()) {
    bundleFiles.set(path, strToU8(files.get(path)!));
  }
  return {
    bundle: { root: DEPLOY_ROOT, files: bundleFiles },
    dashboards: wanted.map((uuid) => ({
      uuid,
      title: titleOf(dashboards.get(uuid)!.config),
    })),
    missing: [...missing].sort(),
  };
}

function titleOf(config: Record<string, unknown>): string {
  return typeof config.dashboard_title === 'string' ? config.dashboard_title : '';
}
