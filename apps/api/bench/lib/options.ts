// Command line of `npm run bench`: --quick (smaller sizes, same figures), --check (exit 1 on FAIL),
// --only=a,b (run some figures: ingest, logcall, live, queries, http, memory, superset, search, queue, outage, backup; for profiling).

export interface BenchSizes {
  /** Entries of the one-task ingest run, and per task of the 8-task run. */
  ingestSingle: number;
  ingestPerTask: number;
  ingestReps: number;
  /** Entries of the big ingest task (stored/emitted, time to the last commit). */
  ingestBig: number;
  /** The outage figure: seconds of database pause and the task's rate. */
  outageSeconds: number;
  outageRate: number;
  logCallCalls: number;
  logCallReps: number;
  /** Seconds per live phase and how many times each phase runs. */
  liveSeconds: number;
  liveReps: number;
  /** The big task and the other tasks × their entries. */
  bigTask: number;
  otherTasks: number;
  otherTaskEntries: number;
  fastQueryReps: number;
  slowQueryReps: number;
  rssIngestSeconds: number;
  rssPauseSeconds: number;
  /** Pickups measured per path, short tasks per throughput run, runs, and each worker's concurrency. */
  queuePickups: number;
  queueTasks: number;
  queueReps: number;
  queueConcurrency: number;
  /** Timed GETs per HTTP latency figure; seconds and runs of each HTTP throughput measurement. */
  httpReps: number;
  httpSeconds: number;
  httpThroughputReps: number;
}

export interface BenchOptions {
  quick: boolean;
  check: boolean;
  only: Set<string> | null;
  sizes: BenchSizes;
}

export const FIGURE_GROUPS = [
  'ingest',
  'logcall',
  'live',
  'queries',
  'http',
  'memory',
  'superset',
  'search',
  'queue',
  'outage',
  'backup',
] as const;

/** The full run's sizes (also what a quick run's figures are compared with). */
export const FULL_SIZES: BenchSizes = {
  ingestSingle: 100_000,
  ingestPerTask: 20_000,
  ingestReps: 5,
  ingestBig: 1_000_000,
  outageSeconds: 60,
  outageRate: 10_000,
  logCallCalls: 300_000,
  logCallReps: 9,
  liveSeconds: 10,
  liveReps: 3,
  bigTask: 1_000_000,
  otherTasks: 1_000,
  otherTaskEntries: 1_000,
  fastQueryReps: 200,
  slowQueryReps: 15,
  rssIngestSeconds: 60,
  rssPauseSeconds: 30,
  queuePickups: 200,
  queueTasks: 1000,
  queueReps: 3,
  queueConcurrency: 8,
  httpReps: 2000,
  httpSeconds: 10,
  httpThroughputReps: 3,
};

const QUICK: BenchSizes = {
  ingestSingle: 20_000,
  ingestPerTask: 4_000,
  ingestReps: 2,
  ingestBig: 200_000,
  outageSeconds: 10,
  outageRate: 10_000,
  logCallCalls: 100_000,
  logCallReps: 5,
  liveSeconds: 2.5,
  liveReps: 2,
  bigTask: 100_000,
  otherTasks: 100,
  otherTaskEntries: 1_000,
  fastQueryReps: 50,
  slowQueryReps: 5,
  rssIngestSeconds: 6,
  rssPauseSeconds: 3,
  queuePickups: 50,
  queueTasks: 300,
  queueReps: 2,
  queueConcurrency: 8,
  httpReps: 500,
  httpSeconds: 3,
  httpThroughputReps: 2,
};

export function parseOptions(argv: readonly string[]): BenchOptions {
  const quick = argv.includes('--quick');
  const onlyArg = argv.find((a) => a.startsWith('--only='));
  let only: Set<string> | null = null;
  if (onlyArg) {
    only = new Set(onlyArg.slice('--only='.length).split(',').filter(Boolean));
    for (const name of only) {
      if (!(FIGURE_GROUPS as readonly string[]).includes(name)) {
        throw new Error(
          `--only: unknown figure group "${name}" (one of ${FIGURE_GROUPS.join(', ')})`,
        );
      }
    }
  }
  for (const arg of argv) {
    if (!['--quick', '--check'].includes(arg) && !arg.startsWith('--only=')) {
      throw new Error(
        `unknown option ${arg} (use --quick, --check, --only=ingest,logcall,live,queries,http,memory,superset,queue,outage)`,
      );
    }
  }
  return { quick, check: argv.includes('--check'), only, sizes: quick ? QUICK : FULL_SIZES };
}
