// The work tree against real git: a bare repository on disk as the remote (file://).
import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gitEnvironment, GitOperationError, GitWorkTree } from './git-work-tree';

const author = { name: 'Taskdeck Bot', email: 'bot@example.com' };

describe('GitWorkTree (real git, a bare repository as the remote)', () => {
  let base: string;
  let remote: string;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'taskdeck-git-spec-'));
    remote = join(base, 'remote.git');
    execFileSync('git', ['init', '--quiet', '--bare', '--initial-branch=main', remote]);
  });
  afterEach(() => rm(base, { recursive: true, force: true }));

  const tree = (name: string) =>
    new GitWorkTree({
      dir: join(base, name),
      branch: 'main',
      remoteUrl: `file://${remote}`,
      author,
    });

  async function commitFile(t: GitWorkTree, path: string, text: string): Promise<string> {
    await mkdir(join(t.dir, 'prod'), { recursive: true });
    await writeFile(join(t.dir, 'prod', path), text);
    const staged = await t.stage('prod');
    return t.commit(`change ${path}`, staged.length);
  }

  it('creates the work tree, commits as the author, pushes and is pulled elsewhere', async () => {
    const a = tree('a');
    await a.prepare();
    expect(await a.head()).toBeUndefined();
    const hash = await commitFile(a, 'x.yaml', 'a: 1\n');
    expect(await a.push()).toBe(hash);

    const b = tree('b');
    await b.prepare();
    const pulled = await b.pull();
    expect(pulled.head).toBe(hash);
    expect(await readFile(join(b.dir, 'prod/x.yaml'), 'utf8')).toBe('a: 1\n');
    const [last] = await b.history(20);
    expect(last).toMatchObject({
      hash,
      message: 'change x.yaml',
      authorName: 'Taskdeck Bot',
      authorEmail: 'bot@example.com',
      files: ['prod/x.yaml'],
    });
  });

  it('refuses a push the remote would have to lose commits for, and never forces', async () => {
    const a = tree('a');
    await a.prepare();
    await commitFile(a, 'x.yaml', 'a: 1\n');
    await a.push();
    const b = tree('b');
    await b.prepare();
    await b.pull();
    const theirs = await commitFile(b, 'y.yaml', 'b: 1\n');
    await b.push();

    await commitFile(a, 'z.yaml', 'c: 1\n');
    await expect(a.push()).rejects.toThrow(/push rejected: origin\/main has commits/);
    const remoteHead = execFileSync('git', ['--git-dir', remote, 'rev-parse', 'main'])
      .toString()
      .trim();
    expect(remoteHead).toBe(theirs);
  });

  it('aborts a conflicting merge, names the files and leaves the work tree as it was', async () => {
    const a = tree('a');
    await a.prepare();
    await commitFile(a, 'x.yaml', 'a: 1\n');
    await a.push();
    const b = tree('b');
    await b.prepare();
    await b.pull();
    await commitFile(b, 'x.yaml', 'a: 2\n');
    await b.push();
    const mine = await commitFile(a, 'x.yaml', 'a: 3\n');

    const error = await a.pull().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GitOperationError);
    expect((error as Error).message).toMatch(
      /conflicts in 1 file\(s\): prod\/x\.yaml; the merge was aborted/,
    );
    expect(await a.head()).toBe(mine);
    expect(await readFile(join(a.dir, 'prod/x.yaml'), 'utf8')).toBe('a: 3\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: a.dir }).toString()).toBe('');
  });

  it('cleans what an interrupted operation left, on the next prepare', async () => {
    const a = tree('a');
    await a.prepare();
    await commitFile(a, 'x.yaml', 'a: 1\n');
    await writeFile(join(a.dir, 'prod/x.yaml'), 'half-written');
    await writeFile(join(a.dir, 'prod/stray.yaml'), 'stray');
    await a.prepare();
    expect(await readFile(join(a.dir, 'prod/x.yaml'), 'utf8')).toBe('a: 1\n');
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: a.dir }).toString()).toBe('');
  });

  it('a new work tree starts from the remote branch, so its first commit continues the history', async () => {
    const a = tree('a');
    await a.prepare();
    const theirs = await commitFile(a, 'x.yaml', 'a: 1\n');
    await a.push();
    const b = tree('b');
    await b.prepare();
    expect(await b.head()).toBe(theirs);
    await commitFile(b, 'y.yaml', 'b: 1\n');
    await expect(b.push()).resolves.toMatch(/^[0-9a-f]{40}$/);
  });

  it('cleans leftovers before the first commit too', async () => {
    const a = new GitWorkTree({ dir: join(base, 'local'), branch: 'main', remoteUrl: '', author });
    await a.prepare();
    await mkdir(join(a.dir, 'prod'), { recursive: true });
    await writeFile(join(a.dir, 'prod/half.yaml'), 'x');
    await a.stage('prod');
    await a.prepare();
    expect(execFileSync('git', ['status', '--porcelain'], { cwd: a.dir }).toString()).toBe('');
    expect(await a.head()).toBeUndefined();
  });

  it('reads files at a ref and refuses refs that name nothing or look like options', async () => {
    const a = tree('a');
    await a.prepare();
    const first = await commitFile(a, 'x.yaml', 'a: 1\n');
    await commitFile(a, 'x.yaml', 'a: 2\n');
    expect(await a.listFiles(first, 'prod/')).toEqual(['prod/x.yaml']);
    expect(await a.readFile(first, 'prod/x.yaml')).toBe('a: 1\n');
    await expect(a.resolve('nope')).rejects.toThrow(/names no commit/);
    await expect(a.resolve('--output=/tmp/x')).rejects.toThrow(GitOperationError);
  });

  it('gives the token to git through the environment only, scoped to the remote origin', () => {
    const env = gitEnvironment({
      remoteUrl: 'https://git.example.com/team/dash.git',
      token: 'tok-123',
      author,
    });
    const keys = Object.keys(env).filter((k) => /^GIT_CONFIG_KEY_/.test(k));
    const header = keys.find((k) => env[k].endsWith('.extraHeader'))!;
    expect(env[header]).toBe('http.https://git.example.com/.extraHeader');
    const value = env[header.replace('KEY', 'VALUE')];
    expect(Buffer.from(value.replace('Authorization: Basic ', ''), 'base64').toString()).toBe(
      'x-access-token:tok-123',
    );
    expect(
      Object.values(gitEnvironment({ remoteUrl: 'file:///x', token: 'tok-123', author })).join(),
    ).not.toContain(Buffer.from('x-access-token:tok-123').toString('base64'));
  });
});
