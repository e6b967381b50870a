// The migration's one I/O edge: export from the source, read and check the bundle, decide per
// database, rewrite, import into the target, then fix native filter and cross-filter chart ids.
// Every decision and rewritten file goes to the `migration` source (the task's default logger);
// the clients log each request under `superset_api`. The transforms are pure (bundle-*.ts,
// database-plan.ts, cross-filters.ts).
import { readFile, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { MigrationResult } from '@taskdeck/contracts';
import type { SupersetClient } from '../../superset/client/superset-client';
import type { TaskContext } from '../../plugin-api';
import { readContents, remapDatabases, type BundleContents } from './bundle-contents';
import {
  DEFAULT_BUNDLE_LIMITS,
  readBundle,
  UnsafeBundleError,
  writeBundle,
  type BundleLimits,
} from './bundle-zip';
import { chartIdMap, rewriteChartRefs } from './cross-filters';
import { planDatabases, unmappedSentence } from './database-plan';
import type { MigrationParams } from './migration-params';

export interface MigrationSides {
  source: SupersetClient;
  target: SupersetClient;
  sourceName: string;
  targetName: string;
  /** The pair's stored mappings; `params.databaseMappings` override them. */
  storedMappings: Record<string, string>;
  /** Opened passwords by source database uuid. */
  passwords: Record<string, string>;
  /** An empty folder of this run's own for the ZIPs. */
  workDir: string;
  limits?: BundleLimits;
}

export async function runMigration(
  sides: MigrationSides,
  params: MigrationParams,
  context: TaskContext,
): Promise<MigrationResult> {
  const log = context.logger;
  const { source, target, sourceName, targetName } = sides;
  const dryRun = params.dryRun ?? false;
  const overwrite = params.overwrite ?? true;
  const ids = [...new Set(params.dashboardIds)];
  log.info(
    `${dryRun ? 'dry run: ' : ''}migrating ${ids.length} dashboard(s) from ${sourceName} to ${targetName}`,
    { dashboardIds: ids, overwrite, fixCrossFilters: params.fixCrossFilters ?? true },
  );
  context.progress(0);

  const known = new Map((await source.dashboards()).map((d) => [d.id, d]));
  const absent = ids.filter((id) => !known.has(id));
  if (absent.length) {
    throw new Error(`dashboard(s) ${absent.join(', ')} not found on ${sourceName}`);
  }
  context.signal.throwIfAborted();

  const exported = join(sides.workDir, 'export.zip');
  await source.exportDashboards(ids, exported);
  const limits = sides.limits ?? DEFAULT_BUNDLE_LIMITS;
  // Judged on disk first: an export larger than the limit is never read into memory.
  const { size } = await stat(exported);
  if (size > limits.maxZipBytes) {
    throw new UnsafeBundleError(`${size} bytes, more than ${limits.maxZipBytes}`);
  }
  const bundle = readBundle(new Uint8Array(await readFile(exported)), limits);
  const contents = readContents(bundle);
  log.info(
    `the export holds ${contents.dashboards.length} dashboard(s), ${contents.datasets.length} dataset(s) and ${contents.databases.length} database(s)`,
    { files: bundle.files.size, root: bundle.root },
  );
  context.progress(20);
  context.signal.throwIfAborted();

  const [targetDatabases, targetDashboards] = await Promise.all([
    target.databases(),
    target.dashboards(),
  ]);
  const mapping = { ...sides.storedMappings, ...(params.databaseMappings ?? {}) };
  const plan = planDatabases(
    contents.databases,
    mapping,
    targetDatabases.map((d) => ({ uuid: d.uuid, name: d.database_name })),
    new Set(Object.keys(sides.passwords)),
  );
  for (const decision of plan.decisions) {
    const line = `database "${decision.name}" (${decision.uuid}): ${decision.reason}`;
    if (decision.action === 'unmapped') log.warning(line, { database: decision });
    else log.info(line, { database: decision });
  }
  const onTarget = new Map(targetDashboards.map((d) => [d.uuid, d.id]));
  const dashboards = contents.dashboards.map((d) => ({
    id: [...known.values()].find((k) => k.uuid === d.uuid)?.id ?? 0,
    title: d.title,
    uuid: d.uuid,
    targetId: onTarget.get(d.uuid) ?? null,
  }));
  for (const d of dashboards) {
    log.info(
      d.targetId === null
        ? `dashboard "${d.title}" is new to ${targetName}`
        : `dashboard "${d.title}" exists on ${targetName} as #${d.targetId}: ${overwrite ? 'it is overwritten' : 'overwrite is off'}`,
      { dashboard: d },
    );
  }

  const { bundle: rewritten, rewritten: files } = remapDatabases(bundle, plan.remap);
  for (const file of files) {
    log.info(`rewrote ${file.file}: ${file.key} ${file.from} → ${file.to}`, { ...file });
    await context.yield(); // one line per rewritten file: let the task log keep up
  }
  context.progress(40);
  const result: MigrationResult = {
    dashboards,
    remapped: Object.fromEntries(plan.remap),
    unmapped: plan.unmapped.map((d) => d.uuid),
    imported: false,
    dryRun,
    databases: plan.decisions.map(({ reason: _reason, ...d }) => d),
    rewrittenFiles: files.map((f) => f.file),
    crossFiltersFixed: 0,
  };
  const blocked = dashboards.filter((d) => d.targetId !== null && !overwrite);
  if (dryRun) {
    log.info(
      `dry run: nothing imported; ${plan.unmapped.length} unmapped database(s), ${dashboards.filter((d) => d.targetId !== null).length} dashboard(s) exist on the target`,
    );
    context.progress(100);
    return result;
  }
  if (plan.unmapped.length) throw new Error(unmappedSentence(plan.unmapped, targetName));
  if (blocked.length) {
    throw new Error(
      `${blocked.length} dashboard(s) exist on ${targetName} and overwrite is off: ${blocked.map((d) => `"${d.title}"`).join(', ')}`,
    );
  }
  context.signal.throwIfAborted();

  const upload = join(sides.workDir, 'import.zip');
  await writeFile(upload, writeBundle(rewritten));
  await target.importDashboards(upload, { overwrite, passwords: bundlePasswords(contents, sides) });
  result.imported = true;
  log.info(`imported ${dashboards.length} dashboard(s) into ${targetName}`);
  context.progress(70);

  if (params.fixCrossFilters ?? true) {
    context.signal.throwIfAborted();
    result.crossFiltersFixed = await fixCrossFilters(target, contents, context);
  }
  context.progress(100);
  return result;
}

/** `passwords` keyed as Superset's import wants them: by the database's file in the bundle. */
function bundlePasswords(contents: BundleContents, sides: MigrationSides): Record<string, string> {
  const out: Record<string, string> = {};
  for (const db of contents.databases) {
    const password = sides.passwords[db.uuid];
    if (password !== undefined) out[db.file] = password;
  }
  return out;
}

/** Points each imported dashboard's filter and cross-filter chart ids at the target's charts. */
async function fixCrossFilters(
  target: SupersetClient,
  contents: BundleContents,
  context: TaskContext,
): Promise<number> {
  const log = context.logger;
  const [charts, dashboards] = await Promise.all([target.charts(), target.dashboards()]);
  const chartIds = new Map(charts.filter((c) => c.uuid).map((c) => [c.uuid!, c.id]));
  const dashboardIds = new Map(dashboards.map((d) => [d.uuid, d.id]));
  let fixed = 0;
  for (const exported of contents.dashboards) {
    context.signal.throwIfAborted();
    const id = dashboardIds.get(exported.uuid);
    if (id === undefined) {
      log.warning(`dashboard "${exported.title}" is not on the target after the import`);
      continue;
    }
    const { map, missing } = chartIdMap(exported.position, chartIds);
    if (missing.length) {
      log.warning(
        `dashboard "${exported.title}": chart(s) ${missing.join(', ')} of the source have no chart on the target`,
      );
    }
    const detail = await target.dashboard(id);
    const current = parseMetadata(detail.json_metadata);
    const rewrite = rewriteChartRefs(current, exported.metadata, map);
    if (rewrite.dropped.length) {
      log.warning(
        `dashboard "${exported.title}": filter references to chart(s) ${rewrite.dropped.join(', ')} dropped (not on the target)`,
      );
    }
    if (!rewrite.changed) {
      log.info(
        `dashboard "${exported.title}" (#${id}): its filters already point at the target's charts`,
      );
      continue;
    }
    await target.updateDashboard(id, { json_metadata: JSON.stringify(rewrite.metadata) });
    fixed++;
    log.info(
      `dashboard "${exported.title}" (#${id}): native filter and cross-filter chart ids rewritten`,
      { chartIds: Object.fromEntries(map) },
    );
  }
  return fixed;
}

function parseMetadata(text: string | null | undefined): Record<string, unknown> {
  if (!text) return {};
  try {
    const value = JSON.parse(text) as unknown;
    return value && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : {};
  } catch {
    return {};
  }
}
