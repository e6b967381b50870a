// Before the superset tier: the cached venv (installed on first use), instances A and B running,
// each seeded once. Their addresses and seeds are in state.json / seed.json under the temp dir.
import { startInstance } from '../../../../scripts/superset/instance';
import { seedInstance } from '../../../../scripts/superset/seed';
import { ensureVenv } from '../../../../scripts/superset/venv';

export const INSTANCES = ['a', 'b'];

export default async function globalSetup(): Promise<void> {
  const log = (line: string): void => void process.stdout.write(`[superset tier] ${line}\n`);
  await ensureVenv(log);
  for (const name of INSTANCES) {
    const state = await startInstance(name, log);
    await seedInstance(state, (line) => log(`${name}: ${line}`));
  }
}
