// The HTTP figures: what a request costs through Taskdeck's whole HTTP path (express, helmet, the
// access log, the auth guard, validation, the controller, the query, serialisation) on the built
// server, each against a bare node:http server (lib/http-floor-server.ts) in the same run that
// answers the same path with the same JSON bytes: the floor. Latency: one keep-alive connection,
// requests one after another, Taskdeck and floor alternating request by request. Throughput:
// autocannon, 32 keep-alive connections, Taskdeck and floor alternating run by run. The page and
// stats are measured once more against a second floor, a bare node:http server running the same
// statement and writing the same JSON (lib/http-query-floor-server.ts): what the route costs over
// its query, and what the query alone costs through HTTP on this machine.
import http from 'node:http';
import autocannon from 'autocannon';
import type { Dataset } from '../lib/dataset';
import { figure, type FigureResult } from '../lib/figure';
import { startHttpFloor, startQueryFloor, type FloorProcess } from '../lib/http-floor';
import type { BenchOptions } from '../lib/options';
import { cpuTimePreciseMs, type BenchServer } from '../lib/server';
import { nowMs, summarize } from '../lib/stats';

const WARMUP = 300;
export const THROUGHPUT_CONNECTIONS = 32;

interface Answer {
  status: number;
  body: string;
}

/** GET over one keep-alive connection, with the bench's token (the floor gets the same header). */
function client(
  base: string,
  token: string,
): { get(path: string): Promise<Answer>; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const { hostname, port } = new URL(base);
  const headers = { authorization: `Bearer ${token}`, accept: 'application/json' };
  return {
    get: (path) =>
      new Promise<Answer>((resolve, reject) => {
        const req = http.request({ hostname, port, path, agent, headers }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (chunk: Buffer) => chunks.push(chunk));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }),
          );
          res.on('error', reject);
        });
        req.on('error', reject);
        req.end();
      }),
    close: () => agent.destroy(),
  };
}

/** Milliseconds per request, Taskdeck and the floor alternating (which goes first alternates too). */
async function latencies(
  taskdeck: (path: string) => Promise<Answer>,
  floor: (path: string) => Promise<Answer>,
  path: string,
  reps: number,
): Promise<{ values: number[]; baseline: number[] }> {
  const timed = async (get: (p: string) => Promise<Answer>): Promise<number> => {
    const start = nowMs();
    const answer = await get(path);
    const ms = nowMs() - start;
    if (answer.status !== 200) throw new Error(`GET ${path} → ${answer.status}`);
    return ms;
  };
  for (let i = 0; i < WARMUP; i++) {
    await timed(taskdeck);
    await timed(floor);
  }
  const values: number[] = [];
  const baseline: number[] = [];
  for (let i = 0; i < reps; i++) {
    if (i % 2 === 0) {
      values.push(await timed(taskdeck));
      baseline.push(await timed(floor));
    } else {
      baseline.push(await timed(floor));
      values.push(await timed(taskdeck));
    }
  }
  return { values, baseline };
}

interface Run {
  /** 2xx responses per second. */
  rate: number;
  /** The server process's CPU time per response, milliseconds. */
  cpuPerRequest: number;
}

/** What autocannon reached in one run (2xx only; anything else fails the run), and the server's CPU. */
async function throughput(url: string, token: string, seconds: number, pid: number): Promise<Run> {
  const cpuBefore = await cpuTimePreciseMs(pid);
  const result = await autocannon({
    url,
    connections: THROUGHPUT_CONNECTIONS,
    duration: seconds,
    headers: { authorization: `Bearer ${token}`, accept: 'application/json' },
  });
  if (result.non2xx || result.errors || result.timeouts) {
    throw new Error(
      `autocannon ${url}: ${result.non2xx} non-2xx, ${result.errors} errors, ${result.timeouts} timeouts`,
    );
  }
  const cpu = (await cpuTimePreciseMs(pid)) - cpuBefore;
  return { rate: result['2xx'] / (result.duration || seconds), cpuPerRequest: cpu / result['2xx'] };
}

