// Belief-scope tracing: Entry, Exit and Coherence lines (at DEBUG, with the duration) around a
// named step. Inside a task they go to that task's log under the plugin's source; elsewhere to the
// server log. With `enableBeliefState` off, a scope costs one flag check.
import { Logger } from '@nestjs/common';
import { currentTaskContext } from './current-task';

/** Read on every scope; LoggingConfigService keeps it equal to `enableBeliefState`. */
export const beliefState = { enabled: true };

const serverLog = new Logger('BeliefScope');

interface ScopeSink {
  debug(message: string, metadata?: object): void;
}

function sink(): ScopeSink {
  const task = currentTaskContext();
  if (task) return task.logger;
  return {
    debug: (message, metadata) =>
      serverLog.debug(metadata ? `${message} ${JSON.stringify(metadata)}` : message),
  };
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as { then?: unknown } | null)?.then === 'function';
}

function describe(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}

function traced<T>(name: string, run: () => T): T {
  const out = sink();
  const started = performance.now();
  out.debug(`[${name}] Entry`);
  const finish = (error?: unknown): void => {
    const durationMs = Math.round((performance.now() - started) * 1000) / 1000;
    out.debug(`[${name}] Exit`, { durationMs });
    if (error === undefined) out.debug(`[${name}] Coherence OK`, { durationMs });
    else {
      out.debug(`[${name}] Coherence failed: ${describe(error)}`, {
        durationMs,
        error: describe(error),
      });
    }
  };
  let result: T;
  try {
    result = run();
  } catch (error) {
    finish(error ?? new Error('thrown: undefined'));
    throw error;
  }
  if (!isPromiseLike(result)) {
    finish();
    return result;
  }
  return Promise.resolve(result).then(
    (value) => {
      finish();
      return value;
    },
    (error: unknown) => {
      finish(error ?? new Error('rejected: undefined'));
      throw error;
    },
  ) as T;
}

/** Runs `fn` inside a belief scope; keeps its result (sync or async) and its errors. */
export function beliefScope<T>(name: string, fn: () => T): T {
  return beliefState.enabled ? traced(name, fn) : fn();
}

/** Method decorator: the method runs inside a belief scope named `name` (default Class.method). */
export function BeliefScope(name?: string): MethodDecorator {
  return (target, propertyKey, descriptor: PropertyDescriptor) => {
    const original = descriptor.value as (...args: unknown[]) => unknown;
    const scopeName =
      name ??
      `${(target as { constructor: { name: string } }).constructor.name}.${String(propertyKey)}`;
    descriptor.value = function (this: unknown, ...args: unknown[]) {
      return beliefState.enabled
        ? traced(scopeName, () => original.apply(this, args))
        : original.apply(this, args);
    };
    Object.defineProperty(descriptor.value, 'name', { value: original.name });
    return descriptor;
  };
}
