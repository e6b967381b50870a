// A migration's result as tables: the dashboards (new, or which one they overwrite on the target),
// each database and what the run does with it, and the files rewritten. Used by the Migration page
// for a dry run and by the task page for any migration task.
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { MigrationResult } from '@taskdeck/contracts';

const ACTIONS: Record<MigrationResult['databases'][number]['action'], string> = {
  mapped: 'mapped',
  same: 'same on the target',
  create: 'created on the target',
  unmapped: 'UNMAPPED',
};

@Component({
  selector: 'td-migration-report',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `
    @let r = result();
    <section class="report" data-testid="migration-report" [attr.data-dry-run]="r.dryRun">
      <h2>
        {{ r.dryRun ? 'Dry run' : 'Migration' }}:
        {{ r.imported ? 'imported' : 'nothing imported' }}
        @if (r.unmapped.length) {
          <span class="td-error">· {{ r.unmapped.length }} unmapped database(s)</span>
        }
      </h2>
      <table aria-label="Dashboards">
        <thead>
          <tr>
            <th scope="col">Dashboard</th>
            <th scope="col">Source id</th>
            <th scope="col">On the target</th>
          </tr>
        </thead>
        <tbody>
          @for (d of r.dashboards; track d.uuid) {
            <tr data-testid="report-dashboard">
              <td>{{ d.title }}</td>
              <td>#{{ d.id }}</td>
              <td>{{ d.targetId === null ? 'new' : 'overwrites #' + d.targetId }}</td>
            </tr>
          }
        </tbody>
      </table>
      <table aria-label="Databases">
        <thead>
          <tr>
            <th scope="col">Database</th>
            <th scope="col">What happens</th>
            <th scope="col">Target</th>
          </tr>
        </thead>
        <tbody>
          @for (d of r.databases; track d.uuid) {
            <tr
              data-testid="report-database"
              [attr.data-action]="d.action"
              [class.unmapped]="d.action === 'unmapped'"
            >
              <td>
                {{ d.name }} <span class="uuid">{{ d.uuid }}</span>
              </td>
              <td>{{ actions[d.action] }}</td>
              <td>
                {{ d.targetName ?? '' }} <span class="uuid">{{ d.targetUuid ?? '' }}</span>
              </td>
            </tr>
          }
        </tbody>
      </table>
      @if (r.rewrittenFiles.length) {
        <details>
          <summary>{{ r.rewrittenFiles.length }} file(s) rewritten</summary>
          <ul class="files">
            @for (f of r.rewrittenFiles; track f) {
              <li>{{ f }}</li>
            }
          </ul>
        </details>
      }
      @if (r.imported) {
        <p>Filters fixed on {{ r.crossFiltersFixed }} dashboard(s).</p>
      }
    </section>
  `,
  styles: `
    .report {
      margin: 0.75rem 0;
    }
    h2 {
      font-size: 1.05rem;
    }
    table {
      border-collapse: collapse;
      margin-bottom: 0.75rem;
      min-width: min(40rem, 100%);
    }
    th,
    td {
      text-align: left;
      padding: 0.3rem 0.6rem;
      border-bottom: 1px solid #e5e7eb;
    }
    .uuid {
      color: #6b7280;
      font-family: monospace;
      font-size: 0.8rem;
    }
    .unmapped td {
      background: #fef2f2;
      color: #991b1b;
      font-weight: 600;
    }
    .files {
      font-family: monospace;
      font-size: 0.85rem;
    }
  `,
})
export class MigrationReport {
  readonly result = input.required<MigrationResult>();
  protected readonly actions = ACTIONS;
}
