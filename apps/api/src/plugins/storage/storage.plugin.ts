// The storage plugin (CONTRACT.md "The plugins", `storage`): housekeeping of the file store as a
// task. Decisions go to the `storage` source (INFO, WARNING), each file operation with its path and
// bytes to `filesystem` (DEBUG).
import { STORAGE_CATEGORIES, type StorageCategory } from '@taskdeck/contracts';
import { TaskPluginBase, TaskPluginDefinition, type TaskContext } from '../../plugin-api';
import { StorageService } from '../../storage/storage.service';
import { backupsByFolder, pruneBackups, type PruneReport } from '../backup/backup-files';
import { centralDirectoryEntries } from '../backup/backup-zip';
import { metadataProblem, readBackupContents } from '../backup/restore-run';
import { checkStorageParams, STORAGE_PARAMS_SCHEMA, type StorageParams } from './storage-params';

export interface UsageReport {
  action: 'usage';
  totalBytes: number;
  files: number;
  byCategory: Partial<Record<StorageCategory, { bytes: number; files: number }>>;
  /** Backups by environment folder. */
  byEnvironment: Record<string, { bytes: number; files: number }>;
}

export interface VerifyReport {
  action: 'verify';
  checked: number;
  ok: number;
  broken: { path: string; error: string }[];
}

export type StorageReport = UsageReport | (PruneReport & { action: 'prune' }) | VerifyReport;

@TaskPluginDefinition({
  id: 'storage',
  name: 'Storage housekeeping',
  description:
    'Reports storage usage by category and environment, prunes old backups, and verifies that every backup ZIP opens and holds a valid metadata.yaml.',
  paramsSchema: STORAGE_PARAMS_SCHEMA,
  checkParams: checkStorageParams,
})
export class StoragePlugin extends TaskPluginBase<StorageParams, StorageReport> {
  constructor(private readonly storage: StorageService) {
    super();
  }

  async execute(params: StorageParams, context: TaskContext): Promise<StorageReport> {
    switch (params.action) {
      case 'usage':
        return this.usage(params, context);
      case 'prune':
        return this.prune(params, context);
      case 'verify':
        return this.verify(params, context);
    }
  }

  private async usage(params: StorageParams, context: TaskContext): Promise<UsageReport> {
    const log = context.logger.withSource('storage');
    const files = context.logger.withSource('filesystem');
    const usage = await this.storage.usage();
    const categories = params.category ? [params.category] : [...STORAGE_CATEGORIES];
    const byCategory: UsageReport['byCategory'] = {};
    for (const category of categories) {
      byCategory[category] = usage.byCategory[category];
      files.debug(
        `${category}/: ${usage.byCategory[category].files} file(s), ${usage.byCategory[category].bytes} bytes`,
        { path: category, bytes: usage.byCategory[category].bytes },
      );
    }
    const byEnvironment: UsageReport['byEnvironment'] = {};
    if (categories.includes('backups')) {
      for (const file of await this.storage.list({ category: 'backups' })) {
        const folder = file.path.split('/').length > 2 ? file.path.split('/')[1] : '';
        const entry = (byEnvironment[folder] ??= { bytes: 0, files: 0 });
        entry.bytes += file.size;
        entry.files += 1;
      }
    }
    const totalBytes = categories.reduce((sum, c) => sum + usage.byCategory[c].bytes, 0);
    const count = categories.reduce((sum, c) => sum + usage.byCategory[c].files, 0);
    log.info(`storage holds ${count} file(s), ${totalBytes} bytes`, {
      byCategory,
      byEnvironment,
    });
    context.progress(100);
    return { action: 'usage', totalBytes, files: count, byCategory, byEnvironment };
  }

  private async prune(
    params: StorageParams,
    context: TaskContext,
  ): Promise<PruneReport & { action: 'prune' }> {
    const log = context.logger.withSource('storage');
    const report = await pruneBackups(
      this.storage,
      {
        folder: params.environment,
        keep: params.keep,
        olderThanDays: params.olderThanDays,
        dryRun: params.dryRun,
      },
      log,
      context.logger.withSource('filesystem'),
      context.signal,
    );
    log.info(
      `${report.dryRun ? 'dry run: would delete' : 'deleted'} ${report.deleted.length} backup(s), ${report.freedBytes} bytes; ${report.kept} kept`,
      { keep: params.keep, olderThanDays: params.olderThanDays },
    );
    context.progress(100);
    return { action: 'prune', ...report };
  }

  private async verify(params: StorageParams, context: TaskContext): Promise<VerifyReport> {
    const log = context.logger.withSource('storage');
    const fileLog = context.logger.withSource('filesystem');
    const all = [...(await backupsByFolder(this.storage, params.environment)).values()].flat();
    const report: VerifyReport = { action: 'verify', checked: 0, ok: 0, broken: [] };
    log.info(`verifying ${all.length} backup(s)`);
    for (const file of all) {
      await context.yield(); // throws on cancel; waits while the task log is behind
      fileLog.debug(`reading ${file.path} (${file.size} bytes)`, {
        path: file.path,
        bytes: file.size,
      });
      const problem = await this.check(file.path, context.signal);
      report.checked++;
      if (problem) {
        report.broken.push({ path: file.path, error: problem });
        log.warning(`${file.path} is broken: ${problem}`, { path: file.path });
      } else {
        report.ok++;
      }
      context.progress(Math.floor((report.checked / all.length) * 100));
    }
    log.info(`${report.ok} of ${report.checked} backup(s) are sound`, {
      broken: report.broken.length,
    });
    context.progress(100);
    return report;
  }

  /** Why a backup ZIP would not import, or undefined when it is sound. */
  private async check(path: string, signal: AbortSignal): Promise<string | undefined> {
    const absolute = await this.storage.resolve(path);
    try {
      const listed = await centralDirectoryEntries(absolute);
      if (listed === undefined) return 'no ZIP central directory (cut short?)';
      // Every entry is inflated (a damaged one fails here) and the YAML files Superset reads first
      // are parsed.
      const contents = await readBackupContents(absolute, signal, { everyEntry: true });
      if (contents.entries !== listed) {
        return `the central directory lists ${listed} entries, the file holds ${contents.entries}`;
      }
      const problem = metadataProblem(contents);
      if (problem) return problem;
      if (contents.dashboards.length === 0) return 'it holds no dashboards';
      return undefined;
    } catch (error) {
      if (signal.aborted) throw error;
      return (error as Error).message;
    }
  }
}
