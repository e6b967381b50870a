// An exception thrown where nobody can catch it — an RxJS subscriber, an EventEmitter listener, a
// timer callback, a promise nobody awaits — would end Node's process, and with it every task and
// connection of the server. One bad request once did exactly that (a null log level reaching pino
// inside a subscriber). Such an error is a bug to fix, not a reason to stop serving: it is logged
// with its stack, and the server goes on.
import { Logger } from '@nestjs/common';
import { config as rxjsConfig } from 'rxjs';

export type CrashOrigin = 'uncaught exception' | 'unhandled rejection' | 'RxJS subscriber error';

/** Logs what escaped; `origin` names how, so a log search finds every such line. */
export function reportEscapedError(logger: Logger, origin: CrashOrigin, error: unknown): void {
  const text =
    error instanceof Error
      ? `${error.name}: ${error.message}`
      : `a non-Error value: ${safe(error)}`;
  logger.error(`${origin}, the server keeps running: ${text}`, (error as Error | null)?.stack);
}

function safe(value: unknown): string {
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return String(value);
  }
}

/** Installs the guards for the whole process; returns a function that removes them. */
export function installCrashGuards(logger = new Logger('CrashGuard')): () => void {
  const onException = (error: unknown): void =>
    reportEscapedError(logger, 'uncaught exception', error);
  const onRejection = (reason: unknown): void =>
    reportEscapedError(logger, 'unhandled rejection', reason);
  const previousRxjsHandler = rxjsConfig.onUnhandledError;
  rxjsConfig.onUnhandledError = (error: unknown) =>
    reportEscapedError(logger, 'RxJS subscriber error', error);
  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
  return () => {
    process.off('uncaughtException', onException);
    process.off('unhandledRejection', onRejection);
    rxjsConfig.onUnhandledError = previousRxjsHandler;
  };
}
