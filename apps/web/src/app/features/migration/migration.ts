// The Migration page: pick a source and a target environment, pick dashboards (with search), map
// the source's databases (suggestions pre-filled, unconfirmed until confirmed; admins save the
// mapping), then Dry run or Migrate. The run is a `migration` task followed live; its report shows
// as tables here and on its task page.
import {
  ChangeDetectionStrategy,
  Component,
  DestroyRef,
  computed,
  inject,
  signal,
} from '@angular/core';
import { takeUntilDestroyed } from '@angular/core/rxjs-interop';
import { MatButtonModule } from '@angular/material/button';
import { RouterLink } from '@angular/router';
import {
  isTaskFinished,
  type Environment,
  type MigrationResult,
  type SupersetDashboardSummary,
  type SupersetDatabaseSummary,
  type Task,
} from '@taskdeck/contracts';
import { ApiClient } from '../../core/api-client';
import { Auth } from '../../core/auth';
import { EnvironmentsClient } from '../../core/environments-client';
import { errorText } from '../../core/error-text';
import { MigrationClient } from '../../core/migration-client';
import { TaskSocket } from '../../core/task-socket';
import {
  choose,
  confirmedMappings,
  migrationParams,
  rowsOf,
  unconfirmedRows,
  type MappingRow,
} from './migration-form';
import { MigrationReport } from './migration-report';

@Component({
  selector: 'td-migration',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, RouterLink, MigrationReport],
  templateUrl: './migration.html',
  styleUrl: './migration.scss',
})
export class Migration {
  private readonly environmentsClient = inject(EnvironmentsClient);
  private readonly migration = inject(MigrationClient);
  private readonly api = inject(ApiClient);
  private readonly socket = inject(TaskSocket);
  protected readonly auth = inject(Auth);

  protected readonly environments = signal<Environment[]>([]);
  protected readonly source = signal('');
  protected readonly target = signal('');
  protected readonly dashboards = signal<SupersetDashboardSummary[]>([]);
  protected readonly search = signal('');
  protected readonly selected = signal<ReadonlySet<number>>(new Set());
  protected readonly rows = signal<MappingRow[]>([]);
  protected readonly targets = signal<SupersetDatabaseSummary[]>([]);
  protected readonly overwrite = signal(true);
  protected readonly fixCrossFilters = signal(true);
  protected readonly loading = signal(false);
  protected readonly error = signal<string | null>(null);
  protected readonly saveState = signal<string | null>(null);
  protected readonly task = signal<Task | null>(null);
  protected readonly starting = signal(false);

  protected readonly pairReady = computed(
    () => !!this.source() && !!this.target() && this.source() !== this.target(),
  );
  protected readonly visible = computed(() => {
    const needle = this.search().trim().toLowerCase();
    return this.dashboards().filter(
      (d) => !needle || d.title.toLowerCase().includes(needle) || String(d.id) === needle,
    );
  });
  protected readonly unconfirmed = computed(() => unconfirmedRows(this.rows()));
  protected readonly report = computed(() => {
    const task = this.task();
    return task?.status === 'SUCCESS' && task.result ? (task.result as MigrationResult) : null;
  });

  constructor() {
    this.socket.connect();
    this.socket.tasks.pipe(takeUntilDestroyed(inject(DestroyRef))).subscribe((task) => {
      if (task.id === this.task()?.id) this.task.set(task);
    });
    void this.loadEnvironments();
  }

  protected async pick(side: 'source' | 'target', id: string): Promise<void> {
    (side === 'source' ? this.source : this.target).set(id);
    this.task.set(null);
    if (side === 'source') this.selected.set(new Set());
    await this.loadPair();
  }

  protected toggle(id: number, on: boolean): void {
    this.selected.update((s) => {
      const next = new Set(s);
      if (on) next.add(id);
      else next.delete(id);
      return next;
    });
  }

  protected chooseTarget(sourceUuid: string, target: string): void {
    this.rows.update((rows) => choose(rows, sourceUuid, target || null));
    this.saveState.set(null);
  }

  protected targetName(uuid: string | null): string {
    return this.targets().find((t) => t.uuid === uuid)?.name ?? '';
  }

  protected async saveMappings(): Promise<void> {
    this.saveState.set('Saving…');
    try {
      await this.migration.saveMappings(
        this.source(),
        this.target(),
        confirmedMappings(this.rows()),
      );
      this.rows.update((rows) =>
        rows.map((r) => (r.state === 'chosen' ? { ...r, state: 'saved' } : r)),
      );
      this.saveState.set('Saved.');
    } catch (error) {
      this.saveState.set(`Not saved: ${errorText(error)}`);
    }
  }

  protected async run(dryRun: boolean): Promise<void> {
    if (this.starting() || !this.pairReady() || this.selected().size === 0) return;
    this.starting.set(true);
    this.error.set(null);
    try {
      const params = migrationParams(
        this.source(),
        this.target(),
        [...this.selected()],
        this.rows(),
        {
          overwrite: this.overwrite(),
          fixCrossFilters: this.fixCrossFilters(),
          dryRun,
        },
      );
      const task = await this.api.createTask({ pluginId: 'migration', params });
      this.task.set(task);
      // A task can end before its first socket event arrives: read it once more.
      const current = await this.api.task(task.id);
      if (this.task()?.id === task.id && !isTaskFinished(this.task()!.status)) {
        this.task.set(current);
      }
    } catch (error) {
      this.error.set(errorText(error));
    } finally {
      this.starting.set(false);
    }
  }

  private async loadEnvironments(): Promise<void> {
    try {
      this.environments.set(await this.environmentsClient.list());
    } catch (error) {
      this.error.set(errorText(error));
    }
  }

  private async loadPair(): Promise<void> {
    this.dashboards.set([]);
    this.rows.set([]);
    if (!this.pairReady()) return;
    const [source, target] = [this.source(), this.target()];
    this.loading.set(true);
    this.error.set(null);
    try {
      const [dashboards, suggestions] = await Promise.all([
        this.environmentsClient.dashboards(source),
        this.migration.suggestions(source, target),
      ]);
      if (source !== this.source() || target !== this.target()) return;
      this.dashboards.set(dashboards);
      this.rows.set(rowsOf(suggestions));
      this.targets.set(suggestions.targets);
    } catch (error) {
      this.error.set(errorText(error));
    } finally {
      this.loading.set(false);
    }
  }
}
