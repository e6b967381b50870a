// `npm run superset -- <command> [name…]`: a real Apache Superset for the `superset` test tier.
//   install          create the cached virtual environment (once; later runs reuse it)
//   start [a b …]    start instances (default: a), each with its own metadata and PostgreSQL
//   seed [a b …]     seed them through the REST API (idempotent)
//   stop [a b …]     stop them; `stop --forget` also deletes their data
//   status           what is installed and running
//   available        exit 0 when the tier can run here (installed, or Python and PyPI answer)
import { execFile } from 'node:child_process';
import { readdir } from 'node:fs/promises';
import { promisify } from 'node:util';
import { dirname } from 'node:path';
import { startInstance, stopInstance, readState } from './instance';
import { instanceDir, SUPERSET_VERSION } from './paths';
import { seedInstance } from './seed';
import { ensureVenv, findPython, installedVenv } from './venv';

const log = (line: string): void => void process.stdout.write(`${line}\n`);

async function main(): Promise<void> {
  const [command = 'status', ...rest] = process.argv.slice(2);
  const forget = rest.includes('--forget');
  const names = rest.filter((a) => !a.startsWith('--'));
  const instances = names.length ? names : ['a'];
  switch (command) {
    case 'install': {
      const started = Date.now();
      const venv = await ensureVenv(log);
      log(
        `apache-superset ${SUPERSET_VERSION} ready in ${venv.dir} (${Math.round((Date.now() - started) / 1000)} s)`,
      );
      return;
    }
    case 'start':
      for (const name of instances) await startInstance(name, log);
      return;
    case 'seed':
      for (const name of instances) {
        const state = (await readState(name)) ?? (await startInstance(name, log));
        await seedInstance(state, (line) => log(`${name}: ${line}`));
      }
      return;
    case 'stop':
      for (const name of names.length ? names : await runningNames()) {
        await stopInstance(name, log, forget);
      }
      return;
    case 'status': {
      const venv = await installedVenv();
      const python = await findPython();
      log(
        venv
          ? `installed: apache-superset ${SUPERSET_VERSION} in ${venv.dir}`
          : `not installed (${'reason' in python ? python.reason : `python ${python.version} found`})`,
      );
      for (const name of await runningNames()) {
        const state = await readState(name);
        log(`${name}: ${state ? `running at ${state.url} (pid ${state.pid})` : 'stopped'}`);
      }
      return;
    }
    case 'available': {
      const reason = await unavailable();
      if (reason) throw new Error(`the superset tier cannot run here: ${reason}`);
      log('the superset tier can run here');
      return;
    }
    default:
      throw new Error(
        `unknown command "${command}": install, start, seed, stop, status or available`,
      );
  }
}

/** Why the tier cannot run on this machine, or undefined when it can. */
async function unavailable(): Promise<string | undefined> {
  if (await installedVenv()) return undefined;
  const python = await findPython();
  if ('reason' in python) return python.reason;
  try {
    await promisify(execFile)(
      python.command,
      ['-m', 'pip', 'index', 'versions', 'apache-superset', '--disable-pip-version-check'],
      { timeout: 60_000 },
    );
    return undefined;
  } catch {
    return 'PyPI did not answer (pip index versions apache-superset failed)';
  }
}

async function runningNames(): Promise<string[]> {
  try {
    return await readdir(dirname(instanceDir('x')));
  } catch {
    return [];
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
  process.exit(1);
});
