// The environments API (CONTRACT.md "Environments"). Components call this, never HttpClient.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type {
  CreateEnvironmentRequest,
  Environment,
  EnvironmentTestResult,
  SupersetDashboardSummary,
  SupersetDatabaseSummary,
  SupersetDatasetSummary,
  UpdateEnvironmentRequest,
} from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';
import { queryParams } from './api-client';

const path = (id: string, rest = ''): string =>
  `/api/environments/${encodeURIComponent(id)}${rest}`;

@Injectable({ providedIn: 'root' })
export class EnvironmentsClient {
  private readonly http = inject(HttpClient);

  list(): Promise<Environment[]> {
    return firstValueFrom(this.http.get<Environment[]>('/api/environments'));
  }

  create(request: CreateEnvironmentRequest): Promise<Environment> {
    return firstValueFrom(this.http.post<Environment>('/api/environments', request));
  }

  update(id: string, request: UpdateEnvironmentRequest): Promise<Environment> {
    return firstValueFrom(this.http.patch<Environment>(path(id), request));
  }

  remove(id: string): Promise<void> {
    return firstValueFrom(this.http.delete<void>(path(id)));
  }

  test(id: string): Promise<EnvironmentTestResult> {
    return firstValueFrom(this.http.post<EnvironmentTestResult>(path(id, '/test'), {}));
  }

  dashboards(id: string, search?: string): Promise<SupersetDashboardSummary[]> {
    return firstValueFrom(
      this.http.get<SupersetDashboardSummary[]>(path(id, '/dashboards'), {
        params: queryParams({ search }),
      }),
    );
  }

  datasets(id: string, search?: string): Promise<SupersetDatasetSummary[]> {
    return firstValueFrom(
      this.http.get<SupersetDatasetSummary[]>(path(id, '/datasets'), {
        params: queryParams({ search }),
      }),
    );
  }

  databases(id: string): Promise<SupersetDatabaseSummary[]> {
    return firstValueFrom(this.http.get<SupersetDatabaseSummary[]>(path(id, '/databases')));
  }
}
