import type { Task } from '@taskdeck/contracts';
import type { TaskEntity } from './entities/task.entity';

const iso = (date: Date | null): string | null => (date ? date.toISOString() : null);

/** The contract's Task: what the API and the socket send. */
export function toTask(entity: TaskEntity): Task {
  return {
    id: entity.id,
    pluginId: entity.pluginId,
    params: entity.params,
    status: entity.status,
    progress: entity.progress,
    result: entity.result ?? null,
    error: entity.error,
    createdBy: entity.createdBy,
    createdAt: entity.createdAt.toISOString(),
    startedAt: iso(entity.startedAt),
    finishedAt: iso(entity.finishedAt),
  };
}
