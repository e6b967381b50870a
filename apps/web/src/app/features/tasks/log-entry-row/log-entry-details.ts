// The selected line in full: wrapped message, metadata as formatted JSON, copy and link.
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import type { LogEntry } from '@taskdeck/contracts';
import { localDateTime, metadataJson } from './log-entry-format';

@Component({
  selector: 'td-log-entry-details',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    <header>
      <strong>#{{ entry().seq }}</strong>
      <time [attr.datetime]="entry().timestamp">{{ time() }}</time>
      <span [class]="'td-level td-level-' + entry().level">{{ entry().level }}</span>
      <span class="source">{{ entry().source }}</span>
      <span class="td-spacer"></span>
      <button mat-button type="button" data-testid="details-copy" (click)="copy.emit(entry())">
        Copy line
      </button>
      <a mat-button [href]="link()" data-testid="details-link" (click)="follow($event)"
        >Link to this line</a
      >
      <button mat-button type="button" data-testid="details-close" (click)="closed.emit()">
        Close
      </button>
    </header>
    <pre class="message" data-testid="details-message">{{ entry().message }}</pre>
    @if (entry().metadata) {
      <details open>
        <summary>Metadata</summary>
        <pre data-testid="details-metadata">{{ json() }}</pre>
      </details>
    }
  `,
  styles: `
    :host {
      display: block;
      border: 1px solid var(--mat-sys-outline-variant);
      border-radius: 8px;
      padding: 0.25rem 0.75rem 0.5rem;
      background: var(--mat-sys-surface-container-lowest);
    }
    header {
      display: flex;
      flex-wrap: wrap;
      align-items: center;
      gap: 0.5rem;
    }
    time {
      font-family: ui-monospace, monospace;
    }
    .source {
      padding: 0 0.5rem;
      border-radius: 999px;
      background: var(--mat-sys-surface-container-high);
    }
    pre {
      white-space: pre-wrap;
      overflow-wrap: anywhere;
      font-size: 0.8rem;
      margin: 0.35rem 0;
      max-height: 16rem;
      overflow: auto;
      font-family: ui-monospace, monospace;
    }
    summary {
      cursor: pointer;
      font: var(--mat-sys-label-large);
    }
  `,
})
export class LogEntryDetails {
  readonly entry = input.required<LogEntry>();
  readonly link = input('');
  readonly copy = output<LogEntry>();
  readonly linked = output<LogEntry>();
  readonly closed = output<void>();
  protected readonly time = computed(() => localDateTime(this.entry().timestamp));
  protected readonly json = computed(() => metadataJson(this.entry()));

  /** A plain click stays in the app; modified clicks open the link as the browser would. */
  protected follow(event: MouseEvent): void {
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    this.linked.emit(this.entry());
  }
}
