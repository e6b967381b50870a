// One log line in the virtual list: seq, local time with ms, level badge (text and colour), source
// chip, monospace message (clipped, or wrapped to three lines), and quick actions.
import { ChangeDetectionStrategy, Component, computed, input, output } from '@angular/core';
import type { LogEntry } from '@taskdeck/contracts';
import { localDateTime, localTime } from './log-entry-format';

@Component({
  selector: 'td-log-entry-row',
  changeDetection: ChangeDetectionStrategy.OnPush,
  templateUrl: './log-entry-row.html',
  styleUrl: './log-entry-row.scss',
  host: {
    role: 'option',
    '[id]': "'log-row-' + entry().seq",
    '[class]': "'level-' + entry().level",
    '[class.wrap]': 'wrap()',
    '[class.active]': 'active()',
    '[class.selected]': 'selected()',
    '[attr.aria-selected]': 'selected()',
    '[attr.data-testid]': "'log-row'",
    '[attr.data-seq]': 'entry().seq',
    '[attr.data-source]': 'entry().source',
    '[attr.data-level]': 'entry().level',
    '(click)': 'toggleDetails.emit(entry())',
  },
})
export class LogEntryRow {
  readonly entry = input.required<LogEntry>();
  readonly wrap = input(false);
  /** The row the keyboard is on. */
  readonly active = input(false);
  /** The row whose details are open. */
  readonly selected = input(false);
  /** The URL of this line (`?seq=`), built by the panel from the current filter. */
  readonly link = input('');
  readonly toggleDetails = output<LogEntry>();
  readonly copy = output<LogEntry>();
  readonly linked = output<LogEntry>();

  protected readonly time = computed(() => localTime(this.entry().timestamp));
  protected readonly fullTime = computed(() => localDateTime(this.entry().timestamp));

  protected copyLine(event: Event): void {
    event.stopPropagation();
    this.copy.emit(this.entry());
  }

  /** A plain click stays in the app; modified clicks open the link as the browser would. */
  protected follow(event: MouseEvent): void {
    event.stopPropagation();
    if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
    event.preventDefault();
    this.linked.emit(this.entry());
  }
}
