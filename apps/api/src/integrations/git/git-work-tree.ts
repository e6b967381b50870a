// A repository's work tree, driven through simple-git over the git CLI (docs/architecture.md
// says why). Every operation is logged under `git` at INFO with its command, ref, files changed
// and duration, when a task's logger is given.
//
// Credentials: the token of an https remote reaches git as an `http.<origin>/.extraHeader`
// through GIT_CONFIG_COUNT/KEY/VALUE environment variables: never on a command line (which `ps`
// shows to every user), never in the remote URL or anything else written to .git/config.
import { mkdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { simpleGit, type SimpleGit } from 'simple-git';
import type { TaskLogger } from '../../plugin-api';

export interface GitIdentity {
  name: string;
  email: string;
}

export interface WorkTreeOptions {
  /** Absolute path of the work tree. */
  dir: string;
  branch: string;
  /** '' for a local-only repository. */
  remoteUrl: string;
  token?: string;
  author: GitIdentity;
  /** The task's logger; git lines go to its `git` source. */
  logger?: TaskLogger;
  signal?: AbortSignal;
}

export interface CommitFiles {
  hash: string;
  message: string;
  authorName: string;
  authorEmail: string;
  date: string;
  files: string[];
}

/** A git failure with a sentence a user can act on; the stderr (never a token) in `detail`. */
export class GitOperationError extends Error {
  constructor(
    message: string,
    readonly detail?: string,
  ) {
    super(message);
    this.name = 'GitOperationError';
  }
}

const REMOTE = 'origin';

/**
 * What git gets of the server's environment: enough to run and reach a remote (a proxy, a private
 * CA). Nothing else — no EDITOR, PAGER or GIT_* setting of the host can change what git does.
 */
const PASSED_THROUGH = [
  'PATH',
  'HOME',
  'TMPDIR',
  'SYSTEMROOT',
  'HTTPS_PROXY',
  'https_proxy',
  'NO_PROXY',
  'no_proxy',
  'SSL_CERT_FILE',
  'SSL_CERT_DIR',
  'GIT_SSL_CAINFO',
  'GIT_SSL_CAPATH',
];

/**
 * The environment every git process of ours gets. simple-git refuses `GIT_*` variables it is not
 * told about: `allowEnvironment` lists exactly these keys.
 */
export function gitEnvironment(
  options: Pick<WorkTreeOptions, 'remoteUrl' | 'token' | 'author'>,
): Record<string, string> {
  const env: Record<string, string> = {};
  for (const key of PASSED_THROUGH) {
    const value = process.env[key];
    if (value !== undefined) env[key] = value;
  }
  Object.assign(env, {
    // Never wait for a password prompt; fail instead.
    GIT_TERMINAL_PROMPT: '0',
    // Only the remotes the API accepts (and nothing a hostile submodule could name).
    GIT_ALLOW_PROTOCOL: 'file:https',
    // Messages in English, for the reasons we read from them.
    LC_ALL: 'C',
    LANG: 'C',
    GIT_AUTHOR_NAME: options.author.name,
    GIT_AUTHOR_EMAIL: options.author.email,
    GIT_COMMITTER_NAME: options.author.name,
    GIT_COMMITTER_EMAIL: options.author.email,
  });
  const config: [string, string][] = [
    // A work tree of ours never signs (no key, no agent on a server) nor converts line ends.
    ['commit.gpgSign', 'false'],
    ['core.autocrlf', 'false'],
  ];
  if (options.token && options.remoteUrl.startsWith('https://')) {
    // Scoped to the remote's origin: a redirect elsewhere never gets the token.
    const origin = new URL(options.remoteUrl).origin;
    const basic = Buffer.from(`x-access-token:${options.token}`).toString('base64');
    config.push([`http.${origin}/.extraHeader`, `Authorization: Basic ${basic}`]);
  }
  env.GIT_CONFIG_COUNT = String(config.length);
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

export class GitWorkTree {
  private git?: SimpleGit;
  private readonly log?: TaskLogger;

  constructor(private readonly options: WorkTreeOptions) {
    this.log = options.logger?.withSource('git');
  }

  /**
   * Asks the remote for its branches (`git ls-remote`), without a work tree: whether it answers
   * with these credentials, and whether the branch exists there yet.
   */
  async probeRemote(): Promise<{ branchExists: boolean }> {
    if (!this.options.remoteUrl) throw new GitOperationError('the repository has no remote');
    const started = performance.now();
    try {
      const out = await this.client(tmpdir()).raw([
        'ls-remote',
        '--heads',
        this.options.remoteUrl,
        `refs/heads/${this.options.branch}`,
      ]);
      this.log?.info(
        `git ls-remote ${this.options.branch} (${Math.round(performance.now() - started)} ms)`,
      );
      return { branchExists: out.trim() !== '' };
    } catch (error) {
      throw failure('ls-remote', error);
    }
  }

  /** simple-git bound to the work tree (which must exist: prepare() creates it). */
  private client(baseDir = this.options.dir): SimpleGit {
    if (baseDir !== this.options.dir) return this.simpleGit(baseDir);
    this.git ??= this.simpleGit(baseDir);
    return this.git;
  }

  private simpleGit(baseDir: string): SimpleGit {
    const env = gitEnvironment(this.options);
    return simpleGit({
      baseDir,
      binary: 'git',
      maxConcurrentProcesses: 1,
      trimmed: false,
      ...(this.options.signal ? { abort: this.options.signal } : {}),
      allowEnvironment: Object.keys(env).filter((key) => key.startsWith('GIT_')),
      // Our own GIT_CONFIG_* entries (the token's header): nothing of a user's reaches them.
      unsafe: { allowUnsafeConfigEnvCount: true },
      // Every non-zero exit is a failure (simple-git's default lets one without stderr pass,
      // e.g. a merge that stopped on a conflict).
      errors: (error, result) => {
        if (error) return error;
        if (result.exitCode === 0) return undefined;
        const output = Buffer.concat(result.stdErr.length ? result.stdErr : result.stdOut);
        return new Error(output.toString('utf8').trim() || `git exited with ${result.exitCode}`);
      },
    }).env(env);
  }

  get dir(): string {
    return this.options.dir;
  }

  get branch(): string {
    return this.options.branch;
  }

  /** Whether the work tree exists (a first operation creates it). */
  async exists(): Promise<boolean> {
    try {
      return (await stat(join(this.options.dir, '.git'))).isDirectory();
    } catch {
      return false;
    }
  }

  /**
   * Makes the work tree ready for an operation: created (and the remote's branch fetched) on first
   * use, the remote URL as configured now, on the branch, and clean — a merge or changes left by
   * an operation that was cut short are undone, with a WARNING.
   */
  async prepare(): Promise<void> {
    const { dir, branch, remoteUrl } = this.options;
    const created = !(await this.exists());
    if (created) {
      await mkdir(dir, { recursive: true });
      await this.run(['init', '--quiet', `--initial-branch=${branch}`], { ref: branch });
    }
    const remotes = (await this.raw(['remote'])).split('\n').filter(Boolean);
    if (remoteUrl && !remotes.includes(REMOTE)) {
      await this.raw(['remote', 'add', REMOTE, remoteUrl]);
    } else if (remoteUrl) await this.raw(['remote', 'set-url', REMOTE, remoteUrl]);
    else if (remotes.includes(REMOTE)) await this.raw(['remote', 'remove', REMOTE]);

    if (created && remoteUrl) {
      // Start from what the remote holds, so a first commit continues its history (a commit on
      // a root of its own could never be pushed or merged).
      await this.fetch();
      const remoteRef = `refs/remotes/${REMOTE}/${branch}`;
      if (await this.refExists(remoteRef)) {
        await this.raw(['reset', '--hard', '--quiet', remoteRef]);
        this.log?.info(`the work tree starts from ${REMOTE}/${branch}`);
      }
    }
    if (await this.pathExists('.git/MERGE_HEAD')) {
      this.log?.warning('a merge left unfinished by an earlier operation is aborted');
      await this.raw(['merge', '--abort']);
    }
    const dirty = await this.raw(['status', '--porcelain']);
    if (dirty.trim()) {
      this.log?.warning('changes left in the work tree by an earlier operation are discarded', {
        files: dirty.trim().split('\n').length,
      });
      if (await this.head()) await this.raw(['reset', '--hard', '--quiet']);
      // Before a first commit there is nothing to reset to: unstage everything instead.
      else await this.raw(['rm', '-r', '-q', '--cached', '--ignore-unmatch', '--', '.']);
      await this.raw(['clean', '-fd', '--quiet']);
    }
    await this.checkoutBranch();
  }

  /** The branch's commit, or undefined before the first commit. */
  async head(): Promise<string | undefined> {
    try {
      return (
        (await this.raw(['rev-parse', '--verify', '--quiet', 'HEAD^{commit}'])).trim() || undefined
      );
    } catch {
      return undefined;
    }
  }

  /** Stages everything under `folder` (additions, changes, deletions); the staged paths. */
  async stage(folder: string): Promise<string[]> {
    await this.raw(['add', '--all', '--', folder]);
    return (await this.raw(['diff', '--cached', '--name-only', '-z'])).split('\0').filter(Boolean);
  }

  /** Commits what is staged; the new commit's hash. */
  async commit(message: string, filesChanged: number): Promise<string> {
    // The message goes through a file: simple-git gives git no stdin, and argv stays short.
    const file = join(this.options.dir, '.git', 'TASKDECK_COMMIT_MSG');
    await writeFile(file, message);
    try {
      await this.run(['commit', '--quiet', '--no-verify', '--cleanup=strip', '--file', file], {
        ref: this.options.branch,
        filesChanged,
      });
    } finally {
      await rm(file, { force: true });
    }
    return (await this.head())!;
  }

  /** Pushes the branch to the remote's branch of the same name; never forced. */
  async push(): Promise<string> {
    const head = await this.head();
    if (!head) throw new GitOperationError('nothing to push: the branch has no commit yet');
    const { branch } = this.options;
    try {
      await this.run(['push', '--porcelain', REMOTE, `refs/heads/${branch}:refs/heads/${branch}`], {
        ref: `${REMOTE}/${branch}`,
      });
    } catch (error) {
      const detail = stderrOf(error);
      if (/\[rejected\]|non-fast-forward|fetch first|\[remote rejected\]/.test(detail)) {
        throw new GitOperationError(
          `push rejected: ${REMOTE}/${branch} has commits this work tree lacks (pull first, then push again); nothing was forced`,
          detail,
        );
      }
      throw failure('push', error);
    }
    return head;
  }

  /**
   * Fetches the remote's branch and merges it. A conflict aborts the merge (the work tree is left
   * as it was) and fails with the conflicting files named.
   */
  async pull(): Promise<{ head: string | undefined; filesChanged: number; upToDate: boolean }> {
    const { branch } = this.options;
    await this.fetch();
    const remoteRef = `refs/remotes/${REMOTE}/${branch}`;
    if (!(await this.refExists(remoteRef))) {
      this.log?.info(`${REMOTE} has no branch ${branch} yet: nothing to pull`);
      return { head: await this.head(), filesChanged: 0, upToDate: true };
    }
    const before = await this.head();
    if (!before) {
      await this.raw(['reset', '--hard', '--quiet', remoteRef]);
      const files = await this.changedBetween(undefined, remoteRef);
      this.log?.info(`git merge ${REMOTE}/${branch}: ${files} file(s) changed`, {
        command: 'merge',
        ref: `${REMOTE}/${branch}`,
        filesChanged: files,
      });
      return { head: await this.head(), filesChanged: files, upToDate: false };
    }
    const started = performance.now();
    try {
      await this.raw(['merge', '--no-edit', '--no-verify', remoteRef]);
    } catch (error) {
      const conflicts = (await this.raw(['diff', '--name-only', '--diff-filter=U', '-z']))
        .split('\0')
        .filter(Boolean);
      if (await this.pathExists('.git/MERGE_HEAD')) await this.raw(['merge', '--abort']);
      if (conflicts.length) {
        throw new GitOperationError(
          `pull failed: merging ${REMOTE}/${branch} conflicts in ${conflicts.length} file(s): ${conflicts.join(', ')}; the merge was aborted and the work tree left as it was`,
          stderrOf(error),
        );
      }
      throw failure('merge', error);
    }
    const after = await this.head();
    const files = before === after ? 0 : await this.changedBetween(before, after!);
    this.log?.info(`git merge ${REMOTE}/${branch}: ${files} file(s) changed`, {
      command: 'merge',
      ref: `${REMOTE}/${branch}`,
      filesChanged: files,
      durationMs: Math.round(performance.now() - started),
    });
    return { head: after, filesChanged: files, upToDate: before === after };
  }

  async fetch(): Promise<void> {
    if (!this.options.remoteUrl) throw new GitOperationError('the repository has no remote');
    try {
      await this.run(['fetch', '--quiet', '--prune', REMOTE], { ref: REMOTE });
    } catch (error) {
      throw failure('fetch', error);
    }
  }

  /** Paths under `folder` at `ref` (a commit, tag or branch). */
  async listFiles(ref: string, folder: string): Promise<string[]> {
    const out = await this.raw([
      'ls-tree',
      '-r',
      '-z',
      '--name-only',
      `${ref}^{tree}`,
      '--',
      folder,
    ]);
    return out.split('\0').filter(Boolean);
  }

  /** A file's text at `ref`. */
  readFile(ref: string, path: string): Promise<string> {
    return this.raw(['show', `${ref}:${path}`]);
  }

  /** The commit a ref names; a GitOperationError for one that names none. */
  async resolve(ref: string): Promise<string> {
    if (ref.startsWith('-')) throw new GitOperationError(`"${ref}" is not a commit`);
    try {
      return (await this.raw(['rev-parse', '--verify', '--quiet', `${ref}^{commit}`])).trim();
    } catch {
      throw new GitOperationError(`"${ref}" names no commit in the repository`);
    }
  }

  /** The newest commits of the branch with their files. */
  async history(limit: number): Promise<CommitFiles[]> {
    if (!(await this.exists()) || !(await this.head())) return [];
    const out = await this.raw([
      'log',
      `-n${limit}`,
      '-z',
      '--name-only',
      '--format=%x1e%H%x1f%an%x1f%ae%x1f%aI%x1f%B%x1f',
      'HEAD',
    ]);
    return out
      .split('\x1e')
      .filter((chunk) => chunk.trim())
      .map((chunk) => {
        const [hash, authorName, authorEmail, date, message, rest = ''] = chunk.split('\x1f');
        return {
          hash,
          authorName,
          authorEmail,
          date: new Date(date).toISOString(),
          message: message.trim(),
          files: rest.split(/[\0\n]/).filter(Boolean),
        };
      });
  }

  private async checkoutBranch(): Promise<void> {
    const { branch } = this.options;
    const current = (
      await this.raw(['symbolic-ref', '--quiet', '--short', 'HEAD']).catch(() => '')
    ).trim();
    if (current === branch) return;
    if (await this.refExists(`refs/heads/${branch}`)) {
      await this.raw(['checkout', '--quiet', branch]);
    } else if (await this.head()) {
      await this.raw(['checkout', '--quiet', '-b', branch]);
    } else {
      await this.raw(['symbolic-ref', 'HEAD', `refs/heads/${branch}`]);
    }
  }

  private async changedBetween(from: string | undefined, to: string): Promise<number> {
    const args = from
      ? ['diff', '--name-only', '-z', from, to]
      : ['ls-tree', '-r', '-z', '--name-only', to];
    return (await this.raw(args)).split('\0').filter(Boolean).length;
  }

  private async refExists(ref: string): Promise<boolean> {
    try {
      await this.raw(['show-ref', '--verify', '--quiet', ref]);
      return true;
    } catch {
      return false;
    }
  }

  private async pathExists(relative: string): Promise<boolean> {
    try {
      await stat(join(this.options.dir, relative));
      return true;
    } catch {
      return false;
    }
  }

  private raw(args: string[]): Promise<string> {
    return this.client().raw(args);
  }

  /** A logged operation: `git <command> <ref>: N file(s) changed (M ms)` at INFO. */
  private async run(args: string[], meta: { ref: string; filesChanged?: number }): Promise<string> {
    const started = performance.now();
    const out = await this.raw(args);
    const durationMs = Math.round(performance.now() - started);
    const files = meta.filesChanged !== undefined ? `: ${meta.filesChanged} file(s) changed` : '';
    this.log?.info(`git ${args[0]} ${meta.ref}${files} (${durationMs} ms)`, {
      command: args[0],
      ref: meta.ref,
      filesChanged: meta.filesChanged ?? null,
      durationMs,
    });
    return out;
  }
}

function stderrOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function failure(command: string, error: unknown): GitOperationError {
  const detail = stderrOf(error).trim();
  const line = detail.split('\n').find((l) => /fatal|error/i.test(l)) ?? detail.split('\n')[0];
  return new GitOperationError(`git ${command} failed: ${line}`, detail);
}
