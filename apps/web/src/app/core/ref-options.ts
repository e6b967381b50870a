// The options of a picker: what a param marked with `x-taskdeck-ref` may refer to, loaded from the
// API by kind. Superset objects (dashboard, dataset, database) come from the environment chosen in
// the same form. A kind whose API this server lacks answers with a 404, which the picker shows.
import { HttpClient } from '@angular/common/http';
import { Injectable, inject } from '@angular/core';
import type { RefKind } from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';
import { EnvironmentsClient } from './environments-client';

export interface RefOption {
  /** What the param gets: an id (number for Superset objects) or a uuid. */
  value: string | number;
  label: string;
}

/** Taskdeck's own configuration lists, by kind: `{id, name}` rows. */
const NAMED_LISTS: Partial<Record<RefKind, string>> = {
  connection: '/api/connections',
  repository: '/api/git/repositories',
  'llm-provider': '/api/llm/providers',
};

@Injectable({ providedIn: 'root' })
export class RefOptions {
  private readonly http = inject(HttpClient);
  private readonly environments = inject(EnvironmentsClient);

  async load(kind: RefKind, environmentId?: string): Promise<RefOption[]> {
    switch (kind) {
      case 'environment':
        return (await this.environments.list()).map((e) => ({ value: e.id, label: e.name }));
      case 'dashboard':
        return (await this.environments.dashboards(this.need(environmentId))).map((d) => ({
          value: d.id,
          label: `${d.title} (#${d.id})`,
        }));
      case 'dataset':
        return (await this.environments.datasets(this.need(environmentId))).map((d) => ({
          value: d.id,
          label: `${d.schema ? `${d.schema}.` : ''}${d.tableName} · ${d.databaseName} (#${d.id})`,
        }));
      case 'database':
        return (await this.environments.databases(this.need(environmentId))).map((d) => ({
          value: d.uuid,
          label: `${d.name} (${d.backend})`,
        }));
      case 'connection':
      case 'repository':
      case 'llm-provider': {
        const rows = await firstValueFrom(
          this.http.get<{ id: string; name: string }[]>(NAMED_LISTS[kind] ?? ''),
        );
        return rows.map((r) => ({ value: r.id, label: r.name }));
      }
    }
  }

  private need(environmentId: string | undefined): string {
    if (!environmentId) throw new Error('Choose the environment first.');
    return environmentId;
  }
}
