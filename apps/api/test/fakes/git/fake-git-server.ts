// A git server over HTTPS on loopback, as GitHub, GitLab or Gitea serve one: git's own smart HTTP
// (`git http-backend` as a CGI) behind Basic authentication with a token. Tests point a repository
// at it to see how the token travels, and read `authorizations` afterwards.
import { spawn } from 'node:child_process';
import { execFileSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';

export class FakeGitServer {
  /** Every Authorization header received, in order ('' for none). */
  readonly authorizations: string[] = [];
  url = '';
  /** The CA file git must trust (GIT_SSL_CAINFO). */
  caFile = '';
  private server?: Server;

  private constructor(
    readonly root: string,
    private readonly token: string,
  ) {}

  /** Serves the bare repositories under a fresh root; `repository` is created empty. */
  static async start(token: string, repository = 'dashboards.git'): Promise<FakeGitServer> {
    const root = await mkdtemp(join(tmpdir(), 'taskdeck-git-server-'));
    execFileSync('git', [
      'init',
      '--quiet',
      '--bare',
      '--initial-branch=main',
      join(root, repository),
    ]);
    execFileSync('git', [
      'config',
      '--file',
      join(root, repository, 'config'),
      'http.receivepack',
      'true',
    ]);
    const fake = new FakeGitServer(root, token);
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
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        join(root, 'key.pem'),
        '-out',
        join(root, 'cert.pem'),
      ],
      { stdio: 'ignore' },
    );
    fake.caFile = join(root, 'cert.pem');
    fake.server = createServer(
      {
        key: await readFile(join(root, 'key.pem')),
        cert: await readFile(join(root, 'cert.pem')),
      },
      (req, res) => fake.handle(req, res),
    );
    await new Promise<void>((resolve) => fake.server!.listen(0, '127.0.0.1', resolve));
    fake.url = `https://127.0.0.1:${(fake.server.address() as AddressInfo).port}`;
    return fake;
  }

  async stop(): Promise<void> {
    await new Promise<void>((resolve) => this.server?.close(() => resolve()) ?? resolve());
    await rm(this.root, { recursive: true, force: true });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const auth = req.headers.authorization ?? '';
    this.authorizations.push(auth);
    const expected = `Basic ${Buffer.from(`x-access-token:${this.token}`).toString('base64')}`;
    if (auth !== expected) {
      res.writeHead(401, { 'WWW-Authenticate': 'Basic realm="git"' }).end('Unauthorized');
      return;
    }
    const url = new URL(req.url ?? '/', 'https://localhost');
    const cgi = spawn('git', ['http-backend'], {
      env: {
        PATH: process.env.PATH,
        GIT_PROJECT_ROOT: this.root,
        GIT_HTTP_EXPORT_ALL: '1',
        REMOTE_USER: 'token-user',
        REQUEST_METHOD: req.method,
        PATH_INFO: decodeURIComponent(url.pathname),
        QUERY_STRING: url.search.slice(1),
        CONTENT_TYPE: req.headers['content-type'] ?? '',
        HTTP_CONTENT_ENCODING: req.headers['content-encoding'] ?? '',
        GIT_PROTOCOL: String(req.headers['git-protocol'] ?? ''),
      },
    });
    req.pipe(cgi.stdin);
    const chunks: Buffer[] = [];
    cgi.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
    cgi.on('close', () => {
      const out = Buffer.concat(chunks);
      const split = out.indexOf('\r\n\r\n');
      const head = out.subarray(0, split).toString('latin1');
      const headers: Record<string, string> = {};
      let status = 200;
      for (const line of head.split('\r\n')) {
        const colon = line.indexOf(':');
        const name = line.slice(0, colon).trim();
        const value = line.slice(colon + 1).trim();
        if (name.toLowerCase() === 'status') status = Number.parseInt(value, 10);
        else if (name) headers[name] = value;
      }
      res.writeHead(status, headers).end(out.subarray(split + 4));
    });
  }
}
