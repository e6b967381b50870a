// Minimum level, sources (with per-source counts from /logs/stats), debounced text search, clear.
// It only emits the wanted filter; the panel puts it in the URL and re-subscribes.
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  output,
  signal,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { LOG_LEVELS, LOG_SEARCH_MAX_LENGTH, isLogLevel, type LogStats } from '@taskdeck/contracts';
import { EMPTY_FILTER, isEmptyFilter, type LogFilter } from './log-filter';

export const SEARCH_DEBOUNCE_MS = 300;

@Component({
  selector: 'td-log-filter-bar',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatFormFieldModule, MatInputModule, MatButtonModule],
  templateUrl: './log-filter-bar.html',
  styleUrl: './log-filter-bar.scss',
})
export class LogFilterBar {
  readonly filter = input<LogFilter>(EMPTY_FILTER);
  readonly stats = input<LogStats | null>(null);
  readonly filterChange = output<LogFilter>();

  protected readonly levels = LOG_LEVELS;
  protected readonly searchMaxLength = LOG_SEARCH_MAX_LENGTH;
  protected readonly searchText = signal('');
  /** Sources known from the stats, plus chosen ones the stats do not list (yet). */
  protected readonly sources = computed(() => {
    const counts = this.stats()?.bySource ?? {};
    const names = [...new Set([...Object.keys(counts), ...this.filter().sources])].sort();
    return names.map((name) => ({
      name,
      count: counts[name] ?? 0,
      checked: this.filter().sources.includes(name),
    }));
  });
  protected readonly empty = computed(() => isEmptyFilter(this.filter()) && !this.searchText());
  private timer: ReturnType<typeof setTimeout> | null = null;

  constructor() {
    // The URL is the truth: show its search text when it changes (e.g. back/forward, Clear).
    effect(() => this.searchText.set(this.filter().search));
    inject(DestroyRef).onDestroy(() => this.stopTimer());
  }

  protected setLevel(value: string): void {
    this.filterChange.emit({ ...this.filter(), level: isLogLevel(value) ? value : null });
  }

  protected toggleSource(source: string, checked: boolean): void {
    const others = this.filter().sources.filter((s) => s !== source);
    this.filterChange.emit({
      ...this.filter(),
      sources: (checked ? [...others, source] : others).sort(),
    });
  }

  protected typed(value: string): void {
    this.searchText.set(value);
    this.stopTimer();
    this.timer = setTimeout(() => this.applySearch(), SEARCH_DEBOUNCE_MS);
  }

  /** Enter applies the search without waiting. */
  protected applySearch(): void {
    this.stopTimer();
    const search = this.searchText().trim();
    if (search !== this.filter().search) this.filterChange.emit({ ...this.filter(), search });
  }

  protected clear(): void {
    this.stopTimer();
    this.searchText.set('');
    this.filterChange.emit(EMPTY_FILTER);
  }

  private stopTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
