// A TaskLogger over the server's own log, for Superset calls made outside a task (the environment
// routes): requests land under the `superset_api` context at DEBUG, as in a task's log.
import { Logger } from '@nestjs/common';
import type { TaskLogger } from '../plugin-api';

export function serverTaskLogger(context: string): TaskLogger {
  const logger = new Logger(context);
  return {
    debug: (message, metadata) => logger.debug(metadata ? { msg: message, ...metadata } : message),
    info: (message, metadata) => logger.log(metadata ? { msg: message, ...metadata } : message),
    warning: (message, metadata) => logger.warn(metadata ? { msg: message, ...metadata } : message),
    error: (message, metadata) => logger.error(metadata ? { msg: message, ...metadata } : message),
    withSource: (source) => serverTaskLogger(source),
  };
}
