// Run a task: pick a plugin, fill the form generated from its paramsSchema, see what is wrong before
// and after submitting, land on the new task's page.
import { ChangeDetectionStrategy, Component, computed, inject, signal } from '@angular/core';
import { MatButtonModule } from '@angular/material/button';
import { MatFormFieldModule } from '@angular/material/form-field';
import { MatInputModule } from '@angular/material/input';
import { ActivatedRoute, Router } from '@angular/router';
import type { PluginInfo } from '@taskdeck/contracts';
import { ApiClient } from '../../../core/api-client';
import { errorText } from '../../../core/error-text';
import {
  dependentFields,
  fieldsOf,
  initialValues,
  prefilledValues,
  requiredFor,
  toParams,
  type RawValues,
} from './params-schema';
import { RefPicker } from './ref-picker';

@Component({
  selector: 'td-task-run',
  changeDetection: ChangeDetectionStrategy.OnPush,
  imports: [MatButtonModule, MatFormFieldModule, MatInputModule, RefPicker],
  templateUrl: './task-run.html',
  styleUrl: './task-run.scss',
})
export class TaskRun {
  private readonly api = inject(ApiClient);
  private readonly router = inject(Router);
  private readonly route = inject(ActivatedRoute);

  protected readonly plugins = signal<PluginInfo[]>([]);
  protected readonly loading = signal(true);
  protected readonly loadError = signal<string | null>(null);
  protected readonly plugin = signal<PluginInfo | null>(null);
  protected readonly values = signal<RawValues>({});
  /** Fields the user has left at least once: their errors show before submitting. */
  protected readonly touched = signal<ReadonlySet<string>>(new Set());
  protected readonly submitted = signal(false);
  protected readonly submitting = signal(false);
  protected readonly submitError = signal<string | null>(null);

  protected readonly fields = computed(() => fieldsOf(this.plugin()?.paramsSchema));
  protected readonly required = computed(() =>
    requiredFor(this.plugin()?.paramsSchema, this.values()),
  );
  private readonly result = computed(() => toParams(this.plugin()?.paramsSchema, this.values()));
  /** Errors to show now: all after a submit, else those of touched fields. */
  protected readonly errors = computed(() => {
    const all = this.result().errors;
    if (this.submitted()) return all;
    return Object.fromEntries(Object.entries(all).filter(([name]) => this.touched().has(name)));
  });
  protected readonly errorCount = computed(() => Object.keys(this.errors()).length);

  constructor() {
    void this.loadPlugins();
  }

  protected choose(id: string): void {
    const plugin = this.plugins().find((p) => p.id === id) ?? null;
    this.plugin.set(plugin);
    this.values.set(initialValues(plugin?.paramsSchema));
    this.touched.set(new Set());
    this.submitted.set(false);
    this.submitError.set(null);
  }

  /** A new environment empties the pickers that list that environment's objects. */
  protected setValue(name: string, value: string | boolean): void {
    const dependents = dependentFields(this.plugin()?.paramsSchema, name);
    this.values.update((values) => {
      const next = { ...values, [name]: value };
      if (values[name] !== value) for (const dependent of dependents) next[dependent] = '';
      return next;
    });
  }

  protected labelOf(name: string | undefined): string {
    const field = this.fields().find((f) => f.name === name);
    return field ? `the ${field.label.toLowerCase()}` : 'the environment';
  }

  protected touch(name: string): void {
    if (!this.touched().has(name)) this.touched.update((set) => new Set([...set, name]));
  }

  protected text(name: string): string {
    const value = this.values()[name];
    return typeof value === 'string' ? value : '';
  }

  protected async submit(): Promise<void> {
    const plugin = this.plugin();
    if (!plugin || this.submitting()) return;
    this.submitted.set(true);
    this.submitError.set(null);
    const { params, errors } = this.result();
    if (Object.keys(errors).length) return;
    this.submitting.set(true);
    try {
      const task = await this.api.createTask({ pluginId: plugin.id, params });
      await this.router.navigate(['/tasks', task.id]);
    } catch (error) {
      this.submitError.set(errorText(error));
    } finally {
      this.submitting.set(false);
    }
  }

  private async loadPlugins(): Promise<void> {
    try {
      const plugins = await this.api.plugins();
      this.plugins.set(plugins);
      const wanted = this.route.snapshot.queryParamMap.get('plugin');
      const initial =
        plugins.find((p) => p.id === wanted) ?? (plugins.length === 1 ? plugins[0] : null);
      if (initial) {
        this.choose(initial.id);
        // A link may prefill fields: `?plugin=git&action=commit&repositoryId=…`.
        if (initial.id === wanted) {
          const query = this.route.snapshot.queryParamMap;
          const given = Object.fromEntries(query.keys.map((key) => [key, query.get(key) ?? '']));
          this.values.update((values) => ({
            ...values,
            ...prefilledValues(initial.paramsSchema, given),
          }));
        }
      }
    } catch (error) {
      this.loadError.set(errorText(error));
    } finally {
      this.loading.set(false);
    }
  }
}
