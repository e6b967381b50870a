// A dashboard validation's result on the task page: the verdict, the issues, the charts whose data
// request failed, and the screenshot. The screenshot is a stored file behind auth: an <img> cannot
// send the Authorization header, so it is fetched through HttpClient (whose interceptor adds the
// token) and shown through an object URL, revoked when the page goes.
import { HttpClient } from '@angular/common/http';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import type { DashboardValidationResult } from '@taskdeck/contracts';
import { firstValueFrom } from 'rxjs';
import { errorText } from '../../core/error-text';

export function downloadUrl(path: string): string {
  return `/api/storage/files/download?path=${encodeURIComponent(path)}`;
}

@Component({
  selector: 'td-validation-report',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = result();
    <section class="report" data-testid="validation-report" [attr.data-status]="r.status">
      <h2>
        Verdict:
        <span class="verdict" [class]="r.status" data-testid="validation-status">{{
          r.status
        }}</span>
        <span class="td-muted"> · {{ r.dashboard.title }} · screenshot by {{ r.strategy }}</span>
      </h2>
      @if (r.issues.length) {
        <table aria-label="Issues">
          <thead>
            <tr>
              <th scope="col">Severity</th>
              <th scope="col">Where</th>
              <th scope="col">Issue</th>
            </tr>
          </thead>
          <tbody>
            @for (issue of r.issues; track $index) {
              <tr data-testid="validation-issue" [class]="issue.severity">
                <td>{{ issue.severity }}</td>
                <td>{{ issue.location || 'dashboard' }}</td>
                <td>{{ issue.message }}</td>
              </tr>
            }
          </tbody>
        </table>
      } @else {
        <p>No issues found.</p>
      }
      @if (r.screenshotPath) {
        <figure>
          @if (imageUrl(); as url) {
            <img
              data-testid="validation-screenshot"
              [src]="url"
              [alt]="'Screenshot of ' + r.dashboard.title"
            />
          } @else if (imageError(); as message) {
            <p class="td-error" role="alert">The screenshot could not be loaded: {{ message }}</p>
          } @else {
            <p class="td-muted" role="status">Loading the screenshot…</p>
          }
          <figcaption class="mono">{{ r.screenshotPath }}</figcaption>
        </figure>
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
    .verdict {
      padding: 0.1rem 0.5rem;
      border-radius: 0.25rem;
      font-weight: 700;
    }
    .verdict.PASS {
      background: #dcfce7;
      color: #166534;
    }
    .verdict.WARN {
      background: #fef9c3;
      color: #854d0e;
    }
    .verdict.FAIL {
      background: #fee2e2;
      color: #991b1b;
    }
    table {
      border-collapse: collapse;
      margin-bottom: 0.75rem;
      min-width: min(40rem, 100%);
    }
    th,
    td {
      text-align: left;
      padding: 0.3rem 0.6rem;
      border-bottom: 1px solid #e5e7eb;
      vertical-align: top;
    }
    tr.error td:first-child {
      color: #991b1b;
      font-weight: 600;
    }
    tr.warning td:first-child {
      color: #854d0e;
      font-weight: 600;
    }
    figure {
      margin: 0.5rem 0;
    }
    img {
      max-width: 100%;
      border: 1px solid #e5e7eb;
    }
    figcaption {
      font-size: 0.8rem;
      color: #6b7280;
    }
  `,
})
export class ValidationReport {
  readonly result = input.required<DashboardValidationResult>();

  private readonly http = inject(HttpClient);
  protected readonly imageUrl = signal<string | null>(null);
  protected readonly imageError = signal<string | null>(null);
  private loadedPath: string | null = null;

  constructor() {
    effect(() => {
      const path = this.result().screenshotPath;
      untracked(() => void this.load(path));
    });
    inject(DestroyRef).onDestroy(() => this.release());
  }

  private async load(path: string | undefined): Promise<void> {
    if (!path || path === this.loadedPath) return;
    this.loadedPath = path;
    this.imageError.set(null);
    try {
      const blob = await firstValueFrom(this.http.get(downloadUrl(path), { responseType: 'blob' }));
      if (path !== this.loadedPath) return;
      this.release();
      this.imageUrl.set(URL.createObjectURL(blob));
    } catch (error) {
      if (path === this.loadedPath) this.imageError.set(errorText(error));
    }
  }

  private release(): void {
    const url = this.imageUrl();
    if (url) URL.revokeObjectURL(url);
    this.imageUrl.set(null);
  }
}
