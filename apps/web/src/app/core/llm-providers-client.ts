// The LLM providers API (CONTRACT.md "LLM providers"). Components call this.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CreateLlmProviderRequest,
  LlmProvider,
  LlmProviderTestResult,
  UpdateLlmProviderRequest,
} from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';

const path = (id: string, rest = ''): string =>
  `/api/llm/providers/${encodeURIComponent(id)}${rest}`;

@Injectable({ providedIn: 'root' })
export class LlmProvidersClient {
  private readonly http = inject(HttpClient);

  list(): Promise<LlmProvider[]> {
    return firstValueFrom(this.http.get<LlmProvider[]>('/api/llm/providers'));
  }

  create(request: CreateLlmProviderRequest): Promise<LlmProvider> {
    return firstValueFrom(this.http.post<LlmProvider>('/api/llm/providers', request));
  }

  update(id: string, request: UpdateLlmProviderRequest): Promise<LlmProvider> {
    return firstValueFrom(this.http.patch<LlmProvider>(path(id), request));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(path(id)));
  }

  test(id: string): Promise<LlmProviderTestResult> {
    return firstValueFrom(this.http.post<LlmProviderTestResult>(path(id, '/test'), {}));
  }
}
