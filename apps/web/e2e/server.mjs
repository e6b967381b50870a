// The real Taskdeck server for browser tests: the built app, its own embedded PostgreSQL under a
// temporary data directory (the newcomer's path), restartable on the same port and data.
import { spawn } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const ADMIN = { username: 'admin', password: 'admin-password-e2e' };

export async function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.on('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

export class TaskdeckServer {
  constructor(port) {
    this.port = port;
    this.url = `http://127.0.0.1:${port}`;
    this.dataDir = mkdtempSync(join(tmpdir(), 'taskdeck-e2e-'));
    this.output = '';
  }

  async start() {
    const env = {
      ...process.env,
      NODE_ENV: 'production',
      PORT: String(this.port),
      DATA_DIR: this.dataDir,
      ADMIN_PASSWORD: ADMIN.password,
      INSTANCE_ID: 'e2e',
    };
    delete env.DATABASE_URL; // the embedded PostgreSQL, as on a fresh machine
    delete env.REDIS_URL;
    this.child = spawn(process.execPath, [join(ROOT, 'dist/api/apps/api/src/main.js')], {
      cwd: ROOT,
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout.on('data', (c) => (this.output += c));
    this.child.stderr.on('data', (c) => (this.output += c));
    this.exited = new Promise((done) => this.child.once('exit', done));
    for (let i = 0; i < 600; i++) {
      if (this.child.exitCode !== null) throw new Error(`server exited:\n${this.output}`);
      try {
        if ((await fetch(`${this.url}/api/health`)).ok) return;
      } catch {
        // not yet
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error(`server did not start:\n${this.output}`);
  }

  async stop() {
    if (!this.child || this.child.exitCode !== null) return;
    this.child.kill('SIGTERM');
    await this.exited;
  }

  async api(method, path, body, token) {
    const headers = { 'content-type': 'application/json' };
    if (token) headers.authorization = `Bearer ${token}`;
    const res = await fetch(`${this.url}${path}`, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} → ${res.status} ${text}`);
    return text ? JSON.parse(text) : undefined;
  }

  async token(username, password) {
    return (await this.api('POST', '/api/auth/login', { username, password })).accessToken;
  }
}
