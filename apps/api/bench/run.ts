// `npm run bench [-- --quick] [-- --check]`: every figure of docs/benchmarks.md against its
// baseline, measured in this run on this machine. See apps/api/bench/README.md.
import { join } from 'node:path';
import { ensureApiBuilt, REPO_ROOT } from '../test/setup/build';
import { httpFigures } from './figures/http';
import { backupFigures } from './figures/backup';
import { ingestFigures } from './figures/ingest';
import { liveFigures } from './figures/live';
import { logCallFigure } from './figures/log-call';
import { memoryFigures } from './figures/memory';
import { outageFigures } from './figures/outage';
import { queryFigures } from './figures/queries';
import { supersetListingFigure } from './figures/superset-listing';
import { queueFigures } from './figures/queue';
import { supersetSearchFigure } from './figures/superset-search';
import { loadDataset } from './lib/dataset';
import { notMeasured, type FigureResult } from './lib/figure';
import { parseOptions, type BenchOptions } from './lib/options';
import {
  createBenchDatabase,
  dropBenchDatabase,
  postgresFacts,
  provideCluster,
  withClient,
  type PostgresFacts,
} from './lib/postgres';
import { consoleTable, machineFacts, writeReport, type Report } from './lib/report';
import { serverSettings, startServer, type BenchServer } from './lib/server';

const INGEST_DB = 'taskdeck_bench_ingest';
const QUERY_DB = 'taskdeck_bench_query';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** Runs one group of figures; a crash becomes a NOT MEASURED row with the reason, not a lost run. */
async function group(
  name: string,
  options: BenchOptions,
  figures: FigureResult[],
  work: () => Promise<FigureResult[]>,
): Promise<void> {
  if (options.only && !options.only.has(name)) return;
  const started = Date.now();
  log(`▶ ${name}`);
  try {
    figures.push(...(await work()));
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    log(`  ${name} failed: ${error instanceof Error ? error.stack : message}`);
    figures.push(notMeasured(name, name, '—', `the run failed: ${message.split('\n')[0]}`));
  }
  log(`  ${name}: ${((Date.now() - started) / 1000).toFixed(0)} s`);
}

async function withServer<T>(
  url: string,
  settings: ReturnType<typeof serverSettings>,
  work: (s: BenchServer) => Promise<T>,
): Promise<T> {
  const server = await startServer(url, settings);
  try {
    return await work(server);
  } catch (error) {
    log(`  server output (tail):\n${server.output().slice(-3000)}`);
    throw error;
  } finally {
    await server.stop();
  }
}

