// An exception in a subscriber, listener or timer callback, or a rejection nobody handles, is
// logged and the server keeps serving (it once took the process down: issue "settings bugs").
import { join } from 'node:path';
import { ApiClient, waitFor } from './utils/api-client';
import { startServerProcess, type ServerProcess } from './utils/server-process';
import { createTestDatabase, dropTestDatabase } from './utils/test-database';
import { TEST_ADMIN } from './utils/test-app';

describe('errors thrown where nobody can catch them', () => {
  let databaseUrl: string;
  let server: ServerProcess | undefined;

  beforeAll(async () => {
    databaseUrl = await createTestDatabase();
  });
  afterAll(async () => {
    await server?.kill('SIGTERM');
    await dropTestDatabase(databaseUrl);
  });

  it('are logged with their origin, and the server keeps serving', async () => {
    server = await startServerProcess({
      databaseUrl,
      nodeArgs: ['-r', join(__dirname, 'fixtures/throw-in-callbacks.cjs')],
    });
    server.child.kill('SIGUSR2');
    const expected = [
      'uncaught exception, the server keeps running: Error: thrown in a timer callback',
      'uncaught exception, the server keeps running: Error: thrown in an event listener',
      'RxJS subscriber error, the server keeps running: Error: thrown in an RxJS subscriber',
      'unhandled rejection, the server keeps running: Error: a rejection nobody handles',
    ];
    await waitFor(
      async () => (expected.every((line) => server!.output().includes(line)) ? true : undefined),
      10_000,
      `the four errors in the server log:\n${server.output().slice(-3000)}`,
    );
    expect(server.child.exitCode).toBeNull();
    const login = await new ApiClient(server.url).post<{ accessToken: string }>(
      '/api/auth/login',
      TEST_ADMIN,
    );
    expect(login.status).toBe(200);
    expect((await fetch(`${server.url}/api/health`)).status).toBe(200);
    // The stack goes with each line, so the bug can be found.
    expect(server.output()).toContain('throw-in-callbacks.cjs');
  });
});
