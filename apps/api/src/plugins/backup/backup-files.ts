// The backups in storage, per environment folder, and their pruning (used by the backup plugin's
// `keep` and by the storage plugin's `prune`).
import type { StoredFile } from '@taskdeck/contracts';
import type { TaskLogger } from '../../plugin-api';
import type { StorageService } from '../../storage/storage.service';

export interface PruneOptions {
  /** Only this environment folder (`backups/<folder>/`); default every one. */
  folder?: string;
  /** Keep this many newest per environment. */
  keep?: number;
  /** Delete backups older than this. */
  olderThanDays?: number;
  dryRun?: boolean;
  now?: Date;
}

export interface PruneReport {
  deleted: { path: string; size: number; createdAt: string }[];
  freedBytes: number;
  kept: number;
  dryRun: boolean;
}

/** The environment folder of a backup path (`backups/<folder>/…`). */
export function folderOf(path: string): string {
  return path.split('/')[1] ?? '';
}

/** Backup ZIPs by environment folder, newest first in each. */
export async function backupsByFolder(
  storage: StorageService,
  folder?: string,
): Promise<Map<string, StoredFile[]>> {
  const files = await storage.list({
    category: 'backups',
    ...(folder ? { prefix: `backups/${folder}/` } : {}),
  });
  const groups = new Map<string, StoredFile[]>();
  for (const file of files) {
    if (!file.name.endsWith('.zip') || file.path.split('/').length !== 3) continue;
    const key = folderOf(file.path);
    groups.set(key, [...(groups.get(key) ?? []), file]);
  }
  for (const list of groups.values()) {
    list.sort((a, b) => b.createdAt.localeCompare(a.createdAt) || b.name.localeCompare(a.name));
  }
  return groups;
}

/**
 * Deletes backups beyond `keep` per environment and older than `olderThanDays` (either rule
 * marks a file). Decisions go to `log` (INFO), each deletion to `fileLog` (DEBUG, path and bytes).
 */
export async function pruneBackups(
  storage: StorageService,
  options: PruneOptions,
  log: TaskLogger,
  fileLog: TaskLogger,
  signal?: AbortSignal,
): Promise<PruneReport> {
  const dryRun = options.dryRun ?? false;
  const cutoff =
    options.olderThanDays === undefined
      ? undefined
      : (options.now ?? new Date()).getTime() - options.olderThanDays * 86_400_000;
  const report: PruneReport = { deleted: [], freedBytes: 0, kept: 0, dryRun };
  for (const [folder, files] of await backupsByFolder(storage, options.folder)) {
    const doomed = files.filter(
      (file, index) =>
        (options.keep !== undefined && index >= options.keep) ||
        (cutoff !== undefined && Date.parse(file.createdAt) < cutoff),
    );
    report.kept += files.length - doomed.length;
    if (doomed.length === 0) continue;
    log.info(
      `${dryRun ? 'would delete' : 'deleting'} ${doomed.length} of ${files.length} backup(s) of "${folder}"`,
      { folder, keep: options.keep, olderThanDays: options.olderThanDays },
    );
    for (const file of doomed) {
      signal?.throwIfAborted();
      if (!dryRun) {
        await storage.delete(file.path);
        fileLog.debug(`deleted ${file.path} (${file.size} bytes)`, {
          path: file.path,
          bytes: file.size,
        });
      } else {
        fileLog.debug(`would delete ${file.path} (${file.size} bytes)`, {
          path: file.path,
          bytes: file.size,
        });
      }
      report.deleted.push({ path: file.path, size: file.size, createdAt: file.createdAt });
      report.freedBytes += file.size;
    }
  }
  return report;
}
