// A restore: a backup ZIP from storage imported into an environment (the one it came from or
// another) through Superset's own import. Databases new to the target need their passwords (the
// export masks them); the run says which before it calls Superset.
import type { BackupDatabase, RestoreResult } from '@taskdeck/contracts';
import { parse } from 'yaml';
import type { TaskContext } from '../../plugin-api';
import type { StorageService } from '../../storage/storage.service';
import type { SupersetClient } from '../../superset/client/superset-client';
import { readZipFile } from './backup-zip';

/** Superset's mask for a password in an exported SQLAlchemy URI. */
const PASSWORD_MASK = 'XXXXXXXXXX';

export interface BackupContents {
  root: string;
  metadata: { version?: unknown; type?: unknown } | undefined;
  dashboards: { file: string; title: string; uuid: string }[];
  databases: { file: string; name: string; uuid: string; maskedPassword: boolean }[];
  entries: number;
}

/** What a backup ZIP holds, read entry by entry (only metadata, dashboards and databases parsed). */
export async function readBackupContents(
  absolutePath: string,
  signal?: AbortSignal,
  options: { everyEntry?: boolean } = {},
): Promise<BackupContents> {
  const contents: BackupContents = {
    root: '',
    metadata: undefined,
    dashboards: [],
    databases: [],
    entries: 0,
  };
  const roots = new Set<string>();
  contents.entries = await readZipFile(
    absolutePath,
    (entry) => {
      const slash = entry.name.indexOf('/');
      const file = entry.name.slice(slash + 1);
      if (!/\.ya?ml$/i.test(file)) return;
      let doc: Record<string, unknown>;
      try {
        doc = parse(Buffer.from(entry.data).toString('utf8')) as Record<string, unknown>;
      } catch (error) {
        throw new Error(`${file} is not valid YAML: ${(error as Error).message.split('\n')[0]}`, {
          cause: error,
        });
      }
      if (!doc || typeof doc !== 'object') throw new Error(`${file} holds no YAML mapping`);
      if (file === 'metadata.yaml') contents.metadata = doc;
      else if (file.startsWith('dashboards/')) {
        contents.dashboards.push({
          file,
          title: String(doc.dashboard_title),
          uuid: String(doc.uuid),
        });
      } else if (file.startsWith('databases/')) {
        contents.databases.push({
          file,
          name: String(doc.database_name),
          uuid: String(doc.uuid),
          maskedPassword:
            typeof doc.sqlalchemy_uri === 'string' &&
            doc.sqlalchemy_uri.includes(`:${PASSWORD_MASK}@`),
        });
      }
    },
    (name) => {
      const slash = name.indexOf('/');
      if (slash > 0) roots.add(name.slice(0, slash));
      if (options.everyEntry) return true;
      return /^[^/]+\/(metadata\.yaml|dashboards\/[^/]+\.ya?ml|databases\/[^/]+\.ya?ml)$/.test(
        name,
      );
    },
    signal,
  );
  if (roots.size !== 1) {
    throw new Error(
      `not a Superset export: ${roots.size === 0 ? 'no files in a folder' : `${roots.size} root folders`}`,
    );
  }
  contents.root = [...roots][0];
  return contents;
}

/** Checks what Superset's import checks first (metadata.yaml: version 1.0.0, type Dashboard). */
export function metadataProblem(contents: BackupContents): string | undefined {
  if (!contents.metadata) return 'it has no metadata.yaml';
  if (contents.metadata.version !== '1.0.0') {
    return `metadata.yaml has version ${JSON.stringify(contents.metadata.version)}, not 1.0.0`;
  }
  if (contents.metadata.type !== undefined && contents.metadata.type !== 'Dashboard') {
    return `metadata.yaml has type ${JSON.stringify(contents.metadata.type)}, not Dashboard`;
  }
  return undefined;
}

/** The backup's databases as the target sees them. */
export async function databasesFor(
  contents: BackupContents,
  target: SupersetClient,
): Promise<BackupDatabase[]> {
  const onTarget = new Set((await target.databases()).map((d) => d.uuid.toLowerCase()));
  return contents.databases.map((db) => {
    const present = onTarget.has(db.uuid.toLowerCase());
    return {
      uuid: db.uuid,
      name: db.name,
      file: db.file,
      onTarget: present,
      needsPassword: !present && db.maskedPassword,
    };
  });
}

export interface RestoreSides {
  client: SupersetClient;
  storage: StorageService;
  environmentId: string;
  environmentName: string;
  /** Opened passwords by database uuid. */
  passwords: Record<string, string>;
}

export async function runRestore(
  sides: RestoreSides,
  params: { path: string; overwrite?: boolean },
  context: TaskContext,
): Promise<RestoreResult> {
  const fileLog = context.logger.withSource('storage');
  const overwrite = params.overwrite ?? false;
  const file = await sides.storage.stat(params.path);
  if (file.category !== 'backups') throw new Error(`${file.path} is not a backup`);
  const absolute = await sides.storage.resolve(file.path);
  context.progress(0, 'reading the backup');
  fileLog.debug(`reading ${file.path} (${file.size} bytes)`, { path: file.path, bytes: file.size });
  const contents = await readBackupContents(absolute, context.signal);
  const problem = metadataProblem(contents);
  if (problem) throw new Error(`${file.path} cannot be restored: ${problem}`);
  fileLog.info(
    `${file.path} holds ${contents.dashboards.length} dashboard(s) and ${contents.databases.length} database(s)`,
    { path: file.path, entries: contents.entries },
  );
  context.progress(20, 'checking the target’s databases');
  context.signal.throwIfAborted();

  const databases = await databasesFor(contents, sides.client);
  const passwords: Record<string, string> = {};
  const missing: string[] = [];
  for (const db of databases) {
    const password = sides.passwords[db.uuid.toLowerCase()];
    if (password !== undefined && !db.onTarget) passwords[db.file] = password;
    else if (db.needsPassword) missing.push(`"${db.name}" (${db.uuid})`);
  }
  if (missing.length) {
    throw new Error(
      `"${sides.environmentName}" lacks database(s) ${missing.join(', ')}: give their passwords to restore`,
    );
  }
  context.progress(40, 'importing');
  context.signal.throwIfAborted();
  fileLog.info(
    `restoring ${file.path} into "${sides.environmentName}"${overwrite ? ', overwriting' : ''}`,
    { path: file.path, overwrite, newDatabases: Object.keys(passwords) },
  );
  await sides.client.importDashboards(absolute, { passwords, overwrite });
  context.progress(100);
  return {
    restored: file.path,
    environmentId: sides.environmentId,
    dashboards: contents.dashboards.length,
    databases: contents.databases.map((d) => d.name),
    overwrite,
  };
}
