// The form of a database connection, as pure functions: an empty or edited form, what is wrong
// with it, and the request it sends. A password left empty while editing keeps the stored one;
// "Remove the password" sends an empty one.
import type {
  Connection,
  CreateConnectionRequest,
  UpdateConnectionRequest,
} from '@taskdeck/contracts';

export interface ConnectionDraft {
  name: string;
  host: string;
  port: string;
  database: string;
  username: string;
  password: string;
  removePassword: boolean;
}

export const EMPTY_CONNECTION: ConnectionDraft = {
  name: '',
  host: '',
  port: '5432',
  database: '',
  username: '',
  password: '',
  removePassword: false,
};

export function connectionDraftOf(c: Connection): ConnectionDraft {
  return {
    ...EMPTY_CONNECTION,
    name: c.name,
    host: c.host,
    port: String(c.port),
    database: c.database,
    username: c.username,
  };
}

export function connectionErrors(draft: ConnectionDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors['name'] = 'Name is required';
  if (!/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)$/.test(draft.host.trim())) {
    errors['host'] = 'Host must be a host name or an IP address';
  }
  const port = Number(draft.port);
  if (!Number.isInteger(port) || port < 1 || port > 65535) errors['port'] = 'Port must be 1–65535';
  if (!draft.database.trim()) errors['database'] = 'Database is required';
  if (!draft.username.trim()) errors['username'] = 'Username is required';
  return errors;
}

export function createConnectionRequest(draft: ConnectionDraft): CreateConnectionRequest {
  return {
    name: draft.name.trim(),
    host: draft.host.trim(),
    port: Number(draft.port),
    database: draft.database.trim(),
    username: draft.username.trim(),
    ...(draft.password ? { password: draft.password } : {}),
  };
}

/** Only what changed; a new password when one was typed, an empty one to remove it. */
export function updateConnectionRequest(
  before: Connection,
  draft: ConnectionDraft,
): UpdateConnectionRequest {
  const next = createConnectionRequest(draft);
  const changes: UpdateConnectionRequest = {};
  for (const key of ['name', 'host', 'port', 'database', 'username'] as const) {
    if (next[key] !== before[key]) (changes as Record<string, unknown>)[key] = next[key];
  }
  if (draft.password) changes.password = draft.password;
  else if (draft.removePassword) changes.password = '';
  return changes;
}
