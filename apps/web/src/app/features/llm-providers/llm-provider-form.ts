// The form of an LLM provider, as pure functions: an empty or edited form, what is wrong with it,
// and the request it sends. An API key left empty while editing keeps the stored one; "Remove the
// API key" sends an empty one.
import type {
  CreateLlmProviderRequest,
  LlmProvider,
  UpdateLlmProviderRequest,
} from '@taskdeck/contracts';

export interface LlmProviderDraft {
  name: string;
  baseUrl: string;
  model: string;
  apiKey: string;
  removeApiKey: boolean;
  isDefault: boolean;
}

export const EMPTY_LLM_PROVIDER: LlmProviderDraft = {
  name: '',
  baseUrl: '',
  model: '',
  apiKey: '',
  removeApiKey: false,
  isDefault: false,
};

export function llmProviderDraftOf(p: LlmProvider): LlmProviderDraft {
  return {
    ...EMPTY_LLM_PROVIDER,
    name: p.name,
    baseUrl: p.baseUrl,
    model: p.model,
    isDefault: p.isDefault,
  };
}

function isHttpUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return (
      (url.protocol === 'http:' || url.protocol === 'https:') &&
      !url.username &&
      !url.password &&
      !url.search &&
      !url.hash
    );
  } catch {
    return false;
  }
}

export function llmProviderErrors(draft: LlmProviderDraft): Record<string, string> {
  const errors: Record<string, string> = {};
  if (!draft.name.trim()) errors['name'] = 'Name is required';
  if (!isHttpUrl(draft.baseUrl.trim())) {
    errors['baseUrl'] = 'Base URL must be an http or https URL without credentials or query';
  }
  if (!draft.model.trim()) errors['model'] = 'Model is required';
  return errors;
}

export function createLlmProviderRequest(draft: LlmProviderDraft): CreateLlmProviderRequest {
  return {
    name: draft.name.trim(),
    baseUrl: draft.baseUrl.trim().replace(/\/+$/, ''),
    model: draft.model.trim(),
    isDefault: draft.isDefault,
    ...(draft.apiKey ? { apiKey: draft.apiKey } : {}),
  };
}

/** Only what changed; a new key when one was typed, an empty one to remove it. */
export function updateLlmProviderRequest(
  before: LlmProvider,
  draft: LlmProviderDraft,
): UpdateLlmProviderRequest {
  const next = createLlmProviderRequest(draft);
  const changes: UpdateLlmProviderRequest = {};
  for (const key of ['name', 'baseUrl', 'model', 'isDefault'] as const) {
    if (next[key] !== before[key]) (changes as Record<string, unknown>)[key] = next[key];
  }
  if (draft.apiKey) changes.apiKey = draft.apiKey;
  else if (draft.removeApiKey) changes.apiKey = '';
  return changes;
}
