// Where a backup goes and how it is named: `backups/<environment>/<environment>-<UTC time>.zip`,
// e.g. `backups/prod/prod-2026-12-01T10-00-00Z.zip` (colons would trouble Windows and URLs).
import { safeName } from '../../storage/storage-path';

/** Dashboards per export request: Superset takes a list in the URL, and long ones fail. */
export const DEFAULT_CHUNK_SIZE = 50;

/** `2026-12-01T10-00-00Z` */
export function utcStamp(date: Date): string {
  return date
    .toISOString()
    .replace(/\.\d{3}Z$/, 'Z')
    .replace(/:/g, '-');
}

/** The folder of an environment's backups (relative to the storage root). */
export function backupFolder(environmentName: string): string {
  return `backups/${safeName(environmentName)}`;
}

/** A backup's path; `attempt` > 1 adds a suffix for two runs in the same second. */
export function backupPath(environmentName: string, date: Date, attempt = 1): string {
  const name = safeName(environmentName);
  const suffix = attempt > 1 ? `-${attempt}` : '';
  return `backups/${name}/${name}-${utcStamp(date)}${suffix}.zip`;
}

/** The root folder inside the ZIP, as Superset names its own exports. */
export function exportRoot(date: Date): string {
  return `dashboard_export_${date.toISOString().replace(/[-:]/g, '').slice(0, 15)}`;
}

/** Ids in export requests of at most `size`, in order. */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  if (!Number.isInteger(size) || size < 1) throw new Error('chunk size must be a positive integer');
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}
