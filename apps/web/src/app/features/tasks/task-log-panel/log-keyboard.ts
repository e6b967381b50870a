// Keyboard navigation through the virtual list, which is one focusable listbox whose active row
// is announced through aria-activedescendant: arrows, Page Up/Down, Home/End, Enter for details.
import type { CdkVirtualScrollViewport } from '@angular/cdk/scrolling';
import { computed, signal, type Signal } from '@angular/core';
import type { LogEntry } from '@taskdeck/contracts';
import type { LogStore } from './log-store';

export type KeyResult = 'up' | 'down' | 'end' | 'toggle' | null;

export class LogKeyboard {
  /** The row the keyboard is on, by seq (indexes move as the window trims). */
  readonly activeSeq = signal<number | null>(null);
  readonly activeId = computed(() => {
    const seq = this.activeSeq();
    return seq === null ? null : `log-row-${seq}`;
  });

  constructor(
    private readonly store: LogStore,
    private readonly rowHeight: Signal<number>,
    private readonly viewport: () => CdkVirtualScrollViewport | undefined,
  ) {}

  /** Index of the first entry with seq ≥ `seq` (entries are ascending). */
  indexOf(seq: number): number {
    const entries = this.store.entries();
    let low = 0;
    let high = entries.length;
    while (low < high) {
      const mid = (low + high) >>> 1;
      if (entries[mid].seq < seq) low = mid + 1;
      else high = mid;
    }
    return low;
  }

  activeEntry(): LogEntry | null {
    const seq = this.activeSeq();
    if (seq === null) return null;
    const entry = this.store.entries()[this.indexOf(seq)];
    return entry?.seq === seq ? entry : null;
  }

  handle(event: KeyboardEvent): KeyResult {
    const size = this.store.size();
    if (!size) return null;
    const viewport = this.viewport();
    const pageRows = Math.max(
      1,
      Math.floor((viewport?.getViewportSize() ?? 0) / this.rowHeight()) - 1,
    );
    const current =
      this.activeSeq() === null
        ? this.firstVisible()
        : Math.min(this.indexOf(this.activeSeq()!), size - 1);
    let next: number;
    switch (event.key) {
      case 'ArrowDown':
        next = current + 1;
        break;
      case 'ArrowUp':
        next = current - 1;
        break;
      case 'PageDown':
        next = current + pageRows;
        break;
      case 'PageUp':
        next = current - pageRows;
        break;
      case 'Home':
        next = 0;
        break;
      case 'End':
        event.preventDefault();
        this.activeSeq.set(this.store.entries()[size - 1].seq);
        return 'end';
      case 'Enter':
      case ' ':
        event.preventDefault();
        if (this.activeSeq() === null) this.activeSeq.set(this.store.entries()[current].seq);
        return 'toggle';
      default:
        return null;
    }
    event.preventDefault();
    next = Math.max(0, Math.min(size - 1, next));
    this.activeSeq.set(this.store.entries()[next].seq);
    this.keepVisible(next);
    return next < current ? 'up' : 'down';
  }

  private firstVisible(): number {
    const offset = this.viewport()?.measureScrollOffset('top') ?? 0;
    return Math.min(this.store.size() - 1, Math.ceil(offset / this.rowHeight()));
  }

  private keepVisible(index: number): void {
    const viewport = this.viewport();
    if (!viewport) return;
    const height = this.rowHeight();
    const top = viewport.measureScrollOffset('top');
    const bottom = top + viewport.getViewportSize();
    if (index * height < top) viewport.scrollToOffset(index * height);
    else if ((index + 1) * height > bottom) {
      viewport.scrollToOffset((index + 1) * height - viewport.getViewportSize());
    }
  }
}
