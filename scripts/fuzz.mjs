// `npm run fuzz`: the hostile-input suite (apps/api/test/fuzz.int-spec.ts) for longer than in
// `npm test`, with a new seed each time (printed, so a failure can be replayed).
//   npm run fuzz                      20,000 REST inputs and 5,000 socket inputs, random seed
//   npm run fuzz -- 100000            that many REST inputs (a quarter as many socket inputs)
//   FUZZ_SEED=123 npm run fuzz        replay a seed
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const runs = Number(process.argv[2] ?? 20_000);
const seed = process.env.FUZZ_SEED ?? String(Math.floor(Math.random() * 2 ** 31));
process.stdout.write(`fuzz: ${runs} REST inputs, seed ${seed}\n`);
const child = spawn(
  'npx',
  [
    'jest',
    '--config',
    'apps/api/jest.config.js',
    'fuzz.int-spec',
    '--selectProjects',
    'integration',
  ],
  {
    cwd: root,
    stdio: 'inherit',
    env: { ...process.env, FUZZ_RUNS: String(runs), FUZZ_SEED: seed, FUZZ_LONG: '1' },
  },
);
child.on('exit', (code) => process.exit(code ?? 1));
