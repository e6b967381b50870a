// What a Superset export bundle holds, read from its YAML files (Superset's own format: one file
// per dashboard, chart, dataset and database, linked by uuid), and the one rewrite migration makes
// to it: datasets and database files moved from a source database to the target's by uuid.
import { strFromU8, strToU8 } from 'fflate';
import { parse, parseDocument } from 'yaml';
import type { Bundle } from './bundle-zip';

export interface BundleDatabase {
  file: string;
  uuid: string;
  name: string;
}

export interface BundleDataset {
  file: string;
  uuid: string;
  tableName: string;
  databaseUuid: string;
}

export interface BundleDashboard {
  file: string;
  uuid: string;
  title: string;
  position: Record<string, unknown>;
  metadata: Record<string, unknown>;
}

export interface BundleContents {
  databases: BundleDatabase[];
  datasets: BundleDataset[];
  dashboards: BundleDashboard[];
}

export class BundleFormatError extends Error {
  constructor(file: string, problem: string) {
    super(`the export's ${file} ${problem}`);
    this.name = 'BundleFormatError';
  }
}

/** A top-level YAML file of a folder (`databases/x.yaml`, `datasets/db/x.yaml`). */
function isYamlIn(file: string, folder: string): boolean {
  return file.startsWith(`${folder}/`) && /\.ya?ml$/i.test(file);
}

function yamlOf(bundle: Bundle, file: string): Record<string, unknown> {
  let value: unknown;
  try {
    value = parse(strFromU8(bundle.files.get(file)!));
  } catch (error) {
    throw new BundleFormatError(file, `is not valid YAML (${(error as Error).message})`);
  }
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    throw new BundleFormatError(file, 'is not a YAML mapping');
  }
  return value as Record<string, unknown>;
}

function text(config: Record<string, unknown>, key: string, file: string): string {
  const value = config[key];
  if (typeof value !== 'string' || !value) throw new BundleFormatError(file, `has no ${key}`);
  return value;
}

function object(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : {};
}

export function readContents(bundle: Bundle): BundleContents {
  const files = [...bundle.files.keys()].sort();
  return {
    databases: files
      .filter((f) => isYamlIn(f, 'databases'))
      .map((file) => {
        const config = yamlOf(bundle, file);
        return {
          file,
          uuid: text(config, 'uuid', file),
          name: text(config, 'database_name', file),
        };
      }),
    datasets: files
      .filter((f) => isYamlIn(f, 'datasets'))
      .map((file) => {
        const config = yamlOf(bundle, file);
        return {
          file,
          uuid: text(config, 'uuid', file),
          tableName: text(config, 'table_name', file),
          databaseUuid: text(config, 'database_uuid', file),
        };
      }),
    dashboards: files
      .filter((f) => isYamlIn(f, 'dashboards'))
      .map((file) => {
        const config = yamlOf(bundle, file);
        return {
          file,
          uuid: text(config, 'uuid', file),
          title: typeof config.dashboard_title === 'string' ? config.dashboard_title : '',
          position: object(config.position),
          metadata: object(config.metadata),
        };
      }),
  };
}

export interface RewrittenFile {
  file: string;
  key: 'database_uuid' | 'uuid';
  from: string;
  to: string;
}

/**
 * The bundle with every `database_uuid` in `datasets/` and every `uuid` in `databases/` that the
 * mapping names replaced by its target uuid: Superset then finds the target's own database (it
 * keeps an existing database as it is) and puts the datasets on it. Everything else in those
 * files, and every other file, stays byte for byte.
 */
export function remapDatabases(
  bundle: Bundle,
  mapping: ReadonlyMap<string, string>,
): { bundle: Bundle; rewritten: RewrittenFile[] } {
  const files = new Map(bundle.files);
  const rewritten: RewrittenFile[] = [];
  for (const [file, data] of bundle.files) {
    const key = isYamlIn(file, 'datasets')
      ? 'database_uuid'
      : isYamlIn(file, 'databases')
        ? 'uuid'
        : undefined;
    if (!key) continue;
    const doc = parseDocument(strFromU8(data));
    const from = doc.get(key);
    const to = typeof from === 'string' ? mapping.get(from) : undefined;
    if (typeof from !== 'string' || to === undefined || to === from) continue;
    doc.set(key, to);
    files.set(file, strToU8(doc.toString()));
    rewritten.push({ file, key, from, to });
  }
  return { bundle: { root: bundle.root, files }, rewritten };
}
