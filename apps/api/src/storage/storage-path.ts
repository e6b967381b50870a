// The lexical half of path safety: what a relative storage path may look like before the file
// system is asked anything. The other half (symlinks) is StorageService.resolve.
import { BadRequestException } from '@nestjs/common';
import { STORAGE_CATEGORIES, type StorageCategory } from '@taskdeck/contracts';

/** Most file systems refuse longer names (bytes of UTF-8). */
export const MAX_NAME_BYTES = 255;
/** Linux's PATH_MAX, for the path below the root. */
export const MAX_PATH_BYTES = 4096;
/** Temporary files of atomic writes start with this; listings and usage skip them. */
export const TEMP_PREFIX = '.taskdeck-tmp-';

/** A path refused before anything was touched: the routes answer 400 with its message. */
export class StoragePathError extends BadRequestException {
  constructor(reason: string) {
    super(`invalid storage path: ${reason}`);
    this.name = 'StoragePathError';
  }
}

export interface StoragePath {
  /** Normalised, `/`-separated, relative to the root. */
  path: string;
  segments: string[];
  category: StorageCategory;
}

export function isStorageCategory(value: string): value is StorageCategory {
  return (STORAGE_CATEGORIES as readonly string[]).includes(value);
}

/**
 * Checks a path relative to the storage root: a string, no NUL, not absolute (POSIX, Windows drive
 * or UNC), no backslash, no `.`/`..`/empty segment, no over-long name or path, and under one of the
 * categories. `allowCategoryOnly` admits the category folder itself (`backups`).
 */
export function parseStoragePath(raw: unknown, allowCategoryOnly = false): StoragePath {
  if (typeof raw !== 'string' || raw === '') throw new StoragePathError('empty');
  if (raw.includes('\0')) throw new StoragePathError('contains NUL');
  if (raw.startsWith('/') || /^[A-Za-z]:/.test(raw)) {
    throw new StoragePathError('absolute paths are not allowed');
  }
  if (raw.includes('\\')) throw new StoragePathError('backslashes are not allowed');
  if (Buffer.byteLength(raw) > MAX_PATH_BYTES) throw new StoragePathError('path too long');
  const segments = raw.split('/');
  if (segments.at(-1) === '' && segments.length > 1) segments.pop(); // a trailing slash
  for (const segment of segments) checkName(segment);
  const category = segments[0];
  if (!isStorageCategory(category)) {
    throw new StoragePathError(`not under a category (${STORAGE_CATEGORIES.join(', ')})`);
  }
  if (segments.length === 1 && !allowCategoryOnly) {
    throw new StoragePathError('names a category, not a file');
  }
  return { path: segments.join('/'), segments, category };
}

/** One path segment: a file or folder name of its own. */
export function checkName(name: string): void {
  if (name === '') throw new StoragePathError('empty segment');
  if (name === '.' || name === '..') {
    throw new StoragePathError(`"${name}" segments are not allowed`);
  }
  if (name.includes('/') || name.includes('\\')) {
    throw new StoragePathError('a name may not contain a separator');
  }
  if (name.includes('\0')) throw new StoragePathError('contains NUL');
  if (Buffer.byteLength(name) > MAX_NAME_BYTES) {
    throw new StoragePathError(`name longer than ${MAX_NAME_BYTES} bytes`);
  }
  // eslint-disable-next-line no-control-regex
  if (/[\x00-\x1f\x7f]/.test(name)) throw new StoragePathError('contains control characters');
  if (name.startsWith(TEMP_PREFIX)) throw new StoragePathError('reserved name');
}

/**
 * A name fit for a single segment made from something else (an environment name, a title):
 * separators, control characters and leading dots replaced, cut to a safe length.
 */
export function safeName(raw: string, fallback = 'unnamed'): string {
  const cleaned = raw
    // eslint-disable-next-line no-control-regex
    .replace(/[\x00-\x1f\x7f/\\:*?"<>|]+/g, '_')
    .trim()
    .replace(/^\.+/, '_');
  let name = cleaned === '' ? fallback : cleaned;
  while (Buffer.byteLength(name) > 120) name = name.slice(0, -1);
  return name;
}
