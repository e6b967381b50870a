// A backup run: the dashboards' ids in chunks, each chunk's export ZIP streamed from Superset
// straight into one merged ZIP being written atomically into storage. A chunk Superset refuses is
// split in halves until the failing dashboards are found (each logged at WARNING with id and title);
// the others are kept. Cancel stops between requests and removes the partial file.
import type { Writable } from 'node:stream';
import type { BackupFailure, BackupResult } from '@taskdeck/contracts';
import type { TaskContext } from '../../plugin-api';
import type { StorageService } from '../../storage/storage.service';
import type { SupersetClient } from '../../superset/client/superset-client';
import { SupersetError } from '../../superset/client/superset-errors';
import { pruneBackups } from './backup-files';
import { backupPath, chunk, DEFAULT_CHUNK_SIZE, exportRoot } from './backup-names';
import type { BackupParams } from './backup-params';
import { ZipMerger } from './backup-zip';

export interface BackupSides {
  client: SupersetClient;
  storage: StorageService;
  environmentName: string;
  now?: () => Date;
}

/** Failures that say nothing about one dashboard: the whole run fails on them. */
function failsTheRun(error: unknown): boolean {
  if (error instanceof SupersetError) {
    if (error.kind !== 'http') return true; // login, unreachable, timeout, TLS, protocol
    return error.status === 401 || error.status === 403 || error.status === 429;
  }
  return (error as Error)?.name === 'AbortError';
}

