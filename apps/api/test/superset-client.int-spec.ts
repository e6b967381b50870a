// The SupersetClient against the fake Superset (a real HTTP server on loopback): the shared contract
// (also run against a real Superset in the superset tier), then what only a fake can stage: latency,
// failures, expiring tokens, lost CSRF sessions, a smaller page cap, a timeout.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FakeSuperset, FAKE_ADMIN } from './fakes/superset';
import { clientFor, supersetClientContract, type ContractTarget } from './superset/client-contract';
import { supersetTransferContract } from './superset/transfer-contract';
import type { LoggedLine } from './superset/recording-logger';
import { SupersetClient, type SupersetConnection } from '../src/superset/client/superset-client';
import { recordingLogger } from './superset/recording-logger';

describe('SupersetClient on the fake Superset', () => {
  let fake: FakeSuperset;
  let connection: SupersetConnection;
  let target: ContractTarget;

  beforeAll(async () => {
    fake = await FakeSuperset.start({ versionString: '6.1.0' });
    fake.store.seed({ databases: 2, datasets: 4, charts: 6, dashboards: 2 });
    fake.store.seed({ dashboards: 230 });
    connection = {
      url: fake.url,
      username: FAKE_ADMIN.username,
      password: FAKE_ADMIN.password,
      provider: 'db',
      verifyTls: true,
    };
    target = { connection, minDashboards: 232, dashboardId: 1, datasetId: 1 };
  });
  afterAll(() => fake.stop());
  beforeEach(() => {
    fake.resetStats();
    fake.latencyMs = 0;
  });

  describe('contract', () => supersetClientContract(() => target));

  describe('transfer to another Superset', () => {
    let other: FakeSuperset;
    beforeAll(async () => {
      other = await FakeSuperset.start();
      other.store.seed({ databases: 1, datasets: 1, charts: 1, dashboards: 1 });
    });
    afterAll(() => other.stop());
    supersetTransferContract(() => ({
      source: connection,
      target: { ...connection, url: other.url },
      dashboardId: 1,
      databasePassword: 'password-of-the-database',
    }));
  });

  it('pages in parallel with at most 4 requests in flight, after the first page gave the count', async () => {
    const big = await FakeSuperset.start({ latencyMs: 15 });
    try {
      big.store.seed({ dashboards: 1000 });
      const client = clientFor({ ...connection, url: big.url });
      await client.login();
      big.resetStats();
      expect(await client.dashboards()).toHaveLength(1000);
      const pages = big.requests.map((r) => (r.q as { page: number }).page);
      expect(pages.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(big.peakInFlight).toBe(4);
      const first = big.requests.find((r) => (r.q as { page: number }).page === 0)!;
      const others = big.requests.filter((r) => r !== first);
      expect(Math.min(...others.map((r) => r.started))).toBeGreaterThanOrEqual(first.ended);
    } finally {
      await big.stop();
    }
  });

  it('reads all pages where Superset caps page_size below 100', async () => {
    fake.maxPageSize = 50;
    try {
      expect(await clientFor(connection).dashboards()).toHaveLength(232);
    } finally {
      fake.maxPageSize = 100;
    }
  });

  it('retries a 503 and a dropped connection on idempotent calls, with a WARNING, never an import', async () => {
    const lines: LoggedLine[] = [];
    const client = clientFor(connection, lines);
    fake.failNext({ path: /^\/api\/v1\/dataset\/1$/, method: 'GET', status: 503 });
    fake.failNext({ path: /^\/api\/v1\/dataset\/1$/, method: 'GET', mode: 'reset' });
    expect((await client.dataset(1)).id).toBe(1);
    const warnings = lines.filter((l) => l.level === 'WARNING');
    expect(warnings.map((w) => w.message)).toEqual([
      expect.stringMatching(/answered 503 to GET \/api\/v1\/dataset\/1.*; retry 1 of 3 in \d+ ms$/),
      expect.stringMatching(/cannot be reached .*; retry 2 of 3 in \d+ ms$/),
    ]);
    fake.failNext({ path: /^\/api\/v1\/dashboard\/import\/$/, method: 'POST', status: 503 });
    fake.resetStats();
    const error = await client.importDashboards(new Blob(['not a zip'])).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(
      /^Superset at http:\/\/127\.0\.0\.1:\d+ answered 503 to POST \/api\/v1\/dashboard\/import\/: Service Unavailable/,
    );
    expect(fake.requests.filter((r) => r.path === '/api/v1/dashboard/import/')).toHaveLength(1);
  });

  it('renews an expired token (refresh) or an unverifiable one (login), and refetches a lost CSRF session', async () => {
    const client = clientFor(connection);
    await client.datasets();
    fake.expireAccessTokens();
    fake.resetStats();
    expect((await client.datasets()).length).toBe(4);
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/v1/dataset/ 401',
      'POST /api/v1/security/refresh 200',
      'GET /api/v1/dataset/ 200',
    ]);
    fake.forgetTokens();
    fake.resetStats();
    expect((await client.datasets()).length).toBe(4);
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'GET /api/v1/dataset/ 422',
      'POST /api/v1/security/refresh 422',
      'POST /api/v1/security/login 200',
      'GET /api/v1/dataset/ 200',
    ]);
    const detail = await client.dataset(2);
    await client.updateDataset(2, { columns: detail.columns, metrics: detail.metrics });
    fake.dropSessions();
    fake.resetStats();
    await client.updateDataset(2, { columns: detail.columns, metrics: detail.metrics });
    expect(fake.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
      'PUT /api/v1/dataset/2 400',
      'GET /api/v1/security/csrf_token/ 200',
      'PUT /api/v1/dataset/2 200',
    ]);
    expect(
      fake.requests.filter((r) => r.method === 'PUT').every((r) => r.csrfHeader && r.sessionCookie),
    ).toBe(true);
  });

  it('logs each request under superset_api at DEBUG, and never a token, cookie or password', async () => {
    const lines: LoggedLine[] = [];
    const client = clientFor(connection, lines);
    const detail = await client.dataset(3);
    await client.updateDataset(3, { columns: detail.columns, metrics: detail.metrics });
    const api = lines.filter((l) => l.source === 'superset_api' && l.level === 'DEBUG');
    expect(api.map((l) => l.message)).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^POST \/api\/v1\/security\/login → 200 \(\d+ ms\)$/),
        expect.stringMatching(/^GET \/api\/v1\/security\/csrf_token\/ → 200 \(\d+ ms\)$/),
        expect.stringMatching(/^PUT \/api\/v1\/dataset\/3 → 200 \(\d+ ms\)$/),
      ]),
    );
    const requests = api.filter((l) => l.message.includes(' → '));
    expect(requests.length).toBeGreaterThanOrEqual(4);
    expect(
      requests.every((l) =>
        ['method', 'path', 'status', 'ms'].every((k) => k in (l.metadata ?? {})),
      ),
    ).toBe(true);
    const text = JSON.stringify(lines);
    expect(text).not.toContain(FAKE_ADMIN.password);
    expect(text).not.toMatch(/[0-9a-f]{48}/); // the fake's tokens are 48 hex digits
    expect(text).not.toMatch(/session=/);
  });

  it('gives up on a Superset that does not answer within the timeout, with a sentence', async () => {
    // undici's timers tick twice a second: a 200 ms timeout fires within about a second.
    fake.latencyMs = 3000;
    const client = new SupersetClient(connection, {
      logger: recordingLogger(),
      timeoutMs: 200,
      retries: 0,
    });
    const error = await client.login().catch((e: unknown) => e);
    expect((error as Error).message).toBe(
      `Superset at ${fake.url} did not answer POST /api/v1/security/login within 0.2 s`,
    );
  });

  it('refuses a self-signed certificate with a sentence, and accepts it with verifyTls off', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskdeck-tls-'));
    // A throwaway self-signed certificate for 127.0.0.1 (openssl ships with every Debian).
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=127.0.0.1',
        '-keyout',
        join(dir, 'key.pem'),
        '-out',
        join(dir, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    const secure = await FakeSuperset.start({
      tls: {
        key: readFileSync(join(dir, 'key.pem'), 'utf8'),
        cert: readFileSync(join(dir, 'cert.pem'), 'utf8'),
      },
    });
    try {
      const tls = { ...connection, url: secure.url };
      const refused = await clientFor(tls)
        .login()
        .catch((e: unknown) => e);
      expect((refused as Error).message).toBe(
        `Superset at ${secure.url} has a TLS certificate that cannot be verified (DEPTH_ZERO_SELF_SIGNED_CERT); fix the certificate, or turn off TLS verification for this environment if you trust it`,
      );
      await clientFor({ ...tls, verifyTls: false }).login();
      expect(secure.requests.map((r) => `${r.method} ${r.path} ${r.status}`)).toEqual([
        'POST /api/v1/security/login 200',
      ]);
    } finally {
      await secure.stop();
    }
  });

  it('reads the version from /version, and passes a cancel straight through', async () => {
    expect(await clientFor(connection).version()).toBe('6.1.0');
    const controller = new AbortController();
    fake.latencyMs = 200;
    const client = new SupersetClient(connection, {
      logger: recordingLogger(),
      signal: controller.signal,
    });
    const run = client.dashboards();
    setTimeout(() => controller.abort(new Error('cancelled by test')), 50);
    await expect(run).rejects.toThrow('cancelled by test');
  });
});
