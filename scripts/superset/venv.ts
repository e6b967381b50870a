// The cached virtual environment: Python found on the machine, apache-superset and the Postgres
// driver installed with pip under constraints.txt, a marker written once the install succeeded.
import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { PYTHON_VERSIONS, SCRIPT_DIR, SUPERSET_VERSION, venvDir } from './paths';

const run = promisify(execFile);

export interface Venv {
  dir: string;
  python: string;
  bin(name: string): string;
}

/** The machine's Python 3.10–3.12 (apache-superset 6.1 supports no other), or a reason. */
export async function findPython(): Promise<
  { command: string; version: string } | { reason: string }
> {
  for (const command of [...PYTHON_VERSIONS.map((v) => `python${v}`), 'python3']) {
    try {
      const { stdout } = await run(command, [
        '-c',
        'import sys, venv; print("%d.%d" % sys.version_info[:2])',
      ]);
      const version = stdout.trim();
      if (PYTHON_VERSIONS.includes(version)) return { command, version };
    } catch {
      // not this one
    }
  }
  return { reason: `no Python ${PYTHON_VERSIONS.join(', ')} with the venv module on this machine` };
}

async function requirementsKey(): Promise<string> {
  return (
    (await readFile(join(SCRIPT_DIR, 'requirements.txt'), 'utf8')) +
    (await readFile(join(SCRIPT_DIR, 'constraints.txt'), 'utf8'))
  );
}

/** The installed venv when its marker matches our pinned requirements; otherwise undefined. */
export async function installedVenv(): Promise<Venv | undefined> {
  for (const python of PYTHON_VERSIONS) {
    const dir = venvDir(python);
    const marker = join(dirname(dir), 'installed');
    if (existsSync(marker) && (await readFile(marker, 'utf8')) === (await requirementsKey())) {
      return venv(dir, python);
    }
  }
  return undefined;
}

function venv(dir: string, python: string): Venv {
  return { dir, python, bin: (name) => join(dir, 'bin', name) };
}

/** Installs once (several minutes), then answers from the cache in milliseconds. */
export async function ensureVenv(log: (line: string) => void): Promise<Venv> {
  const ready = await installedVenv();
  if (ready) return ready;
  const python = await findPython();
  if ('reason' in python) throw new Error(python.reason);
  const dir = venvDir(python.version);
  const started = Date.now();
  log(
    `installing apache-superset ${SUPERSET_VERSION} into ${dir} (a one-time cost of a few minutes)`,
  );
  await rm(dirname(dir), { recursive: true, force: true });
  await mkdir(dirname(dir), { recursive: true });
  await exec(python.command, ['-m', 'venv', dir], log);
  const pip = join(dir, 'bin', 'pip');
  await exec(pip, ['install', '--disable-pip-version-check', '--quiet', '--upgrade', 'pip'], log);
  await exec(
    pip,
    [
      'install',
      '--disable-pip-version-check',
      '--quiet',
      '-r',
      join(SCRIPT_DIR, 'requirements.txt'),
      '-c',
      join(SCRIPT_DIR, 'constraints.txt'),
    ],
    log,
  );
  await writeFile(join(dirname(dir), 'installed'), await requirementsKey());
  log(`installed in ${Math.round((Date.now() - started) / 1000)} s`);
  return venv(dir, python.version);
}

/** Runs a command quietly; rejects with the tail of its output when it fails. */
export function exec(
  command: string,
  args: string[],
  _log: (line: string) => void,
  env: NodeJS.ProcessEnv = process.env,
): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let tail = '';
    const take = (chunk: Buffer): void => {
      const text = chunk.toString();
      tail = (tail + text).slice(-4000);
    };
    child.stdout.on('data', take);
    child.stderr.on('data', take);
    child.on('error', reject);
    child.on('exit', (code) =>
      code === 0
        ? resolve()
        : reject(new Error(`${command} ${args[0] ?? ''} exited with ${code}:\n${tail}`)),
    );
  });
}
