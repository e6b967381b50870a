// A task's log: opens on the tail (older history above, fetched back as you scroll up), takes live
// lines from the socket with the server-side filter, follows the bottom until you scroll up, and
// keeps its filter in the URL. History and live meet in LogStore, which drops any seq it holds.
import { ScrollingModule, type CdkVirtualScrollViewport } from '@angular/cdk/scrolling';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  Injector,
  afterNextRender,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
  viewChild,
} from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatSlideToggleModule } from '@angular/material/slide-toggle';
import {
  isTaskFinished,
  type LogDownloadFormat,
  type LogEntry,
  type LogStats,
  type Task,
} from '@taskdeck/contracts';
import { ApiClient } from '../../../core/api-client';
import { copyText, saveBlob } from '../../../core/browser-files';
import { errorText } from '../../../core/error-text';
import { TaskSocket } from '../../../core/task-socket';
import { ConnectionIndicator } from '../../../shared/connection-indicator/connection-indicator';
import { LogEntryDetails } from '../log-entry-row/log-entry-details';
import { entryAsText } from '../log-entry-row/log-entry-format';
import { LogEntryRow } from '../log-entry-row/log-entry-row';
import {
  filterToQuery,
  isEmptyFilter,
  matchesSearch,
  sameFilter,
  type LogFilter,
} from '../log-filter-bar/log-filter';
import { LogFilterBar } from '../log-filter-bar/log-filter-bar';
import { LogFilterUrl } from '../log-filter-bar/log-filter-url';
import { LogKeyboard } from './log-keyboard';
import { LogStore } from './log-store';

/** `beforeSeq` past any real seq: the page is the tail of the log. */
const TAIL = Number.MAX_SAFE_INTEGER;
const PAGE = 1000;
/** Around a linked line: this many before it. */
const CONTEXT = 200;
export const ROW_HEIGHT = 28;
export const WRAPPED_ROW_HEIGHT = 60;
const STATS_REFRESH_MS = 2000;

interface LoadedView {
  taskId: string;
  filter: LogFilter;
}

@Component({
  selector: 'td-task-log-panel',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    ScrollingModule,
    MatButtonModule,
    MatSlideToggleModule,
    LogFilterBar,
    LogEntryRow,
    LogEntryDetails,
    ConnectionIndicator,
  ],
  providers: [LogFilterUrl],
  templateUrl: './task-log-panel.html',
  styleUrl: './task-log-panel.scss',
})
export class TaskLogPanel {
  readonly task = input.required<Task>();

  private readonly api = inject(ApiClient);
  private readonly socket = inject(TaskSocket);
  private readonly injector = inject(Injector);
  protected readonly url = inject(LogFilterUrl);
  protected readonly viewport = viewChild<CdkVirtualScrollViewport>('viewport');

  protected readonly store = new LogStore();
  protected readonly filter = this.url.filter;
  protected readonly stats = signal<LogStats | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadingOlder = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly liveError = signal<string | null>(null);
  protected readonly downloadError = signal<string | null>(null);
  protected readonly wrap = signal(false);
  protected readonly follow = signal(true);
  protected readonly selected = signal<LogEntry | null>(null);
  protected readonly copied = signal<number | null>(null);
  protected readonly rowHeight = computed(() => (this.wrap() ? WRAPPED_ROW_HEIGHT : ROW_HEIGHT));
  protected readonly filtered = computed(() => !isEmptyFilter(this.filter()));
  protected readonly keyboard = new LogKeyboard(this.store, this.rowHeight, () => this.viewport());
  /** Lines appended since following paused (or missed while detached from the tail). */
  private readonly pausedAt = signal(0);
  protected readonly newLines = computed(() =>
    this.follow() && !this.store.detachedFromTail()
      ? 0
      : this.store.appendedLive() - this.pausedAt() + this.store.missedLive(),
  );
  protected readonly trackBySeq = (_: number, entry: LogEntry): number => entry.seq;
  private readonly taskId = computed(() => this.task().id);
  private readonly running = computed(() => !isTaskFinished(this.task().status));

  private loaded: LoadedView | null = null;
  /** Highest seq received (history or live, matching the search or not): where a resubscription resumes. */
  private cursor = 0;
  private generation = 0;
  private lastOffset = 0;
  private trimmedSeen = 0;

