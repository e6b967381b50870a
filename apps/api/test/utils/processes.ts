// /proc helpers for the tests that crash a server on purpose and look at what it leaves behind.
import { readFile, readdir } from 'node:fs/promises';

/** Every live descendant of `pid` (children, their children, …) with its command line. */
export async function descendants(pid: number): Promise<{ pid: number; command: string }[]> {
  const parents = new Map<number, number>();
  for (const name of await readdir('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = await readFile(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] !== 'Z') parents.set(Number(name), Number(fields[1]));
    } catch {
      // exited meanwhile
    }
  }
  const found: { pid: number; command: string }[] = [];
  const walk = async (parent: number): Promise<void> => {
    for (const [child, ppid] of parents) {
      if (ppid !== parent) continue;
      const command = await readFile(`/proc/${child}/cmdline`, 'utf8').catch(() => '');
      found.push({ pid: child, command: command.replace(/\0/g, ' ').trim() });
      await walk(child);
    }
  };
  await walk(pid);
  return found;
}

/** Alive and not a zombie. */
export async function isRunning(pid: number): Promise<boolean> {
  try {
    const stat = await readFile(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The postmaster's pid from a cluster's postmaster.pid, or null without one. */
export async function postmasterPid(clusterDir: string): Promise<number | null> {
  try {
    return Number((await readFile(`${clusterDir}/postmaster.pid`, 'utf8')).split('\n')[0]);
  } catch {
    return null;
  }
}
