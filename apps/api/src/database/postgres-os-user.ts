// PostgreSQL refuses to run as root. Started by root, the embedded cluster runs as the system user
// `postgres` (created when missing), which then has to be able to enter the cluster's directory.
import { execFile, spawn } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface OsUser {
  uid: number;
  gid: number;
}

/** The user the cluster's processes run as: null for "this process's own user" (not root). */
export async function postgresOsUser(): Promise<OsUser | null> {
  if (process.getuid?.() !== 0) return null;
  const lookup = async (): Promise<OsUser> => {
    const [{ stdout: uid }, { stdout: gid }] = await Promise.all([
      run('id', ['-u', 'postgres']),
      run('id', ['-g', 'postgres']),
    ]);
    return { uid: Number(uid.trim()), gid: Number(gid.trim()) };
  };
  try {
    return await lookup();
  } catch {
    await run('groupadd', ['--system', 'postgres']).catch(() => undefined);
    await run('useradd', ['--system', '--no-create-home', '-g', 'postgres', 'postgres']);
    return lookup();
  }
}

/** Whether `user` may enter and read `dir` (asked of the kernel, as that user). */
export function canEnter(user: OsUser | null, dir: string): Promise<boolean> {
  if (!user) return Promise.resolve(true);
  return new Promise((resolve) => {
    const child = spawn('sh', ['-c', 'cd -- "$1" && ls -- . >/dev/null', 'sh', dir], {
      uid: user.uid,
      gid: user.gid,
      stdio: 'ignore',
    });
    child.once('error', () => resolve(false));
    child.once('exit', (code) => resolve(code === 0));
  });
}
