// The opaque cursor of the task list: the last item's (createdAt, id), base64url JSON.
import { BadRequestException } from '@nestjs/common';
import type { Task } from '@taskdeck/contracts';
import { isUuid } from '../common/uuid';

export interface ListCursor {
  createdAt: string;
  id: string;
}

export function encodeCursor(task: Pick<Task, 'createdAt' | 'id'>): string {
  return Buffer.from(JSON.stringify([task.createdAt, task.id])).toString('base64url');
}

export function decodeCursor(cursor: string): ListCursor {
  try {
    const [createdAt, id] = JSON.parse(
      Buffer.from(cursor, 'base64url').toString('utf8'),
    ) as unknown[];
    if (typeof createdAt === 'string' && !Number.isNaN(Date.parse(createdAt)) && isUuid(id)) {
      return { createdAt, id };
    }
  } catch {
    // falls through to the 400 below
  }
  throw new BadRequestException('cursor is not one this server issued');
}
