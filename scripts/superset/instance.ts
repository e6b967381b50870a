// Starting and stopping instances from the command line or a test run: the supervisor runs
// detached (it outlives the command) and announces itself through state.json.
import { spawn } from 'node:child_process';
import { existsSync, openSync } from 'node:fs';
import { mkdir, readFile, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { instanceDir, REPO_ROOT, seedFile, stateFile, type InstanceState } from './paths';

export async function readState(name: string): Promise<InstanceState | undefined> {
  if (!existsSync(stateFile(name))) return undefined;
  const state = JSON.parse(await readFile(stateFile(name), 'utf8')) as InstanceState;
  try {
    process.kill(state.pid, 0);
  } catch {
    await rm(stateFile(name), { force: true });
    return undefined;
  }
  return state;
}

/** The running instance, or a new one (first start of an instance: a few minutes). */
export async function startInstance(
  name: string,
  log: (line: string) => void,
): Promise<InstanceState> {
  const running = await readState(name);
  if (running) {
    log(`${name}: already running at ${running.url}`);
    return running;
  }
  await mkdir(instanceDir(name), { recursive: true });
  const logFile = join(instanceDir(name), 'supervisor.log');
  const out = openSync(logFile, 'a');
  const child = spawn(
    process.execPath,
    [join(REPO_ROOT, 'node_modules/tsx/dist/cli.mjs'), join(__dirname, 'supervisor.ts'), name],
    {
      cwd: REPO_ROOT,
      detached: true,
      stdio: ['ignore', out, out],
    },
  );
  child.unref();
  const started = Date.now();
  for (;;) {
    const state = await readState(name);
    if (state) {
      log(`${name}: ready at ${state.url} after ${Math.round((Date.now() - started) / 1000)} s`);
      return state;
    }
    if (child.exitCode !== null || (child.pid !== undefined && !alive(child.pid))) {
      const tail = (await readFile(logFile, 'utf8')).split('\n').slice(-30).join('\n');
      throw new Error(`instance ${name} did not start:\n${tail}`);
    }
    if (Date.now() - started > 20 * 60_000) {
      throw new Error(`instance ${name} did not start within 20 minutes; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 1000));
  }
}

export async function stopInstance(
  name: string,
  log: (line: string) => void,
  forget = false,
): Promise<void> {
  const state = await readState(name);
  if (state) {
    process.kill(state.pid, 'SIGTERM');
    while (alive(state.pid)) await new Promise((r) => setTimeout(r, 200));
    log(`${name}: stopped`);
  }
  if (forget) {
    await rm(instanceDir(name), { recursive: true, force: true });
    log(`${name}: its data is gone`);
  } else if (existsSync(seedFile(name))) {
    log(`${name}: data kept in ${instanceDir(name)} (stop --forget removes it)`);
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}
