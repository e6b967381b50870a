// The deploy action's I/O edge: read an environment folder's YAML as a commit holds it, make the
// import bundle for the chosen dashboards (deploy-bundle.ts), move its databases by the stored
// mapping of the pair (as migration does), and import it into the target with overwrite.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { GitDeployResult } from '@taskdeck/contracts';
import type { TaskContext } from '../../plugin-api';
import type { SupersetClient } from '../../superset/client/superset-client';
import type { GitWorkTree } from '../../integrations/git/git-work-tree';
import { readContents, remapDatabases } from '../migration/bundle-contents';
import { writeBundle } from '../migration/bundle-zip';
import { deployBundle } from './deploy-bundle';
import { sectionOf } from './export-layout';

export interface DeployInput {
  tree: GitWorkTree;
  /** The environment whose folder is deployed; asked only to turn dashboard ids into uuids. */
  source: () => Promise<SupersetClient>;
  target: SupersetClient;
  sourceName: string;
  targetName: string;
  folder: string;
  ref: string;
  dashboardIds?: number[];
  /** Stored database mappings of the pair (source database uuid → target database uuid). */
  mappings: Record<string, string>;
  /** Opened passwords by database uuid. */
  passwords: Record<string, string>;
  workDir: string;
}

export async function runDeploy(
  input: DeployInput,
  context: TaskContext,
): Promise<GitDeployResult> {
  const log = context.logger;
  const { tree, folder } = input;
  const commit = await tree.resolve(input.ref);
  const paths = (await tree.listFiles(commit, `${folder}/`)).filter((p) =>
    sectionOf(p.slice(folder.length + 1)),
  );
  if (paths.length === 0) {
    throw new Error(
      `${input.ref} (${commit.slice(0, 12)}) holds no dashboards of "${input.sourceName}" (folder ${folder}/)`,
    );
  }
  const files = new Map<string, string>();
  for (const path of paths) {
    files.set(path.slice(folder.length + 1), await tree.readFile(commit, path));
  }
  log.info(`read ${files.size} file(s) of ${folder}/ at ${input.ref} (${commit.slice(0, 12)})`, {
    commit,
    files: files.size,
  });
  context.progress(20);
  context.signal.throwIfAborted();

  let uuids: string[] | undefined;
  if (input.dashboardIds) {
    const known = new Map((await (await input.source()).dashboards()).map((d) => [d.id, d.uuid]));
    const absent = input.dashboardIds.filter((id) => !known.has(id));
    if (absent.length) {
      throw new Error(`dashboard(s) ${absent.join(', ')} not found on "${input.sourceName}"`);
    }
    uuids = [...new Set(input.dashboardIds.map((id) => known.get(id)!))];
  }
  const { bundle, dashboards, missing } = deployBundle(files, uuids);
  for (const what of missing) {
    log.warning(`the repository lacks ${what}: Superset keeps what the target has of it`);
  }
  const mapping = new Map(Object.entries(input.mappings));
  const { bundle: rewritten, rewritten: moved } = remapDatabases(bundle, mapping);
  for (const file of moved) {
    log.info(`rewrote ${file.file}: ${file.key} ${file.from} → ${file.to} (stored mapping)`);
  }
  const passwords: Record<string, string> = {};
  for (const db of readContents(rewritten).databases) {
    const original = [...mapping].find(([, to]) => to === db.uuid)?.[0] ?? db.uuid;
    const password = input.passwords[db.uuid] ?? input.passwords[original];
    if (password !== undefined) passwords[db.file] = password;
  }
  log.info(
    `deploying ${dashboards.length} dashboard(s) into "${input.targetName}" with overwrite: ${dashboards.map((d) => d.title).join(', ')}`,
    { dashboards, files: rewritten.files.size },
  );
  context.progress(50);
  context.signal.throwIfAborted();

  const upload = join(input.workDir, 'deploy.zip');
  await writeFile(upload, writeBundle(rewritten));
  await input.target.importDashboards(upload, { overwrite: true, passwords });
  log.info(`imported ${dashboards.length} dashboard(s) into "${input.targetName}"`);
  context.progress(100);
  return { dashboards, commit };
}
