// A search task's result on its task page: one row per match, the match highlighted in its
// context, and a link to explore the dataset in its Superset.
import {
  ChangeDetectionStrategy,
  Component,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import type { SearchMatch, SearchResult } from '@taskdeck/contracts';
import { EnvironmentsClient } from '../../core/environments-client';

export interface MatchParts {
  before: string;
  match: string;
  after: string;
}

/** The context cut around the match, for a <mark>. */
export function matchParts(m: SearchMatch): MatchParts {
  const end = m.matchStart + m.matchLength;
  return {
    before: m.matchContext.slice(0, m.matchStart),
    match: m.matchContext.slice(m.matchStart, end),
    after: m.matchContext.slice(end),
  };
}

/** Superset's explore view of a dataset (where its columns and metrics are). */
export function datasetLink(supersetUrl: string, datasetId: number): string {
  return `${supersetUrl.replace(/\/+$/, '')}/explore/?datasource_type=table&datasource_id=${datasetId}`;
}

@Component({
  selector: 'td-search-results',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = result();
    <section data-testid="search-results" aria-label="Search results">
      <h2>
        {{ r.count }} match(es)
        @if (r.truncated) {
          <span>, the first {{ r.results.length }} shown</span>
        }
        @if (r.skipped.length) {
          <span class="td-error">· {{ r.skipped.length }} value(s) skipped (time budget)</span>
        }
      </h2>
      @if (r.results.length) {
        <div class="wrap">
          <table>
            <thead>
              <tr>
                <th scope="col">Dataset</th>
                <th scope="col">Field</th>
                <th scope="col">Match</th>
              </tr>
            </thead>
            <tbody>
              @for (m of r.results; track $index) {
                @let p = parts(m);
                <tr
                  data-testid="search-result"
                  [attr.data-dataset]="m.datasetId"
                  [attr.data-field]="m.field"
                >
                  <td>
                    @if (supersetUrl(); as url) {
                      <a
                        [href]="link(url, m.datasetId)"
                        target="_blank"
                        rel="noopener"
                        data-testid="search-dataset-link"
                        >{{ m.datasetName }}</a
                      >
                    } @else {
                      {{ m.datasetName }}
                    }
                    <span class="id">#{{ m.datasetId }}</span>
                  </td>
                  <td class="field">
                    {{ m.field }}
                    @if (m.chartName) {
                      <span class="td-muted"> ({{ m.chartName }})</span>
                    }
                  </td>
                  <td class="context" [title]="m.fullValue">
                    {{ p.before }}<mark>{{ p.match }}</mark
                    >{{ p.after }}
                  </td>
                </tr>
              }
            </tbody>
          </table>
        </div>
      }
    </section>
  `,
  styles: `
    .wrap {
      overflow-x: auto;
    }
    table {
      border-collapse: collapse;
      min-width: min(48rem, 100%);
    }
    th,
    td {
      text-align: left;
      padding: 0.3rem 0.6rem;
      border-bottom: 1px solid #e5e7eb;
      vertical-align: top;
    }
    .context {
      font-family: monospace;
      font-size: 0.85rem;
      white-space: pre-wrap;
      word-break: break-all;
    }
    .field {
      font-family: monospace;
      font-size: 0.85rem;
    }
    mark {
      background: #fde68a;
    }
    .id {
      color: #6b7280;
      font-size: 0.8rem;
      margin-left: 0.25rem;
    }
  `,
})
export class SearchResults {
  readonly result = input.required<SearchResult>();
  readonly environmentId = input<string | undefined>();
  private readonly environments = inject(EnvironmentsClient);
  protected readonly supersetUrl = signal<string | null>(null);
  protected readonly parts = matchParts;
  protected readonly link = datasetLink;

  constructor() {
    effect(() => {
      const id = this.environmentId();
      untracked(() => void this.loadUrl(id));
    });
  }

  private async loadUrl(id: string | undefined): Promise<void> {
    if (!id) return;
    try {
      this.supersetUrl.set((await this.environments.get(id)).url);
    } catch {
      this.supersetUrl.set(null); // the environment is gone: names without links
    }
  }
}
