// A task's page: status, progress, result or error, cancel (operator) and delete (admin), and its log.
// The task stays current through the socket's `task` events.
import { DatePipe, JsonPipe } from '@angular/common';
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  effect,
  inject,
  input,
  signal,
  untracked,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { Router, RouterLink } from '@angular/router';
import { isTaskFinished, type Task } from '@taskdeck/contracts';
import { HttpErrorResponse } from '@angular/common/http';
import { ApiClient } from '../../../core/api-client';
import { Auth } from '../../../core/auth';
import { errorText } from '../../../core/error-text';
import { TaskSocket } from '../../../core/task-socket';
import { DocumentationReport } from '../../llm-results/documentation-report';
import { ValidationReport } from '../../llm-results/validation-report';
import { MigrationReport } from '../../migration/migration-report';
import { SearchResults } from '../../search/search-results';
import { TaskLogPanel } from '../task-log-panel/task-log-panel';
import { TaskStatusChip } from '../task-status/task-status-chip';
import { formatDuration } from '../task-status/task-time';

@Component({
  selector: 'td-task-detail',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [
    DatePipe,
    JsonPipe,
    RouterLink,
    MatButtonModule,
    TaskStatusChip,
    TaskLogPanel,
    SearchResults,
    MigrationReport,
    ValidationReport,
    DocumentationReport,
  ],
  templateUrl: './task-detail.html',
  styleUrl: './task-detail.scss',
})
export class TaskDetail {
  /** The route's `:id`, bound by the router. */
  readonly id = input.required<string>();

  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly socket = inject(TaskSocket);
  protected readonly auth = inject(Auth);

  protected readonly task = signal<Task | null>(null);
  protected readonly loading = signal(true);
  protected readonly error = signal<string | null>(null);
  protected readonly actionError = signal<string | null>(null);
  protected readonly busy = signal(false);
  protected readonly now = signal(Date.now());
  protected readonly finished = computed(() => {
    const task = this.task();
    return task !== null && isTaskFinished(task.status);
  });
  protected readonly duration = computed(() => {
    const task = this.task();
    return task ? formatDuration(task, this.now()) : '';
  });

  constructor() {
    effect(() => {
      const id = this.id();
      untracked(() => void this.load(id));
    });
    effect((onCleanup) => {
      if (this.task()?.status !== 'RUNNING') return;
      const timer = setInterval(() => this.now.set(Date.now()), 1000);
      onCleanup(() => clearInterval(timer));
    });
    this.socket.connect();
    this.socket.tasks.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe((task) => {
      if (task.id === this.task()?.id) this.task.set(task);
    });
  }

  protected async cancel(): Promise<void> {
    const task = this.task();
    if (!task) return;
    await this.act(async () => this.task.set(await this.api.cancelTask(task.id)));
  }

  protected async remove(): Promise<void> {
    const task = this.task();
    if (!task || !confirm(`Delete task ${task.id} and its whole log? This cannot be undone.`)) {
      return;
    }
    await this.act(async () => {
      await this.api.deleteTask(task.id);
      await this.router.navigate(['/tasks']);
    });
  }

  protected retry(): void {
    void this.load(this.id());
  }

  private async act(work: () => Promise<void>): Promise<void> {
    this.busy.set(true);
    this.actionError.set(null);
    try {
      await work();
    } catch (error) {
      this.actionError.set(errorText(error));
    } finally {
      this.busy.set(false);
    }
  }

  private async load(id: string): Promise<void> {
    this.loading.set(true);
    this.error.set(null);
    try {
      const task = await this.api.task(id);
      if (id === this.id()) this.task.set(task);
    } catch (error) {
      if (id !== this.id()) return;
      this.task.set(null);
      this.error.set(
        error instanceof HttpErrorResponse && (error.status === 404 || error.status === 400)
          ? 'There is no such task: it may have been deleted.'
          : errorText(error),
      );
    } finally {
      if (id === this.id()) this.loading.set(false);
    }
  }
}
