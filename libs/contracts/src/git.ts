// Git repositories (CONTRACT.md "Git repositories") and the `git` plugin's params and results.
// The token is write-only: never returned (`hasToken` instead).

export interface GitRepository {
  id: string;
  name: string;
  /** Empty: a local-only repository; otherwise an `https://` URL or a `file://` path. */
  remoteUrl: string;
  branch: string;
  authorName: string;
  authorEmail: string;
  hasToken: boolean;
}

export interface CreateGitRepositoryRequest {
  /** Also the work tree's folder, `repositories/<name>` in storage. */
  name: string;
  remoteUrl?: string;
  /** Default `main`. */
  branch?: string;
  authorName: string;
  authorEmail: string;
  /** For an `https://` remote; absent: none. */
  token?: string;
}

/** Any subset; a `token` replaces the stored one, an empty one removes it, none keeps it. */
export type UpdateGitRepositoryRequest = Partial<CreateGitRepositoryRequest>;

/** `GET /api/git/repositories/:id/commits`: the newest commits of the repository's branch. */
export interface GitCommitSummary {
  hash: string;
  message: string;
  authorName: string;
  authorEmail: string;
  /** ISO 8601 UTC. */
  date: string;
  filesChanged: number;
  files: string[];
}

export interface GitCommitList {
  branch: string;
  /** False until a first operation has created the work tree. */
  workTree: boolean;
  items: GitCommitSummary[];
}

/** `POST /api/git/repositories/:id/test`: 200 either way; `ok: false` carries git's reason. */
export interface GitRemoteTestResult {
  ok: boolean;
  error?: string;
  /** Whether the remote has the repository's branch yet (a first push creates it). */
  branchExists?: boolean;
}

export const GIT_ACTIONS = ['commit', 'push', 'pull', 'deploy'] as const;
export type GitAction = (typeof GIT_ACTIONS)[number];

export interface GitCommitResult {
  /** The new commit's hash, or null when nothing changed (no empty commit is made). */
  commit: string | null;
  filesChanged: number;
}

export interface GitRefResult {
  /** The commit the branch points at after the push or pull. */
  ref: string;
  branch: string;
}

export interface GitDeployResult {
  dashboards: { uuid: string; title: string }[];
  /** The commit the dashboards were read from. */
  commit: string;
}
