// A documentation run's result on the task page: the dataset's description and each column's,
// old → new. A dry run can be applied with one click: the same task again without dryRun.
import { ChangeDetectionStrategy, Component, inject, input, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { Router } from '@angular/router';
import type { DocumentationResult } from '@taskdeck/contracts';
import { ApiClient } from '../../core/api-client';
import { Auth } from '../../core/auth';
import { errorText } from '../../core/error-text';

/** The params of the run that applies a dry run: the same, without dryRun. */
export function applyParams(params: unknown): Record<string, unknown> {
  const { dryRun: _dryRun, ...rest } = (params ?? {}) as Record<string, unknown>;
  return { ...rest, dryRun: false };
}

@Component({
  selector: 'td-documentation-report',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    @let r = result();
    <section class="report" data-testid="documentation-report" [attr.data-dry-run]="r.dryRun">
      <h2>
        {{ r.dryRun ? 'Dry run' : 'Documentation' }}:
        {{ r.written ? 'written to Superset' : 'nothing written' }}
        <span class="td-muted">· {{ changed(r) }} change(s) · {{ r.language }}</span>
      </h2>
      @if (r.samples && !r.samples.read && r.samples.reason) {
        <p class="td-muted">No sample values: {{ r.samples.reason }}.</p>
      }
      <table aria-label="Descriptions">
        <thead>
          <tr>
            <th scope="col">Column</th>
            <th scope="col">Old</th>
            <th scope="col">New</th>
          </tr>
        </thead>
        <tbody>
          <tr data-testid="doc-row" data-column="(dataset)" [class.changed]="r.descriptionChanged">
            <td><em>the dataset</em></td>
            <td>{{ r.previousDescription ?? '' }}</td>
            <td>{{ r.descriptionChanged ? r.description : '' }}</td>
          </tr>
          @for (c of r.columns; track c.column) {
            <tr data-testid="doc-row" [attr.data-column]="c.column" [class.changed]="c.changed">
              <td class="mono">{{ c.column }}</td>
              <td>{{ c.previousDescription ?? '' }}</td>
              <td>{{ c.changed ? c.description : '' }}</td>
            </tr>
          }
        </tbody>
      </table>
      @if (r.dryRun && auth.can('operator') && changed(r) > 0) {
        <button
          mat-flat-button
          type="button"
          data-testid="doc-apply"
          [disabled]="applying()"
          (click)="apply()"
        >
          {{ applying() ? 'Starting…' : 'Apply' }}
        </button>
      }
      @if (applyError(); as message) {
        <p class="td-error" role="alert">Not applied: {{ message }}</p>
      }
    </section>
  `,
  styles: `
    .report {
      margin: 0.75rem 0;
    }
    h2 {
      font-size: 1.05rem;
    }
    table {
      border-collapse: collapse;
      margin-bottom: 0.75rem;
      min-width: min(50rem, 100%);
    }
    th,
    td {
      text-align: left;
      padding: 0.3rem 0.6rem;
      border-bottom: 1px solid #e5e7eb;
      vertical-align: top;
    }
    tr.changed td:last-child {
      background: #f0fdf4;
      color: #166534;
    }
  `,
})
export class DocumentationReport {
  readonly result = input.required<DocumentationResult>();
  readonly params = input<unknown>(null);

  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  protected readonly auth = inject(Auth);
  protected readonly applying = signal(false);
  protected readonly applyError = signal<string | null>(null);

  protected changed(r: DocumentationResult): number {
    return r.columns.filter((c) => c.changed).length + (r.descriptionChanged ? 1 : 0);
  }

  protected async apply(): Promise<void> {
    this.applying.set(true);
    this.applyError.set(null);
    try {
      const task = await this.api.createTask({
        pluginId: 'documentation',
        params: applyParams(this.params()),
      });
      await this.router.navigate(['/tasks', task.id]);
    } catch (error) {
      this.applyError.set(errorText(error));
    } finally {
      this.applying.set(false);
    }
  }
}
