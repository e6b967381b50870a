// LLM providers (OpenAI-compatible chat completions APIs): everyone sees the list; operators test
// one; admins add, edit and delete. API keys are write-only: the page shows only whether one is set.
import { ChangeDetectionStrategy, Component, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import type { LlmProvider, LlmProviderTestResult } from '@taskdeck/contracts';
import { Auth } from '../../core/auth';
import { LlmProvidersClient } from '../../core/llm-providers-client';
import { EditableList } from '../../shared/editable-list/editable-list';
import {
  EMPTY_LLM_PROVIDER,
  createLlmProviderRequest,
  llmProviderDraftOf,
  llmProviderErrors,
  updateLlmProviderRequest,
  type LlmProviderDraft,
} from './llm-provider-form';

@Component({
  selector: 'td-llm-providers',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule],
  templateUrl: './llm-providers.html',
  styleUrl: '../environments/environments.scss',
})
export class LlmProviders {
  private readonly client = inject(LlmProvidersClient);
  protected readonly auth = inject(Auth);
  protected readonly Object = Object;
  protected readonly page = new EditableList<LlmProvider, LlmProviderDraft, LlmProviderTestResult>({
    list: () => this.client.list(),
    create: async (draft) =>
      this.reloadIfDefault(await this.client.create(createLlmProviderRequest(draft))),
    update: async (before, draft) =>
      this.reloadIfDefault(
        await this.client.update(before.id, updateLlmProviderRequest(before, draft)),
      ),
    remove: (id) => this.client.remove(id),
    test: (id) => this.client.test(id),
    errors: (draft) => llmProviderErrors(draft),
    empty: EMPTY_LLM_PROVIDER,
    draftOf: llmProviderDraftOf,
  });
  protected readonly providers = this.page.items;

  constructor() {
    void this.page.load();
  }

  /** A new default clears the old one on the server: the list is read again after the save. */
  private reloadIfDefault(saved: LlmProvider): LlmProvider {
    if (saved.isDefault) setTimeout(() => void this.page.load());
    return saved;
  }
}
