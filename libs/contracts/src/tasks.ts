import type { TaskdeckRef } from './refs';

export const TASK_STATUSES = ['PENDING', 'RUNNING', 'SUCCESS', 'FAILED', 'CANCELLED'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

/** Statuses after which a task never changes again. */
export const FINISHED_TASK_STATUSES: readonly TaskStatus[] = ['SUCCESS', 'FAILED', 'CANCELLED'];

export function isTaskFinished(status: TaskStatus): boolean {
  return FINISHED_TASK_STATUSES.includes(status);
}

/** A task as the API returns it. Timestamps are ISO 8601 UTC with milliseconds. */
export interface Task {
  id: string;
  pluginId: string;
  params: unknown;
  status: TaskStatus;
  /** 0–100, or null when the plugin never reported progress. */
  progress: number | null;
  result: unknown;
  error: string | null;
  /** Username of the user who started the task. */
  createdBy: string | null;
  createdAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface CreateTaskRequest {
  pluginId: string;
  params?: Record<string, unknown>;
}

export interface TaskListQuery {
  status?: TaskStatus;
  pluginId?: string;
  limit?: number;
  cursor?: string;
}

/** A page of results; `nextCursor` is null at the end. */
export interface Page<T> {
  items: T[];
  nextCursor: string | null;
}

/** A plugin as `GET /api/plugins` lists it; `paramsSchema` is a JSON Schema. */
export interface PluginInfo {
  id: string;
  name: string;
  description: string;
  paramsSchema: JsonSchema;
}

/** The subset of JSON Schema that plugins use and the console renders as a form. */
export interface JsonSchema {
  type?: 'object' | 'string' | 'integer' | 'number' | 'boolean' | 'array' | 'null';
  title?: string;
  description?: string;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  enum?: readonly (string | number)[];
  items?: JsonSchema;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  /** A regular expression (ECMA-262) a string must match. */
  pattern?: string;
  minItems?: number;
  maxItems?: number;
  default?: unknown;
  additionalProperties?: boolean | JsonSchema;
  allOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  if?: JsonSchema;
  then?: JsonSchema;
  const?: unknown;
  format?: string;
  /** Keys of an object (e.g. `{format: 'uuid'}` for a map keyed by uuids). */
  propertyNames?: JsonSchema;
  /**
   * A secret (a password): the server seals it when the task is created, so the task's params
   * (answers, logs) hold only ciphertext; the plugin opens it with `openSecretParam()`.
   */
  writeOnly?: boolean;
  /** Marks a field that refers to a Taskdeck object: the console offers a picker (refs.ts). */
  'x-taskdeck-ref'?: TaskdeckRef;
}
