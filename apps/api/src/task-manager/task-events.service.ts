import { Injectable } from '@nestjs/common';
import type { Task } from '@taskdeck/contracts';
import { Subject, type Observable } from 'rxjs';

/**
 * Domain events of tasks on this instance, raised after the change is stored. The live stream
 * turns them into `task` messages; other instances learn of them through the ClusterBus.
 */
@Injectable()
export class TaskEventsService {
  private readonly changes = new Subject<Task>();
  private readonly deletions = new Subject<string>();

  /** A task's status or progress changed (also emitted for a new PENDING task). */
  readonly changes$: Observable<Task> = this.changes.asObservable();
  /** A task and its log were deleted; carries the task id. */
  readonly deleted$: Observable<string> = this.deletions.asObservable();

  changed(task: Task): void {
    this.changes.next(task);
  }

  deleted(taskId: string): void {
    this.deletions.next(taskId);
  }
}
