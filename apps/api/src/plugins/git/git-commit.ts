// The commit action's I/O edge: export the dashboards, lay the files out in the work tree
// (export-layout.ts decides where and how), stage the environment's folder and commit, or say
// that nothing changed. The caller holds the repository's lock and has prepared the work tree.
import { mkdir, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { dirname, join, relative, sep } from 'node:path';
import { strFromU8 } from 'fflate';
import type { GitCommitResult } from '@taskdeck/contracts';
import type { TaskContext } from '../../plugin-api';
import type { SupersetClient } from '../../superset/client/superset-client';
import type { GitWorkTree } from '../../integrations/git/git-work-tree';
import { DEFAULT_BUNDLE_LIMITS, readBundle, UnsafeBundleError } from '../migration/bundle-zip';
import { commitMessage, planLayout, withCoAuthor } from './export-layout';

export interface CommitInput {
  client: SupersetClient;
  tree: GitWorkTree;
  environmentName: string;
  folder: string;
  dashboardIds?: number[];
  message?: string;
  /** The Taskdeck user who ran the task (the co-author), when known. */
  username: string | null;
  /** An empty folder of this run's own. */
  workDir: string;
}

export async function runCommit(
  input: CommitInput,
  context: TaskContext,
): Promise<GitCommitResult> {
  const log = context.logger;
  const { client, tree, folder } = input;
  const all = await client.dashboards();
  const complete = input.dashboardIds === undefined;
  const ids = complete ? all.map((d) => d.id) : [...new Set(input.dashboardIds)];
  const known = new Map(all.map((d) => [d.id, d]));
  const absent = ids.filter((id) => !known.has(id));
  if (absent.length) {
    throw new Error(`dashboard(s) ${absent.join(', ')} not found on "${input.environmentName}"`);
  }
  const titles = ids.map((id) => known.get(id)!.dashboard_title ?? `#${id}`);
  log.info(
    `committing ${complete ? 'every dashboard' : `${ids.length} dashboard(s)`} of "${input.environmentName}" into ${folder}/`,
    { dashboardIds: ids },
  );
  context.progress(20);
  context.signal.throwIfAborted();

  const exported = new Map<string, string>();
  if (ids.length) {
    const zip = join(input.workDir, 'export.zip');
    await client.exportDashboards(ids, zip);
    const { size } = await stat(zip);
    if (size > DEFAULT_BUNDLE_LIMITS.maxZipBytes) {
      throw new UnsafeBundleError(`${size} bytes, more than ${DEFAULT_BUNDLE_LIMITS.maxZipBytes}`);
    }
    const bundle = readBundle(new Uint8Array(await readFile(zip)));
    for (const [path, data] of bundle.files) exported.set(path, strFromU8(data));
  }
  context.progress(50);
  context.signal.throwIfAborted();

  const root = join(tree.dir, folder);
  const existing = await readFolder(root);
  const plan = planLayout(exported, existing, complete);
  for (const [path, text] of plan.writes) {
    const target = inside(root, path);
    if (existing.get(path) === text) continue;
    await mkdir(dirname(target), { recursive: true });
    await writeFile(target, text);
  }
  for (const path of plan.deletes) await rm(inside(root, path), { force: true });
  log.info(`${plan.writes.size} file(s) written, ${plan.deletes.length} deleted under ${folder}/`, {
    written: plan.writes.size,
    deleted: plan.deletes,
  });
  context.progress(80);

  const staged = await tree.stage(folder);
  if (staged.length === 0) {
    log.info(
      `nothing changed in ${ids.length} dashboard(s) of "${input.environmentName}" since the last commit: no commit made`,
    );
    context.progress(100);
    return { commit: null, filesChanged: 0 };
  }
  const message = withCoAuthor(
    input.message ?? commitMessage(input.environmentName, titles),
    input.username,
  );
  const commit = await tree.commit(message, staged.length);
  log.info(`committed ${commit.slice(0, 12)}: ${message.split('\n')[0]}`, {
    commit,
    filesChanged: staged.length,
    files: staged.slice(0, 100),
  });
  context.progress(100);
  return { commit, filesChanged: staged.length };
}

/** Every file under `root` (relative, `/`-separated) with its text; none when it is absent. */
async function readFolder(root: string): Promise<Map<string, string>> {
  const files = new Map<string, string>();
  let entries;
  try {
    entries = await readdir(root, { recursive: true, withFileTypes: true });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return files;
    throw error;
  }
  for (const entry of entries) {
    if (!entry.isFile()) continue;
    const absolute = join(entry.parentPath, entry.name);
    files.set(relative(root, absolute).split(sep).join('/'), await readFile(absolute, 'utf8'));
  }
  return files;
}

/** `root/path`, refused if it would leave `root` (sectionOf already refuses such paths). */
function inside(root: string, path: string): string {
  const target = join(root, path);
  if (!target.startsWith(root + sep)) throw new Error(`refused to write outside ${root}: ${path}`);
  return target;
}
