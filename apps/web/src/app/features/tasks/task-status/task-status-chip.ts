// A task's status as a chip: text and colour, never colour alone.
import { ChangeDetectionStrategy, Component, input } from '@angular/core';
import type { TaskStatus } from '@taskdeck/contracts';

@Component({
  selector: 'td-task-status-chip',
  changeDetection: ChangeDetectionStrategy.OnPush,
  template: `<span [class]="'td-status td-status-' + status()" data-testid="task-status">{{
    status()
  }}</span>`,
})
export class TaskStatusChip {
  readonly status = input.required<TaskStatus>();
}
