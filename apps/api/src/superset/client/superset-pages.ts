// Reading a whole Superset list. Superset caps `page_size` silently (FAB_API_MAX_PAGE_SIZE, 100 by
// default), so we ask for 100 and take the size of the first page as the real one. The first page
// also gives `count`, so every other page is requested at once; the client's limiter keeps at most
// four of them in flight to one Superset.
import type { TaskLogger } from '../../plugin-api';
import type { SupersetFilter, SupersetPage } from './superset-types';

export const PAGE_SIZE = 100;

export interface ListQuery {
  filters?: SupersetFilter[];
  /** Superset allows only its own order columns per resource (never `id`). */
  order_column: string;
  order_direction: 'asc' | 'desc';
}

export type PageReader<T> = (page: number) => Promise<SupersetPage<T>>;

/** Every item of a list, each once (by id), in page order. */
export async function readAllPages<T extends { id: number }>(
  read: PageReader<T>,
  logger: TaskLogger,
  what: string,
): Promise<T[]> {
  const first = await read(0);
  const size = effectivePageSize(first);
  const pages = size === 0 ? 1 : Math.ceil(first.count / size);
  const rest = await Promise.all(Array.from({ length: pages - 1 }, (_, i) => read(i + 1)));
  const items = unique([first, ...rest]);
  if (items.length < first.count) {
    // Rows moved between pages while we read (something was added, deleted or re-ordered):
    // read once more, one page after the other, and keep what either pass saw.
    logger.warning(
      `${what}: Superset reported ${first.count} but the pages held ${items.length}; reading them again`,
    );
    return unique([{ count: 0, result: items }, ...(await walk(read, first.count))]);
  }
  return items;
}

/** One page after the other until `count` items or an empty page: the plain way, and the fallback. */
export async function walkPages<T extends { id: number }>(read: PageReader<T>): Promise<T[]> {
  const first = await read(0);
  return unique([first, ...(await walk(read, first.count, 1, first.result.length))]);
}

async function walk<T>(
  read: PageReader<T>,
  count: number,
  from = 0,
  seen = 0,
): Promise<SupersetPage<T>[]> {
  const pages: SupersetPage<T>[] = [];
  for (let page = from, total = seen; total < count; page++) {
    const next = await read(page);
    if (next.result.length === 0) break;
    pages.push(next);
    total += next.result.length;
  }
  return pages;
}

function effectivePageSize(first: SupersetPage<unknown>): number {
  const got = first.result.length;
  return got < PAGE_SIZE && got < first.count ? got : PAGE_SIZE;
}

function unique<T extends { id: number }>(pages: SupersetPage<T>[]): T[] {
  const byId = new Map<number, T>();
  for (const page of pages) {
    for (const item of page.result) if (!byId.has(item.id)) byId.set(item.id, item);
  }
  return [...byId.values()];
}
