import type { LlmProvider } from '@taskdeck/contracts';
import {
  EMPTY_LLM_PROVIDER,
  createLlmProviderRequest,
  llmProviderDraftOf,
  llmProviderErrors,
  updateLlmProviderRequest,
} from './llm-provider-form';

const provider: LlmProvider = {
  id: 'p1',
  name: 'Local',
  baseUrl: 'http://127.0.0.1:11434/v1',
  model: 'llava',
  isDefault: false,
  hasApiKey: true,
};

describe('LLM provider form', () => {
  it('names what is missing or wrong', () => {
    expect(Object.keys(llmProviderErrors(EMPTY_LLM_PROVIDER)).sort()).toEqual([
      'baseUrl',
      'model',
      'name',
    ]);
    expect(
      llmProviderErrors({ ...llmProviderDraftOf(provider), baseUrl: 'http://u:p@host/v1' }),
    ).toEqual({ baseUrl: expect.stringMatching(/http or https/) });
    expect(llmProviderErrors(llmProviderDraftOf(provider))).toEqual({});
  });

  it('sends a key only when one was typed, trims the URL', () => {
    expect(
      createLlmProviderRequest({
        ...EMPTY_LLM_PROVIDER,
        name: ' A ',
        baseUrl: 'https://api.example.com/v1/',
        model: 'gpt',
      }),
    ).toEqual({ name: 'A', baseUrl: 'https://api.example.com/v1', model: 'gpt', isDefault: false });
  });

  it('updates only what changed; keeps, replaces or removes the key', () => {
    const draft = llmProviderDraftOf(provider);
    expect(updateLlmProviderRequest(provider, draft)).toEqual({});
    expect(updateLlmProviderRequest(provider, { ...draft, model: 'llava:13b' })).toEqual({
      model: 'llava:13b',
    });
    expect(updateLlmProviderRequest(provider, { ...draft, apiKey: 'sk-new' })).toEqual({
      apiKey: 'sk-new',
    });
    expect(updateLlmProviderRequest(provider, { ...draft, removeApiKey: true })).toEqual({
      apiKey: '',
    });
    expect(updateLlmProviderRequest(provider, { ...draft, isDefault: true })).toEqual({
      isDefault: true,
    });
  });
});
