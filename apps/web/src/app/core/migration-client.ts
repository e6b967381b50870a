// The migration mappings API (`/api/migration/mappings`). Components call this.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { MigrationMappings, MigrationSuggestions } from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';
import { queryParams } from './api-client';

@Injectable({ providedIn: 'root' })
export class MigrationClient {
  private readonly http = inject(HttpClient);

  mappings(source: string, target: string): Promise<MigrationMappings> {
    return firstValueFrom(
      this.http.get<MigrationMappings>('/api/migration/mappings', {
        params: queryParams({ source, target }),
      }),
    );
  }

  saveMappings(
    source: string,
    target: string,
    mappings: Record<string, string>,
  ): Promise<MigrationMappings> {
    return firstValueFrom(
      this.http.put<MigrationMappings>(
        '/api/migration/mappings',
        { mappings },
        { params: queryParams({ source, target }) },
      ),
    );
  }

  suggestions(source: string, target: string): Promise<MigrationSuggestions> {
    return firstValueFrom(
      this.http.get<MigrationSuggestions>('/api/migration/mappings/suggestions', {
        params: queryParams({ source, target }),
      }),
    );
  }
}
