// A database write that must not be lost to a short outage: retried with back-off until a deadline.
import { setTimeout as sleep } from 'node:timers/promises';
import type { Logger } from '@nestjs/common';
import { errorMessage } from './task-outcome';

/** Retries `write` (200 ms doubling to 5 s) until `deadline` (epoch ms); undefined if it never succeeded. */
export async function retryWrite<T>(
  what: string,
  write: () => Promise<T>,
  deadline: number,
  logger: Logger,
): Promise<T | undefined> {
  for (let delay = 200; ; delay = Math.min(delay * 2, 5000)) {
    try {
      return await write();
    } catch (error) {
      if (Date.now() + delay > deadline) {
        logger.error(`${what} failed for good: ${errorMessage(error)}`);
        return undefined;
      }
      logger.warn(`${what} failed, retrying in ${delay} ms: ${errorMessage(error)}`);
      await sleep(delay);
    }
  }
}