export async function runBackup(
  sides: BackupSides,
  params: BackupParams,
  context: TaskContext,
): Promise<BackupResult> {
  const { client, storage, environmentName } = sides;
  const fileLog = context.logger.withSource('storage');
  const apiLog = context.logger.withSource('superset_api');
  const envLabel = `"${environmentName}"`;
  context.progress(0, 'listing dashboards');

  const listed = await client.dashboards();
  const titles = new Map(listed.map((d) => [d.id, d.dashboard_title]));
  const failed: BackupFailure[] = [];
  let ids: number[];
  if (params.dashboardIds?.length) {
    ids = [...new Set(params.dashboardIds)];
    for (const id of ids.filter((i) => !titles.has(i))) {
      apiLog.warning(`dashboard ${id} is not on ${envLabel}; skipped`, { dashboardId: id });
      failed.push({ id, title: null, error: `not found on ${envLabel}` });
    }
    ids = ids.filter((id) => titles.has(id));
  } else {
    ids = listed.map((d) => d.id).sort((a, b) => a - b);
  }
  const total = ids.length + failed.length;
  if (ids.length === 0) {
    throw new Error(
      listed.length === 0
        ? `${envLabel} has no dashboards to back up`
        : `none of the chosen dashboards is on ${envLabel}`,
    );
  }
  const size = params.chunkSize ?? DEFAULT_CHUNK_SIZE;
  const chunks = chunk(ids, size);
  fileLog.info(
    `backing up ${ids.length} dashboard(s) of ${envLabel} in ${chunks.length} export request(s) of up to ${size}`,
    { dashboards: ids.length, chunks: chunks.length, chunkSize: size },
  );

  const started = sides.now?.() ?? new Date();
  let path = backupPath(environmentName, started);
  for (let attempt = 2; await exists(storage, path); attempt++) {
    path = backupPath(environmentName, started, attempt);
  }
  const writer = await storage.createWriter(path);
  fileLog.debug(`writing ${path} (temporary file ${writer.tempPath.split('/').pop()})`, { path });
  const merger = new ZipMerger(exportRoot(started), (bytes) => writer.write(bytes));
  const exported: number[] = [];
  let done = failed.length;

  const succeeded = (part: number[]): void => {
    exported.push(...part);
    done += part.length;
    context.progress(
      Math.min(99, Math.floor((done / total) * 100)),
      `${done} of ${total} dashboards`,
    );
  };

  /** A part Superset refused: one dashboard is logged and left out, more are split in halves. */
  const failedPart = async (part: number[], error: unknown): Promise<void> => {
    if (context.signal.aborted || failsTheRun(error)) throw error;
    const reason = (error as Error).message;
    if (part.length === 1) {
      const [id] = part;
      const title = titles.get(id) ?? null;
      apiLog.warning(`dashboard ${id} "${title}" could not be exported: ${reason}`, {
        dashboardId: id,
        title,
      });
      failed.push({ id, title, error: reason });
      done += 1;
      return;
    }
    apiLog.info(
      `the export of ${part.length} dashboards failed (${reason}); splitting it to find the failing one(s)`,
      { dashboardIds: part },
    );
    const half = Math.ceil(part.length / 2);
    await exportPart(part.slice(0, half));
    await exportPart(part.slice(half));
  };

  const exportPart = async (part: number[]): Promise<void> => {
    context.signal.throwIfAborted();
    try {
      await client.exportDashboards(part, merger.chunkWritable(), { retry: part.length === 1 });
    } catch (error) {
      await failedPart(part, error);
      return;
    }
    succeeded(part);
  };

  // One request ahead: Superset builds the next chunk's ZIP while this one is merged, and the next
  // answer's body waits (HTTP backpressure, nothing buffered here) until this one is done.
  interface Started {
    part: number[];
    /** Settles with the export's error, or undefined. */
    outcome: Promise<unknown>;
    open: () => void;
    body: Writable;
  }
  let gate: Promise<void> = Promise.resolve();
  const start = (part: number[]): Started => {
    const ready = gate;
    let open!: () => void;
    gate = new Promise<void>((resolve) => (open = resolve));
    const body = merger.chunkWritable(ready);
    const outcome = client.exportDashboards(part, body, { retry: part.length === 1 }).then(
      () => undefined,
      (error: unknown) => error ?? new Error('the export failed'),
    );
    return { part, outcome, open, body };
  };
  const exportChunks = async (): Promise<void> => {
    let next: Started | undefined;
    try {
      let current = start(chunks[0]);
      for (let i = 0; i < chunks.length; i++) {
        next = i + 1 < chunks.length ? start(chunks[i + 1]) : undefined;
        const error = await current.outcome;
        if (error === undefined) succeeded(current.part);
        else await failedPart(current.part, error);
        await context.yield(); // backpressure on the task log between chunks; throws on cancel
        current.open();
        if (next) current = next;
      }
    } catch (error) {
      next?.body.destroy(new Error('the backup stopped'));
      throw error;
    }
  };

  let fileSize: number;
  try {
    await exportChunks();
    if (exported.length === 0) {
      throw new Error(
        `no dashboard of ${envLabel} could be exported (${failed.length} failed; see the warnings)`,
      );
    }
    await merger.end();
    if (merger.stats.conflicts.length) {
      fileLog.warning(
        `${merger.stats.conflicts.length} file(s) changed in Superset during the backup; the first export of each was kept`,
        { files: merger.stats.conflicts.slice(0, 50) },
      );
    }
    fileSize = await writer.commit();
  } catch (error) {
    await writer.abort();
    fileLog.info(`removed the unfinished ${path}`, { path });
    throw error;
  }
  fileLog.debug(`wrote ${path} (${fileSize} bytes)`, { path, bytes: fileSize });
  fileLog.info(
    `backed up ${exported.length} dashboard(s) of ${envLabel} into ${path} (${fileSize} bytes, ${merger.stats.written} files, ${merger.stats.duplicates} shared files written once)` +
      (failed.length ? `; ${failed.length} failed` : ''),
    { path, bytes: fileSize, dashboards: exported.length, failed: failed.length },
  );

  let pruned: string[] = [];
  if (params.keep !== undefined) {
    const folder = path.split('/')[1];
    const report = await pruneBackups(storage, { folder, keep: params.keep }, fileLog, fileLog);
    pruned = report.deleted.map((d) => d.path);
    if (pruned.length === 0) fileLog.info(`keep ${params.keep}: nothing to prune`);
  }
  context.progress(100, `${exported.length} of ${total} dashboards`);
  return {
    files: [{ path, size: fileSize, dashboards: exported.length }],
    dashboards: exported.length,
    failed: failed.sort((a, b) => a.id - b.id),
    pruned,
  };
}

async function exists(storage: StorageService, path: string): Promise<boolean> {
  return storage.stat(path).then(
    () => true,
    () => false,
  );
}
