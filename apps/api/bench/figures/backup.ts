// Figure: the backup plugin's run over 1,000 dashboards of a fake Superset (20 ms per request, each
// dashboard ≈ 200 KB of its export ZIP), in chunks of 50 merged into one ZIP written to storage:
// the peak RSS growth of this process over its idle RSS, and the wall time against the fake's own
// time to serve the same export requests one after the other (bodies read and dropped). The fake
// runs in a child process so that its seeded store is not in this process's RSS.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import type { TaskLogger } from '../../src/plugin-api';
import { recordingTaskContext } from '../../src/plugin-api/testing/recording-task-context';
import { chunk, DEFAULT_CHUNK_SIZE } from '../../src/plugins/backup/backup-names';
import { runBackup } from '../../src/plugins/backup/backup-run';
import { StorageService } from '../../src/storage/storage.service';
import { SupersetClient } from '../../src/superset/client/superset-client';
import { FAKE_ADMIN } from '../../test/fakes/superset';
import { REPO_ROOT } from '../../test/setup/build';
import { figure, type FigureResult } from '../lib/figure';
import type { BenchOptions } from '../lib/options';

const LATENCY_MS = 20;
const DASHBOARD_ZIP_BYTES = 200 * 1024;
const MiB = 1024 * 1024;

const silent: TaskLogger = {
  debug: () => undefined,
  info: () => undefined,
  warning: () => undefined,
  error: () => undefined,
  withSource: () => silent,
};

async function startFake(dashboards: number): Promise<{ url: string; child: ChildProcess }> {
  const child = spawn(
    join(REPO_ROOT, 'node_modules/.bin/tsx'),
    [
      join(__dirname, '../lib/fake-superset-process.ts'),
      JSON.stringify({
        latencyMs: LATENCY_MS,
        dashboards,
        // Stored as it is in the export ZIP (as Superset does): ≈ 200 KB per dashboard.
        descriptionBytes: DASHBOARD_ZIP_BYTES,
      }),
    ],
    { stdio: ['pipe', 'pipe', 'inherit'] },
  );
  const url = await new Promise<string>((resolve, reject) => {
    let text = '';
    child.stdout.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n')[0];
      if (text.includes('\n')) resolve((JSON.parse(line) as { url: string }).url);
    });
    child.once('exit', (code) => reject(new Error(`the fake Superset exited (${code})`)));
  });
  return { url, child };
}

function gc(): void {
  (globalThis as { gc?: () => void }).gc?.();
}

export async function backupFigures(
  options: BenchOptions,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const dashboards = options.quick ? 200 : 1000;
  const { url, child } = await startFake(dashboards);
  const dir = await mkdtemp(join(tmpdir(), 'taskdeck-bench-backup-'));
  try {
    const client = new SupersetClient(
      {
        url,
        username: FAKE_ADMIN.username,
        password: FAKE_ADMIN.password,
        provider: 'db',
        verifyTls: true,
      },
      { logger: silent },
    );
    await client.login();
    const storage = new StorageService({ root: join(dir, 'storage') });
    await storage.onModuleInit();
    const { context } = recordingTaskContext({ taskId: 'bench', logger: silent });
    const ids = (await client.dashboards()).map((d) => d.id).sort((a, b) => a - b);

    const serve = async (): Promise<number> => {
      const started = performance.now();
      for (const part of chunk(ids, DEFAULT_CHUNK_SIZE)) {
        await client.exportDashboards(part, new Writable({ write: (_c, _e, cb) => cb() }));
      }
      return performance.now() - started;
    };
    const backup = async (): Promise<{ ms: number; peak: number; idle: number; size: number }> => {
      gc();
      let peak = process.memoryUsage.rss();
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage.rss())), 10);
      const started = performance.now();
      try {
        const result = await runBackup(
          {
            client,
            storage,
            environmentName: 'bench',
            now: () => new Date(Date.now() + Math.random() * 1e9),
          },
          { environmentId: 'bench', keep: 1 },
          context,
        );
        if (result.dashboards !== ids.length) throw new Error(`${result.dashboards} backed up`);
        return { ms: performance.now() - started, peak, idle, size: result.files[0].size };
      } finally {
        clearInterval(sampler);
        peak = Math.max(peak, process.memoryUsage.rss());
      }
    };

    const reps = options.quick ? 1 : 3;
    const walls: number[] = [];
    const serves: number[] = [];
    const growth: number[] = [];
    let size = 0;
    await serve(); // warm-up: connections, JIT
    // Idle: the process warmed up (logged in, listed, one sequential pass of the exports read).
    gc();
    await new Promise((r) => setTimeout(r, 200));
    const idle = process.memoryUsage.rss();
    for (let i = 0; i < reps; i++) {
      serves.push(await serve());
      const run = await backup();
      walls.push(run.ms);
      growth.push((run.peak - run.idle) / MiB);
      size = run.size;
    }
    log(
      `  backup: ${walls.map((v) => v.toFixed(0)).join(', ')} ms vs serve ${serves.map((v) => v.toFixed(0)).join(', ')} ms; RSS growth ${growth.map((v) => v.toFixed(1)).join(', ')} MiB; ZIP ${(size / MiB).toFixed(1)} MiB`,
    );
    const title = `${dashboards.toLocaleString('en')} dashboards, ${LATENCY_MS} ms per request, ≈ 200 KB each (fake Superset)`;
    const notes = [
      `runBackup (the plugin's run): the dashboard list, then ${Math.ceil(dashboards / DEFAULT_CHUNK_SIZE)} export requests of ${DEFAULT_CHUNK_SIZE} ids, each ZIP (entries stored, as Superset writes them) streamed into one merged ZIP (fflate format, entries deflated by zlib at level 6) written atomically to storage; merged ZIP ${(size / MiB).toFixed(1)} MiB`,
      'the fake Superset runs in a child process (its store holds the 200 KB descriptions); it builds each export ZIP in memory as Superset does',
    ];
    return [
      figure({
        id: 'backup-wall',
        title: `backup wall time: ${title}`,
        unit: 'ms',
        values: walls,
        baselineTitle: 'the same export requests served in sequence, bodies dropped',
        baselineValues: serves,
        target: '≤ 1.5× baseline',
        judge: (_v, _b, ratio) => ratio !== null && ratio <= 1.5,
        notes,
        details: { dashboards, latencyMs: LATENCY_MS, zipBytes: size },
      }),
      figure({
        id: 'backup-rss',
        title: `backup peak RSS growth over idle: ${title}`,
        unit: 'MiB',
        values: growth,
        target: '≤ 64 MiB',
        judge: (value) => value.max <= 64,
        notes: [
          ...notes,
          'RSS sampled every 10 ms during each run, minus the idle RSS taken once after the warm-up (login, list, one sequential pass of the same exports with bodies dropped)',
        ],
      }),
    ];
  } finally {
    child.stdin?.end();
    child.kill();
    await rm(dir, { recursive: true, force: true });
  }
}
