// The form of an environment, as pure functions: what an empty or edited form holds, what is wrong
// with it, and the request it sends. A password left empty while editing keeps the stored one.
import type {
  CreateEnvironmentRequest,
  Environment,
  SupersetProvider,
  UpdateEnvironmentRequest,
} from '@taskdeck/contracts';

export interface EnvironmentDraft {
  name: string;
  url: string;
  username: string;
  password: string;
  provider: SupersetProvider;
  verifyTls: boolean;
}

export const EMPTY_DRAFT: EnvironmentDraft = {
  name: '',
  url: '',
  username: '',
  password: '',
  provider: 'db',
  verifyTls: true,
};

export function draftOf(environment: Environment): EnvironmentDraft {
  const { name, url, username, provider, verifyTls } = environment;
  return { name, url, username, password: '', provider, verifyTls };
}

/** Field → message; empty when the draft may be sent. `editing`: the password may stay empty. */
export function draftErrors(draft: EnvironmentDraft, editing: boolean): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors['name'] = 'Name is required';
  if (!/^https?:\/\/[^\s/?#@]+/i.test(draft.url.trim())) {
    errors['url'] = 'URL must start with http:// or https:// and name a host';
  }
  if (!draft.username.trim()) errors['username'] = 'Username is required';
  if (!editing && !draft.password) errors['password'] = 'Password is required';
  return errors;
}

export function createRequest(draft: EnvironmentDraft): CreateEnvironmentRequest {
  return {
    name: draft.name.trim(),
    url: draft.url.trim(),
    username: draft.username.trim(),
    password: draft.password,
    provider: draft.provider,
    verifyTls: draft.verifyTls,
  };
}

/** Only what changed; the password only when a new one was typed. */
export function updateRequest(
  before: Environment,
  draft: EnvironmentDraft,
): UpdateEnvironmentRequest {
  const next = createRequest(draft);
  const changes: UpdateEnvironmentRequest = {};
  if (next.name !== before.name) changes.name = next.name;
  if (next.url !== before.url) changes.url = next.url;
  if (next.username !== before.username) changes.username = next.username;
  if (next.provider !== before.provider) changes.provider = next.provider;
  if (next.verifyTls !== before.verifyTls) changes.verifyTls = next.verifyTls;
  if (draft.password) changes.password = draft.password;
  return changes;
}
