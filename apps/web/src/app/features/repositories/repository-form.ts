// The form of a git repository, as pure functions: an empty or edited form, what is wrong with it,
// and the request it sends. A token left empty while editing keeps the stored one; "Remove the
// token" sends an empty one. The checks mirror the server's (which has the last word).
import type {
  CreateGitRepositoryRequest,
  GitRepository,
  UpdateGitRepositoryRequest,
} from '@taskdeck/contracts';

export interface RepositoryDraft {
  name: string;
  remoteUrl: string;
  branch: string;
  authorName: string;
  authorEmail: string;
  token: string;
  removeToken: boolean;
}

export const EMPTY_REPOSITORY: RepositoryDraft = {
  name: '',
  remoteUrl: '',
  branch: 'main',
  authorName: 'Taskdeck',
  authorEmail: '',
  token: '',
  removeToken: false,
};

export function repositoryDraftOf(r: GitRepository): RepositoryDraft {
  return {
    ...EMPTY_REPOSITORY,
    name: r.name,
    remoteUrl: r.remoteUrl,
    branch: r.branch,
    authorName: r.authorName,
    authorEmail: r.authorEmail,
  };
}

function remoteProblem(url: string): string | undefined {
  if (url === '') return undefined;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Remote must be empty, an https:// URL or a file:// path';
  }
  if (parsed.protocol === 'file:') return undefined;
  if (parsed.protocol !== 'https:') {
    return 'Remote must be empty, an https:// URL or a file:// path';
  }
  if (parsed.username || parsed.password) {
    return 'Remote must not hold credentials: put the token in the Token field';
  }
  return undefined;
}

export function repositoryErrors(draft: RepositoryDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(draft.name.trim())) {
    errors['name'] = 'Name must start with a letter or digit and hold only letters, digits, . _ -';
  }
  const remote = remoteProblem(draft.remoteUrl.trim());
  if (remote) errors['remoteUrl'] = remote;
  const branch = draft.branch.trim();
  if (!/^[A-Za-z0-9._/-]+$/.test(branch) || /^[-/]|\/$|\.\.|\.lock$/.test(branch)) {
    errors['branch'] = 'Branch must be a valid git branch name';
  }
  if (!draft.authorName.trim()) errors['authorName'] = 'Author name is required';
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(draft.authorEmail.trim())) {
    errors['authorEmail'] = 'Author email must be an email address';
  }
  return errors;
}

export function createRepositoryRequest(draft: RepositoryDraft): CreateGitRepositoryRequest {
  return {
    name: draft.name.trim(),
    remoteUrl: draft.remoteUrl.trim(),
    branch: draft.branch.trim(),
    authorName: draft.authorName.trim(),
    authorEmail: draft.authorEmail.trim(),
    ...(draft.token ? { token: draft.token } : {}),
  };
}

/** Only what changed; a new token when one was typed, an empty one to remove it. */
export function updateRepositoryRequest(
  before: GitRepository,
  draft: RepositoryDraft,
): UpdateGitRepositoryRequest {
  const next = createRepositoryRequest(draft);
  const changes: UpdateGitRepositoryRequest = {};
  for (const key of ['name', 'remoteUrl', 'branch', 'authorName', 'authorEmail'] as const) {
    if (next[key] !== before[key]) changes[key] = next[key];
  }
  if (draft.token) changes.token = draft.token;
  else if (draft.removeToken) changes.token = '';
  return changes;
}

/** The run form, prefilled for a git action on this repository. */
export function gitActionLink(
  action: 'commit' | 'push' | 'pull' | 'deploy',
  repositoryId: string,
  environmentId?: string,
): { path: string; query: Record<string, string> } {
  return {
    path: '/tasks/new',
    query: {
      plugin: 'git',
      action,
      repositoryId,
      ...(environmentId ? { environmentId } : {}),
    },
  };
}