export async function httpFigures(
  options: BenchOptions,
  server: BenchServer,
  data: Dataset,
  databaseUrl: string,
  log: (line: string) => void,
): Promise<FigureResult[]> {
  const { httpReps, httpSeconds, httpThroughputReps } = options.sizes;
  const task = data.bigTaskId;
  const n = data.bigTaskEntries;
  const deep = Math.floor(n * 0.9);
  const routes = {
    me: '/api/auth/me',
    page: `/api/tasks/${task}/logs?limit=100&afterSeq=${deep}`,
    stats: `/api/tasks/${task}/logs/stats`,
  };
  const taskdeck = client(server.url, server.token);
  const floorServer = await startHttpFloor();
  const floor = client(floorServer.url, server.token);
  let queryFloorServer: FloorProcess | undefined;
  let queryFloor: ReturnType<typeof client> | undefined;
  const results: FigureResult[] = [];
  try {
    // The floor answers with exactly the bytes Taskdeck answered.
    const bodies: Record<string, string> = {};
    const sizes: Record<string, number> = {};
    for (const path of Object.values(routes)) {
      const answer = await taskdeck.get(path);
      if (answer.status !== 200) throw new Error(`GET ${path} → ${answer.status}: ${answer.body}`);
      bodies[path] = answer.body;
      sizes[path] = Buffer.byteLength(answer.body);
    }
    await floorServer.serve(bodies);
    for (const path of Object.values(routes)) {
      const copy = await floor.get(path);
      if (copy.body !== bodies[path]) {
        throw new Error(`the floor's ${path} differs from Taskdeck's`);
      }
    }
    const page = JSON.parse(bodies[routes.page]) as { items: { seq: number }[] };
    if (page.items.length !== 100 || page.items[0].seq !== deep + 1) {
      throw new Error(`GET ${routes.page}: not the page of 100 after seq ${deep}`);
    }
    const common =
      `${httpReps} GETs over one keep-alive connection on loopback after ${WARMUP} untimed ones, ` +
      'Taskdeck (the built server, NODE_ENV=production, access log at INFO) and the floor alternating ' +
      'request by request; time from the request written to the whole body read (node:http client). ' +
      'Floor: a bare node:http server in a child process answering the same path with the same bytes.';

    const me = await latencies(taskdeck.get, floor.get, routes.me, httpReps);
    results.push(
      figure({
        id: 'http-me',
        title: 'GET /api/auth/me through HTTP',
        unit: 'ms',
        values: me.values,
        baselineTitle: `bare node:http, same ${sizes[routes.me]} bytes`,
        baselineValues: me.baseline,
        target: 'p50 ≤ 2 × floor p50',
        judge: (_v, _b, ratio) => ratio !== null && ratio <= 2,
        notes: [
          common,
          'An authenticated trivial route: helmet, the access log, the auth guard (token + user, both cached), the handler, JSON.',
        ],
      }),
    );
    log(
      `  /auth/me: median ${summarize(me.values).median.toFixed(3)} ms vs floor ${summarize(me.baseline).median.toFixed(3)} ms`,
    );

    const pageTimes = await latencies(taskdeck.get, floor.get, routes.page, httpReps);
    results.push(
      figure({
        id: 'http-page',
        title: `page of 100 through HTTP (after seq ${deep.toLocaleString('en')} of ${n.toLocaleString('en')})`,
        unit: 'ms',
        values: pageTimes.values,
        baselineTitle: `bare node:http, same ${sizes[routes.page].toLocaleString('en')} bytes`,
        baselineValues: pageTimes.baseline,
        target: 'p95 ≤ 2.5 ms',
        ratioBasis: 'p95',
        judge: (v) => v.p95 <= 2.5,
        notes: [common, `GET ${routes.page.replace(task, ':id')} on the queries group's data set.`],
      }),
    );
    log(
      `  page: p95 ${summarize(pageTimes.values).p95.toFixed(3)} ms vs floor ${summarize(pageTimes.baseline).p95.toFixed(3)} ms`,
    );

    const stats = await latencies(taskdeck.get, floor.get, routes.stats, httpReps);
    results.push(
      figure({
        id: 'http-stats',
        title: `stats of the ${n.toLocaleString('en')}-entry task through HTTP`,
        unit: 'ms',
        values: stats.values,
        baselineTitle: `bare node:http, same ${sizes[routes.stats]} bytes`,
        baselineValues: stats.baseline,
        target: 'p95 ≤ 1 ms',
        ratioBasis: 'p95',
        judge: (v) => v.p95 <= 1,
        notes: [common],
      }),
    );
    log(
      `  stats: p95 ${summarize(stats.values).p95.toFixed(3)} ms vs floor ${summarize(stats.baseline).p95.toFixed(3)} ms`,
    );

    // The same page and stats against the query floor: the same statement and JSON, no framework.
    queryFloorServer = await startQueryFloor(databaseUrl);
    queryFloor = client(queryFloorServer.url, server.token);
    for (const path of [routes.page, routes.stats]) {
      const copy = await queryFloor.get(path);
      if (copy.body !== bodies[path]) {
        throw new Error(
          `the query floor's ${path} differs from Taskdeck's: ${copy.body.slice(0, 200)}`,
        );
      }
    }
    const queryFloorNote =
      `${httpReps} GETs each, as in the rows above, Taskdeck and the query floor alternating. Query floor: a bare ` +
      'node:http server in a child process that runs the statement the route runs (pageQuery or STATS_SQL, a ' +
      "named prepared statement in pg's text-row mode, on its own pg pool) and writes the same JSON " +
      "(logPageJson, statsOfCounters); its answers are checked to equal Taskdeck's bytes before timing. The ratio is " +
      "what the route costs over its query; the query floor's own p95 is what any server running that query " +
      'reaches on this machine.';
    const overQuery = [
      { id: 'page', path: routes.page, title: 'page of 100' },
      { id: 'stats', path: routes.stats, title: 'stats' },
    ];
    for (const { id, path, title } of overQuery) {
      const times = await latencies(taskdeck.get, queryFloor.get, path, httpReps);
      results.push(
        figure({
          id: `http-${id}-query-floor`,
          title: `${title} through HTTP, against the same statement without a framework`,
          unit: 'ms',
          values: times.values,
          baselineTitle: 'bare node:http + pg, same statement and bytes',
          baselineValues: times.baseline,
          target: 'reported against the query floor',
          notes: [queryFloorNote],
        }),
      );
      const [value, base] = [summarize(times.values), summarize(times.baseline)];
      log(
        `  ${id} over its query: median ${value.median.toFixed(3)} ms vs query floor ${base.median.toFixed(3)} ms ` +
          `(p95 ${value.p95.toFixed(3)} vs ${base.p95.toFixed(3)})`,
      );
    }

    const runs: Run[] = [];
    const floorRuns: Run[] = [];
    const queryFloorRuns: Run[] = [];
    const servers = [
      { url: server.url, pid: server.pid, runs },
      { url: floorServer.url, pid: floorServer.pid, runs: floorRuns },
      { url: queryFloorServer.url, pid: queryFloorServer.pid, runs: queryFloorRuns },
    ];
    for (let rep = 0; rep < httpThroughputReps; rep++) {
      // Each goes first in turn.
      for (let i = 0; i < servers.length; i++) {
        const { url, pid, runs: into } = servers[(rep + i) % servers.length];
        into.push(await throughput(url + routes.page, server.token, httpSeconds, pid));
      }
    }
    const rates = runs.map((r) => r.rate);
    const floorRates = floorRuns.map((r) => r.rate);
    results.push(
      figure({
        id: 'http-throughput',
        title: `GET /logs?limit=100, ${THROUGHPUT_CONNECTIONS} keep-alive clients`,
        unit: 'req/s',
        values: rates,
        baselineTitle: 'bare node:http, same bytes',
        baselineValues: floorRates,
        higherIsBetter: true,
        target: 'reported against the floor',
        notes: [
          `autocannon in the bench process, ${THROUGHPUT_CONNECTIONS} connections, ${httpSeconds} s per run, ` +
            `${httpThroughputReps} runs each, Taskdeck and the floor alternating; the deep page of http-page. ` +
            'The client shares the 2 cores with the server (and, for Taskdeck, with PostgreSQL).',
        ],
      }),
    );
    log(
      `  throughput: ${summarize(rates).median.toFixed(0)} req/s vs floor ${summarize(floorRates).median.toFixed(0)} req/s`,
    );
    // CPU per request does not depend on how much of the machine the server got, unlike the rate.
    const cpu = runs.map((r) => r.cpuPerRequest);
    const floorCpu = floorRuns.map((r) => r.cpuPerRequest);
    results.push(
      figure({
        id: 'http-cpu',
        title: `server CPU per GET /logs?limit=100 (${THROUGHPUT_CONNECTIONS} clients)`,
        unit: 'ms',
        values: cpu,
        baselineTitle: 'bare node:http, same bytes',
        baselineValues: floorCpu,
        target: 'reported against the floor',
        notes: [
          'CPU time of the server process (all its threads, /proc schedstat) over each throughput run, ÷ its 2xx responses: ' +
            "what one request costs the server, whatever share of the machine it got. Taskdeck's includes the pg driver, " +
            "not PostgreSQL's own CPU.",
        ],
      }),
    );
    log(
      `  CPU per request: ${summarize(cpu).median.toFixed(3)} ms vs floor ${summarize(floorCpu).median.toFixed(3)} ms`,
    );
    const queryFloorCpu = queryFloorRuns.map((r) => r.cpuPerRequest);
    results.push(
      figure({
        id: 'http-cpu-query-floor',
        title: `server CPU per GET /logs?limit=100 (${THROUGHPUT_CONNECTIONS} clients), against the same statement without a framework`,
        unit: 'ms',
        values: cpu,
        baselineTitle: 'bare node:http + pg, same statement and bytes',
        baselineValues: queryFloorCpu,
        target: 'reported against the query floor',
        notes: [
          'The same throughput runs as the row above, the query floor (see the latency rows against it) taking its turn ' +
            `in each: ${summarize(queryFloorRuns.map((r) => r.rate)).median.toFixed(0)} req/s median. Both include the pg ` +
            "driver's work, neither PostgreSQL's: the difference is what Taskdeck's HTTP path (express, helmet, the access " +
            'log, the guard, validation, Nest) costs per request.',
        ],
      }),
    );
    log(
      `  CPU per request over its query: ${summarize(cpu).median.toFixed(3)} ms vs query floor ${summarize(queryFloorCpu).median.toFixed(3)} ms`,
    );
  } finally {
    taskdeck.close();
    floor.close();
    queryFloor?.close();
    await floorServer.close();
    await queryFloorServer?.close();
  }
  return results;
}