  constructor() {
    effect(() => {
      const view: LoadedView = { taskId: this.taskId(), filter: this.filter() };
      const seq = this.url.seq();
      untracked(() => this.show(view, seq));
    });
    effect(() => {
      this.store.entries();
      if (untracked(() => this.follow())) {
        afterNextRender(() => this.scrollToEnd(), { injector: this.injector });
      }
    });
    // While paused, entries trimmed from the front would slide the view: hold it in place.
    effect(() => {
      const trimmed = this.store.trimmedFront();
      const delta = trimmed - this.trimmedSeen;
      this.trimmedSeen = trimmed;
      if (delta > 0 && !untracked(() => this.follow())) {
        afterNextRender(
          () =>
            this.viewport()?.scrollToOffset(
              Math.max(0, this.lastOffset - delta * this.rowHeight()),
            ),
          {
            injector: this.injector,
          },
        );
      }
    });
    // Per-source counts move while the task runs; one last refresh when it ends.
    effect((onCleanup) => {
      if (!this.running()) {
        untracked(() => void this.refreshStats());
        return;
      }
      const timer = setInterval(() => void this.refreshStats(), STATS_REFRESH_MS);
      onCleanup(() => clearInterval(timer));
    });
    inject(DestroyRef).onDestroy(() => {
      this.generation++;
      if (this.loaded) this.socket.unsubscribe(this.loaded.taskId);
    });
  }

  protected changeFilter(filter: LogFilter): void {
    void this.url.set(filter);
  }

  protected link(entry: LogEntry): string {
    return this.url.linkTo(entry.seq);
  }

  /** The URL takes the line; the view follows the URL. */
  protected openLink(entry: LogEntry): void {
    void this.url.goTo(entry.seq);
  }

  protected toggleDetails(entry: LogEntry): void {
    this.keyboard.activeSeq.set(entry.seq);
    this.selected.set(this.selected()?.seq === entry.seq ? null : entry);
  }

  protected async copy(entry: LogEntry): Promise<void> {
    if (await copyText(entryAsText(entry))) {
      this.copied.set(entry.seq);
      setTimeout(() => this.copied.set(null), 2000);
    }
  }

  protected onKeydown(event: KeyboardEvent): void {
    const result = this.keyboard.handle(event);
    if (result === 'up') this.pause();
    if (result === 'end') this.jumpToEnd();
    if (result === 'toggle') {
      const entry = this.keyboard.activeEntry();
      if (entry) this.toggleDetails(entry);
    }
  }

  protected onScroll(): void {
    const viewport = this.viewport();
    if (!viewport) return;
    const offset = viewport.measureScrollOffset('top');
    const atBottom = viewport.measureScrollOffset('bottom') <= this.rowHeight();
    if (atBottom && !this.store.detachedFromTail()) {
      if (!this.follow()) this.follow.set(true);
    } else if (offset < this.lastOffset - 1) {
      this.pause();
    }
    this.lastOffset = offset;
    if (offset < this.rowHeight() * 50) void this.loadOlder();
  }

  protected jumpToEnd(): void {
    if (this.store.detachedFromTail()) {
      void this.load(this.filter(), null);
      return;
    }
    this.follow.set(true);
    this.scrollToEnd();
  }

  protected async download(format: LogDownloadFormat): Promise<void> {
    this.downloadError.set(null);
    try {
      const file = await this.api.downloadLogs(this.taskId(), format, filterToQuery(this.filter()));
      saveBlob(file.blob, file.filename);
    } catch (error) {
      this.downloadError.set(`Download failed: ${errorText(error)}`);
    }
  }

  protected toggleWrap(wrap: boolean): void {
    const top = this.viewport()?.measureScrollOffset('top') ?? 0;
    const firstIndex = Math.floor(top / this.rowHeight());
    this.wrap.set(wrap);
    afterNextRender(
      () => (this.follow() ? this.scrollToEnd() : this.viewport()?.scrollToIndex(firstIndex)),
      { injector: this.injector },
    );
  }

  protected retryLoad(): void {
    void this.load(this.filter(), this.url.seq());
  }

  private show(view: LoadedView, seq: number | null): void {
    const same =
      this.loaded &&
      this.loaded.taskId === view.taskId &&
      sameFilter(this.loaded.filter, view.filter);
    if (!same) void this.load(view.filter, seq);
    else if (seq !== null && seq !== this.selected()?.seq) this.reveal(seq);
  }

  private pause(): void {
    if (!this.follow()) return;
    this.pausedAt.set(this.store.appendedLive());
    this.follow.set(false);
  }