/** Everything that needs PostgreSQL; returns its facts for the report. */
async function databaseGroups(
  options: BenchOptions,
  settings: ReturnType<typeof serverSettings>,
  figures: FigureResult[],
): Promise<PostgresFacts> {
  const pg = await provideCluster();
  try {
    log(`PostgreSQL: ${pg.embedded ? 'embedded (temporary directory)' : 'DATABASE_URL'}`);
    const ingestUrl = await createBenchDatabase(pg, INGEST_DB);
    const facts = await postgresFacts(ingestUrl);
    log(facts.version);

    let queriesDone = false;
    // The query figures and the HTTP figures share one data set (a 1M-entry task): loaded once.
    const queries = async (): Promise<void> => {
      queriesDone = true;
      const wanted = ['queries', 'http'].filter((name) => !options.only || options.only.has(name));
      if (!wanted.length) return;
      let url: string;
      let data: Awaited<ReturnType<typeof loadDataset>>;
      try {
        url = await createBenchDatabase(pg, QUERY_DB);
        data = await withClient(url, (client) => loadDataset(client, options.sizes, log));
      } catch (error) {
        const reason = `the data set did not load: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
        log(`  ${reason}`);
        for (const name of wanted) figures.push(notMeasured(name, name, '—', reason));
        await dropBenchDatabase(pg, QUERY_DB).catch(() => undefined);
        return;
      }
      try {
        await group('queries', options, figures, () => queryFigures(options, url, data, log));
        // The built server on the same data set, against a bare node:http server.
        await group('http', options, figures, () =>
          withServer(url, settings, (server) => httpFigures(options, server, data, url, log)),
        );
      } finally {
        await dropBenchDatabase(pg, QUERY_DB);
      }
    };

    const serverGroups = ['ingest', 'live'].filter(
      (name) => !options.only || options.only.has(name),
    );
    if (serverGroups.length) {
      try {
        await withServer(ingestUrl, settings, async (server) => {
          // The query figures need no server: they run while it waits out its startup period
          // (SERVER_STARTUP_MS), which the ingest figures would otherwise sleep through.
          await queries();
          await group('ingest', options, figures, () =>
            ingestFigures(options, server, ingestUrl, log),
          );
          await group('live', options, figures, () =>
            liveFigures(options, server, () => startServer(ingestUrl, settings, server), log),
          );
        });
      } catch (error) {
        const reason = `the server did not start: ${(error instanceof Error ? error.message : String(error)).split('\n')[0]}`;
        log(`  ${reason}`);
        for (const name of serverGroups) {
          if (!figures.some((f) => f.id.startsWith(name))) {
            figures.push(notMeasured(name, name, '—', reason));
          }
        }
      }
    }

    if (!queriesDone) await queries();

    await group('memory', options, figures, async () => {
      await withClient(ingestUrl, (c) => c.query('TRUNCATE task_log_entries, task_log_counters'));
      // A fresh server: its RSS does not carry the heap of the figures before.
      return withServer(ingestUrl, settings, (server) =>
        memoryFigures(options, server, pg, settings, log),
      );
    });
    await group('outage', options, figures, async () => {
      await withClient(ingestUrl, (c) => c.query('TRUNCATE task_log_entries, task_log_counters'));
      return outageFigures(options, ingestUrl, pg, settings, log);
    });
    await dropBenchDatabase(pg, INGEST_DB);
    await group('queue', options, figures, () => queueFigures(options, pg, settings, log));
    return facts;
  } finally {
    await pg.stop();
  }
}

async function main(): Promise<number> {
  const options = parseOptions(process.argv.slice(2));
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const settings = serverSettings();
  const figures: FigureResult[] = [];
  log(`Taskdeck benchmarks (${options.quick ? 'quick' : 'full'})`);

  await group('logcall', options, figures, async () => [logCallFigure(options, settings)]);
  await group('superset', options, figures, () => supersetListingFigure(options, log));
  await group('search', options, figures, () => supersetSearchFigure(options, log));
  await group('backup', options, figures, () => backupFigures(options, log));

  await ensureApiBuilt();
  const facts = await databaseGroups(options, settings, figures);

  const report: Report = {
    mode: options.quick ? 'quick' : 'full',
    startedAt,
    durationSeconds: (Date.now() - started) / 1000,
    machine: machineFacts(facts, process.env.DATABASE_URL ? 'DATABASE_URL' : 'embedded'),
    settings,
    figures,
  };
  log('');
  log(consoleTable(figures));
  log('');
  if (options.only) {
    log('--only: partial run, docs/benchmarks.md not written');
  } else {
    await writeReport(
      report,
      join(REPO_ROOT, 'docs/benchmarks.md'),
      join(REPO_ROOT, 'docs/benchmarks.json'),
    );
    log(
      `written: docs/benchmarks.md, docs/benchmarks.json (${Math.round(report.durationSeconds)} s)`,
    );
  }
  const failed = figures.filter((f) => f.verdict === 'FAIL' || f.verdict === 'NOT MEASURED');
  if (failed.length) {
    log(`${failed.length} figure(s) FAIL or not measured: ${failed.map((f) => f.id).join(', ')}`);
  }
  return options.check && figures.some((f) => f.verdict === 'FAIL') ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    process.stderr.write(
      `bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exit(2);
  },
);
