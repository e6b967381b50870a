// The tasks page: newest first with "load more", filtered by status and plugin (kept in the URL),
// updated live from the socket's `task` events.
import { DatePipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed, toSignal } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router, RouterLink } from '@angular/router';
import {
  TASK_STATUSES,
  type PluginInfo,
  type Task,
  type TaskListQuery,
  type TaskStatus,
} from '@taskdeck/contracts';
import { map } from 'rxjs';
import { ApiClient } from '../../../core/api-client';
import { Auth } from '../../../core/auth';
import { errorText } from '../../../core/error-text';
import { TaskSocket } from '../../../core/task-socket';
import { TaskStatusChip } from '../task-status/task-status-chip';
import { formatDuration } from '../task-status/task-time';

const PAGE_SIZE = 50;

interface ListFilter {
  status: TaskStatus | null;
  pluginId: string | null;
}

@Component({
  selector: 'td-task-list',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    RouterLink,
    MatButtonModule,
    MatFormFieldModule,
    MatInputModule,
    TaskStatusChip,
  ],
  templateUrl: './task-list.html',
  styleUrl: './task-list.scss',
})
export class TaskList {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);
  private readonly socket = inject(TaskSocket);
  protected readonly auth = inject(Auth);

  protected readonly statuses = TASK_STATUSES;
  protected readonly filter = toSignal(
    this.route.queryParamMap.pipe(
      map((params): ListFilter => {
        const status = params.get('status');
        return {
          status: (TASK_STATUSES as readonly string[]).includes(status ?? '')
            ? (status as TaskStatus)
            : null,
          pluginId: params.get('plugin') || null,
        };
      }),
    ),
    {
      requireSync: true,
      equal: (a: ListFilter, b: ListFilter) => a.status === b.status && a.pluginId === b.pluginId,
    },
  );
  protected readonly plugins = signal<PluginInfo[]>([]);
  protected readonly tasks = signal<Task[]>([]);
  protected readonly nextCursor = signal<string | null>(null);
  protected readonly loading = signal(true);
  protected readonly loadingMore = signal(false);
  protected readonly error = signal<string | null>(null);
  /** Ticks every second while a task runs, so running durations move. */
  protected readonly now = signal(Date.now());
  private readonly anyRunning = computed(() => this.tasks().some((t) => t.status === 'RUNNING'));
  private generation = 0;

  constructor() {
    effect(() => {
      const filter = this.filter();
      untracked(() => void this.load(filter));
    });
    effect((onCleanup) => {
      if (!this.anyRunning()) return;
      const timer = setInterval(() => this.now.set(Date.now()), 1000);
      onCleanup(() => clearInterval(timer));
    });
    this.socket.connect();
    this.socket.tasks
      .pipe(takeUntilDestroyed(inject(DestroyRef)))
      .subscribe((task) => this.apply(task));
    void this.api.plugins().then(
      (plugins) => this.plugins.set(plugins),
      () => undefined, // the filter then offers only what the list shows
    );
  }

  protected duration(task: Task): string {
    return formatDuration(task, this.now());
  }

  protected setFilter(patch: Partial<ListFilter>): void {
    const next = { ...this.filter(), ...patch };
    void this.router.navigate([], {
      relativeTo: this.route,
      queryParams: { status: next.status, plugin: next.pluginId },
      queryParamsHandling: 'merge',
    });
  }

  protected async loadMore(): Promise<void> {
    const cursor = this.nextCursor();
    if (!cursor || this.loadingMore()) return;
    const generation = this.generation;
    this.loadingMore.set(true);
    try {
      const page = await this.api.tasks({ ...this.query(this.filter()), cursor });
      if (generation !== this.generation) return;
      const known = new Set(this.tasks().map((t) => t.id));
      this.tasks.update((tasks) => [...tasks, ...page.items.filter((t) => !known.has(t.id))]);
      this.nextCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.generation) {
        this.error.set(`More tasks could not be loaded: ${errorText(error)}`);
      }
    } finally {
      this.loadingMore.set(false);
    }
  }

  protected reload(): void {
    void this.load(this.filter());
  }

  private query(filter: ListFilter): TaskListQuery {
    return {
      limit: PAGE_SIZE,
      ...(filter.status ? { status: filter.status } : {}),
      ...(filter.pluginId ? { pluginId: filter.pluginId } : {}),
    };
  }

  private async load(filter: ListFilter): Promise<void> {
    const generation = ++this.generation;
    this.loading.set(true);
    this.error.set(null);
    try {
      const page = await this.api.tasks(this.query(filter));
      if (generation !== this.generation) return;
      this.tasks.set(page.items);
      this.nextCursor.set(page.nextCursor);
    } catch (error) {
      if (generation === this.generation) this.error.set(errorText(error));
    } finally {
      if (generation === this.generation) this.loading.set(false);
    }
  }

  /** A task event: update the row, add a new task that matches the filter, drop one that no longer does. */
  private apply(task: Task): void {
    const filter = this.filter();
    const matches =
      (!filter.status || task.status === filter.status) &&
      (!filter.pluginId || task.pluginId === filter.pluginId);
    this.tasks.update((tasks) => {
      const index = tasks.findIndex((t) => t.id === task.id);
      if (index >= 0) {
        return matches
          ? tasks.map((t, i) => (i === index ? task : t))
          : tasks.filter((_, i) => i !== index);
      }
      if (!matches || this.loading()) return tasks;
      // Newest first: a task created after the newest one shown goes on top; older ones belong to later pages.
      const newest = tasks[0];
      return !newest || task.createdAt >= newest.createdAt ? [task, ...tasks] : tasks;
    });
  }
}