  /** Selects a line and scrolls to it; loads around it when it is not held. */
  private reveal(seq: number): void {
    const index = this.keyboard.indexOf(seq);
    const entry = this.store.entries()[index];
    if (entry?.seq !== seq) {
      void this.load(this.filter(), seq);
      return;
    }
    this.pause();
    this.selected.set(entry);
    this.keyboard.activeSeq.set(seq);
    afterNextRender(() => this.viewport()?.scrollToIndex(Math.max(0, index - 3)), {
      injector: this.injector,
    });
  }

  private async load(filter: LogFilter, seq: number | null): Promise<void> {
    const generation = ++this.generation;
    const taskId = this.taskId();
    if (this.loaded) this.socket.unsubscribe(this.loaded.taskId);
    this.loaded = { taskId, filter };
    this.loading.set(true);
    this.error.set(null);
    this.liveError.set(null);
    this.selected.set(null);
    this.store.reset();
    this.trimmedSeen = 0;
    this.cursor = 0;
    const query = filterToQuery(filter);
    try {
      const [page] = await Promise.all([
        seq === null
          ? this.api.logs(taskId, { ...query, beforeSeq: TAIL, limit: PAGE })
          : this.around(taskId, query, seq),
        this.refreshStats(),
      ]);
      if (generation !== this.generation) return;
      this.store.reset(page);
      this.cursor = this.store.lastSeq() ?? 0;
      this.follow.set(seq === null);
      this.pausedAt.set(0);
      this.subscribe(taskId, filter, generation);
      if (seq !== null) this.reveal(seq);
    } catch (error) {
      if (generation === this.generation) this.error.set(errorText(error));
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  /** A page of context before a linked line and a page from it on. */
  private async around(taskId: string, query: ReturnType<typeof filterToQuery>, seq: number) {
    const [before, from] = await Promise.all([
      this.api.logs(taskId, { ...query, beforeSeq: seq, limit: CONTEXT }),
      this.api.logs(taskId, { ...query, afterSeq: seq - 1, limit: PAGE }),
    ]);
    return {
      items: [...before.items, ...from.items],
      nextCursor: from.nextCursor,
      prevCursor: before.prevCursor,
    };
  }

  private subscribe(taskId: string, filter: LogFilter, generation: number): void {
    this.socket.subscribe(taskId, {
      ...(filter.level ? { level: filter.level } : {}),
      ...(filter.sources.length ? { sources: filter.sources } : {}),
      afterSeq: () => this.cursor,
      onLogs: (entries) => {
        if (generation !== this.generation) return;
        this.cursor = Math.max(this.cursor, entries[entries.length - 1].seq);
        // Level and sources were filtered by the server; the text search has no socket filter.
        this.store.enqueue(
          filter.search ? entries.filter((e) => matchesSearch(e, filter.search)) : entries,
        );
      },
      onAck: (ack) => {
        if (generation === this.generation) {
          this.liveError.set(ack.ok ? null : `Live updates unavailable: ${ack.error}`);
        }
      },
    });
  }

  private async loadOlder(): Promise<void> {
    const before = this.store.olderCursor();
    if (this.loadingOlder() || this.loading() || before === null) return;
    this.loadingOlder.set(true);
    const generation = this.generation;
    try {
      const page = await this.api.logs(this.taskId(), {
        ...filterToQuery(this.filter()),
        beforeSeq: before,
        limit: PAGE,
      });
      if (generation !== this.generation) return;
      const viewport = this.viewport();
      const offset = viewport?.measureScrollOffset('top') ?? 0;
      const added = this.store.prepend(page);
      // Keep the lines the user is looking at where they are.
      afterNextRender(() => viewport?.scrollToOffset(offset + added * this.rowHeight()), {
        injector: this.injector,
      });
    } catch (error) {
      if (generation === this.generation) {
        this.error.set(`Older entries could not be loaded: ${errorText(error)}`);
      }
    } finally {
      this.loadingOlder.set(false);
    }
  }

  private async refreshStats(): Promise<void> {
    try {
      this.stats.set(await this.api.logStats(this.taskId()));
    } catch {
      // Counts are a convenience; the log itself reports its own errors.
    }
  }

  private scrollToEnd(): void {
    const viewport = this.viewport();
    if (!viewport || !this.follow()) return;
    viewport.scrollTo({ bottom: 0 });
    // The spacer may grow a frame later: scroll again once it has.
    requestAnimationFrame(() => {
      if (this.follow()) viewport.scrollTo({ bottom: 0 });
      this.lastOffset = viewport.measureScrollOffset('top');
    });
  }
}
