// The live connection's state in words (Live / Reconnecting… (attempt n) / Offline), with Retry.
import { ChangeDetectionStrategy, Component, computed, inject } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { canRetry, describeConnection } from '../../core/connection-state';
import { TaskSocket } from '../../core/task-socket';

@Component({
  selector: 'td-connection-indicator',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule],
  template: `
    <span
      class="state"
      [class]="'state ' + state().kind"
      role="status"
      aria-live="polite"
      [title]="reason()"
    >
      <span class="dot" aria-hidden="true"></span>
      <span data-testid="connection-state">{{ text() }}</span>
    </span>
    @if (retryable()) {
      <button mat-button type="button" data-testid="connection-retry" (click)="socket.retry()">
        Retry
      </button>
    }
  `,
  styles: `
    :host {
      display: inline-flex;
      align-items: center;
      gap: 0.25rem;
    }
    .state {
      display: inline-flex;
      align-items: center;
      gap: 0.4rem;
      font: var(--mat-sys-label-large);
      padding: 0.15rem 0.6rem;
      border-radius: 999px;
      background: #eceff3;
      color: #374151;
      white-space: nowrap;
    }
    .dot {
      width: 0.55rem;
      height: 0.55rem;
      border-radius: 50%;
      background: currentColor;
    }
    .live {
      background: #dcfce7;
      color: #14532d;
    }
    .reconnecting,
    .connecting {
      background: #fef3c7;
      color: #78350f;
    }
    .offline {
      background: #fee2e2;
      color: #7f1d1d;
    }
  `,
})
export class ConnectionIndicator {
  protected readonly socket = inject(TaskSocket);
  protected readonly state = this.socket.state;
  protected readonly text = computed(() => describeConnection(this.state()));
  protected readonly retryable = computed(() => canRetry(this.state()));
  protected readonly reason = computed(() => {
    const state = this.state();
    return state.kind === 'offline' ? state.reason : '';
  });
}
