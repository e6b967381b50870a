// Where the embedded cluster lives: `<DATA_DIR>/postgres`. Run by root in a directory the
// `postgres` user cannot enter (a clone in /root or in a `mktemp -d` folder), the default data
// directory's cluster goes to ROOT_CLUSTERS_DIR/<checkout>-<hash>, one per data directory, where
// that user can reach it; the rest of the data directory stays where it is. A DATA_DIR that was set
// is used exactly as given.
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, mkdir, realpath } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { EmbeddedPostgresError } from './embedded-postgres-error';
import { canEnter, type OsUser } from './postgres-os-user';

export const ROOT_CLUSTERS_DIR = '/var/lib/taskdeck';

export interface ClusterLocation {
  /** The cluster's directory (PGDATA). */
  dir: string;
  /** Set when the cluster is not under the data directory: why, for the start-up message. */
  relocated?: string;
}

export async function locateCluster(
  dataDir: string,
  user: OsUser | null,
  dataDirChosen: boolean,
): Promise<ClusterLocation> {
  const inDataDir = join(dataDir, 'postgres');
  if (!user) return { dir: inDataDir };
  // Our own directory may be private (mkdtemp makes 0700): open it to others for traversal.
  await chmod(dataDir, 0o755);
  if (await canEnter(user, dataDir)) return { dir: inDataDir };

  const blocked = await firstClosedAncestor(user, dataDir);
  if (dataDirChosen || existsSync(join(inDataDir, 'PG_VERSION'))) {
    throw new EmbeddedPostgresError(
      `runs as the "postgres" user, which cannot enter ${blocked}`,
      existsSync(join(inDataDir, 'PG_VERSION'))
        ? `Its cluster is in ${inDataDir}: let that user through (chmod o+x ${blocked}) or move the data directory.`
        : `Set DATA_DIR to a directory it can reach, or run Taskdeck as a regular user.`,
    );
  }
  const real = await realpath(dataDir);
  const id = createHash('sha256').update(real).digest('hex').slice(0, 12);
  const checkout = basename(dirname(real)).replace(/[^A-Za-z0-9._-]/g, '_') || 'taskdeck';
  const home = join(ROOT_CLUSTERS_DIR, `${checkout}-${id}`);
  try {
    await mkdir(home, { recursive: true, mode: 0o755 });
    await chmod(ROOT_CLUSTERS_DIR, 0o755);
    await chmod(home, 0o755);
  } catch (error) {
    throw new EmbeddedPostgresError(
      `runs as the "postgres" user, which cannot enter ${blocked}, and ${home} could not be made (${(error as Error).message})`,
      'Set DATA_DIR to a directory that user can reach, or run Taskdeck as a regular user.',
    );
  }
  return {
    dir: join(home, 'postgres'),
    relocated: `the "postgres" user it runs as cannot enter ${blocked}`,
  };
}

async function firstClosedAncestor(user: OsUser, dir: string): Promise<string> {
  const chain: string[] = [];
  for (let d = dir; ; d = dirname(d)) {
    chain.unshift(d);
    if (dirname(d) === d) break;
  }
  for (const d of chain) if (!(await canEnter(user, d))) return d;
  return dir;
}
