// The file store: the one place that turns a storage path into a file system path. Everything
// under STORAGE_DIR goes through here: the files API, the backup and storage plugins, the git
// plugin's work trees, the validation screenshots.
import { createReadStream, type ReadStream, type Dirent, type Stats } from 'node:fs';
import { lstat, mkdir, readdir, realpath, rm, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { Inject, Injectable, Logger, NotFoundException, type OnModuleInit } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import {
  STORAGE_CATEGORIES,
  type StorageCategory,
  type StorageUsage,
  type StoredFile,
} from '@taskdeck/contracts';
import { lookup } from 'mime-types';
import { storageConfig } from '../config/storage.config';
import { AtomicFileWriter } from './atomic-file-writer';
import {
  checkName,
  parseStoragePath,
  StoragePathError,
  TEMP_PREFIX,
  type StoragePath,
} from './storage-path';

/** A temporary file untouched this long belongs to no live writer. */
const LEFTOVER_AGE_MS = 15 * 60_000;

export type AtomicData = string | Uint8Array | Readable | AsyncIterable<Uint8Array>;

export interface ListFilesQuery {
  category?: StorageCategory;
  /** A prefix of `path` (relative to the root, e.g. `backups/prod/`). */
  prefix?: string;
}

@Injectable()
export class StorageService implements OnModuleInit {
  private readonly logger = new Logger(StorageService.name);
  /** The root as configured (absolute). */
  readonly root: string;
  private realRoot: Promise<string> | undefined;

  constructor(@Inject(storageConfig.KEY) config: ConfigType<typeof storageConfig>) {
    this.root = config.root;
  }

  async onModuleInit(): Promise<void> {
    await this.rootReal();
    const removed = await this.removeLeftoverTempFiles();
    if (removed > 0) {
      this.logger.warn(`removed ${removed} unfinished temporary file(s) left by a crash`);
    }
  }

  /**
   * The absolute path of a storage path, after checking it: 400 (StoragePathError) for `..`, an
   * absolute path, NUL, an over-long name, a path outside the categories, or one that reaches out
   * of the root through a symlink. Nothing is created, read or changed. The file need not exist.
   */
  async resolve(
    relativePath: string,
    options: { allowCategoryOnly?: boolean } = {},
  ): Promise<string> {
    return (await this.locate(relativePath, options.allowCategoryOnly)).absolute;
  }

  /**
   * The directory `<category>/<name>` (e.g. a git work tree `repositories/<name>`), created if
   * missing. `name` is one path segment; anything else is a 400.
   */
  async directoryFor(category: StorageCategory, name: string): Promise<string> {
    checkName(name);
    const absolute = await this.resolve(`${category}/${name}`);
    await mkdir(absolute, { recursive: true });
    return absolute;
  }

  /** Creates the parent directories of a storage path (checked) and returns its absolute path. */
  async prepareFile(relativePath: string): Promise<string> {
    const { absolute, parsed } = await this.locate(relativePath);
    const parent = await this.resolve(parsed.segments.slice(0, -1).join('/'), {
      allowCategoryOnly: true,
    });
    await mkdir(parent, { recursive: true });
    return absolute;
  }

  /** The storage path of an absolute path inside the root (for answers and logs). */
  relativePath(absolute: string): string {
    const rel = relative(this.root, absolute);
    if (rel.startsWith('..') || rel === '') throw new StoragePathError('outside the storage root');
    return rel.split(sep).join('/');
  }

  /**
   * Writes a whole file atomically: a temporary file in the same directory, fsync, rename. A
   * failure (or an aborted `signal`) leaves the target as it was.
   */
  async writeAtomic(
    relativePath: string,
    data: AtomicData,
    options: { signal?: AbortSignal } = {},
  ): Promise<StoredFile> {
    const writer = await this.createWriter(relativePath);
    try {
      if (typeof data === 'string' || data instanceof Uint8Array) {
        await writer.write(data);
      } else {
        await pipeline(data, writer.stream, { end: false, signal: options.signal });
      }
      options.signal?.throwIfAborted();
      await writer.commit();
    } catch (error) {
      await writer.abort();
      throw error;
    }
    return this.stat(relativePath);
  }

  /**
   * A streaming atomic writer for large files: write chunks (or pipe into `stream`), then
   * `commit()`; `abort()` leaves nothing behind. The parent folders are created.
   */
  async createWriter(relativePath: string): Promise<AtomicFileWriter> {
    const absolute = await this.prepareFile(relativePath);
    const writer = new AtomicFileWriter(absolute);
    await new Promise<void>((resolve, reject) => {
      writer.stream.once('ready', () => resolve());
      writer.stream.once('error', reject);
    });
    return writer;
  }

  /** Regular files (not hidden ones), newest first. */
  async list(query: ListFilesQuery = {}): Promise<StoredFile[]> {
    const categories = query.category ? [query.category] : [...STORAGE_CATEGORIES];
    let start: string[] = categories;
    let prefix = '';
    if (query.prefix !== undefined && query.prefix !== '') {
      const parsed = parseStoragePath(query.prefix, true);
      prefix = query.prefix.endsWith('/') ? `${parsed.path}/` : parsed.path;
      if (!categories.includes(parsed.category)) return [];
      // Walk from the deepest folder the prefix names in full.
      const folders = prefix.endsWith('/') ? parsed.segments : parsed.segments.slice(0, -1);
      start = [folders.length > 0 ? folders.join('/') : parsed.category];
    }
    const files: StoredFile[] = [];
    for (const dir of start) {
      const absolute = await this.resolve(dir, { allowCategoryOnly: true });
      await this.walk(absolute, false, (path, stats) => {
        const rel = this.relativePath(path);
        if (rel.startsWith(prefix)) files.push(this.describe(rel, stats));
      });
    }
    return files.sort(
      (a, b) => b.createdAt.localeCompare(a.createdAt) || a.path.localeCompare(b.path),
    );
  }

  /** One file's description; 404 when it does not exist or is not a regular file. */
  async stat(relativePath: string): Promise<StoredFile> {
    const { absolute, parsed } = await this.locate(relativePath);
    const stats = await stat(absolute).catch(() => undefined);
    if (!stats?.isFile()) throw new NotFoundException(`no file ${parsed.path}`);
    return this.describe(parsed.path, stats);
  }

  /** The file and a stream of its bytes (for downloads). */
  async openRead(relativePath: string): Promise<{ file: StoredFile; stream: ReadStream }> {
    const file = await this.stat(relativePath);
    const stream = createReadStream(await this.resolve(file.path));
    return { file, stream };
  }

  /** Deletes one file (never a folder); 404 when missing. Returns what was deleted. */
  async delete(relativePath: string): Promise<StoredFile> {
    const file = await this.stat(relativePath);
    await rm(await this.resolve(file.path));
    return file;
  }

  /** Bytes and files per category: everything on disk (a work tree's `.git` too), no temp files. */
  async usage(): Promise<StorageUsage> {
    const usage: StorageUsage = {
      totalBytes: 0,
      files: 0,
      byCategory: Object.fromEntries(
        STORAGE_CATEGORIES.map((category) => [category, { bytes: 0, files: 0 }]),
      ) as StorageUsage['byCategory'],
    };
    for (const category of STORAGE_CATEGORIES) {
      const entry = usage.byCategory[category];
      await this.walk(await this.resolve(category, { allowCategoryOnly: true }), true, (_, s) => {
        entry.bytes += s.size;
        entry.files += 1;
      });
      usage.totalBytes += entry.bytes;
      usage.files += entry.files;
    }
    return usage;
  }

  private describe(path: string, stats: Stats): StoredFile {
    const name = path.slice(path.lastIndexOf('/') + 1);
    // The time the file was written (an atomic write renames a finished file, so it is also its
    // creation); unlike the birth time it survives copies that keep times (cp -p, rsync -t).
    const created = stats.mtime;
    return {
      path,
      name,
      category: path.slice(0, path.indexOf('/')) as StorageCategory,
      size: stats.size,
      createdAt: created.toISOString(),
      mimeType: lookup(name) || 'application/octet-stream',
    };
  }

  /** Regular files below `dir` (symlinks are not followed; temp files skipped). */
  private async walk(
    dir: string,
    includeHidden: boolean,
    visit: (path: string, stats: Stats) => void,
  ): Promise<void> {
    let entries: Dirent[];
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
      if ((error as NodeJS.ErrnoException).code === 'ENOTDIR') return;
      throw error;
    }
    for (const entry of entries) {
      if (entry.name.startsWith(TEMP_PREFIX)) continue;
      if (!includeHidden && entry.name.startsWith('.')) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) await this.walk(path, includeHidden, visit);
      else if (entry.isFile()) {
        const stats = await stat(path).catch(() => undefined);
        if (stats?.isFile()) visit(path, stats);
      }
    }
  }

  private rootReal(): Promise<string> {
    this.realRoot ??= (async () => {
      await mkdir(this.root, { recursive: true });
      for (const category of STORAGE_CATEGORIES) {
        await mkdir(join(this.root, category), { recursive: true });
      }
      return realpath(this.root);
    })().catch((error: unknown) => {
      this.realRoot = undefined;
      throw error;
    });
    return this.realRoot;
  }

  /**
   * Lexical check, then the symlink check: each existing component is looked at (lstat), and a
   * symlink's target must stay inside the real root.
   */
  private async locate(
    relativePath: string,
    allowCategoryOnly = false,
  ): Promise<{ absolute: string; parsed: StoragePath }> {
    const parsed = parseStoragePath(relativePath, allowCategoryOnly);
    const root = await this.rootReal();
    let current = root;
    for (let i = 0; i < parsed.segments.length; i++) {
      const next = join(current, parsed.segments[i]);
      const info = await lstat(next).catch((error: NodeJS.ErrnoException) => {
        if (error.code === 'ENOENT' || error.code === 'ENOTDIR') return undefined;
        throw error;
      });
      if (!info) {
        return { absolute: join(next, ...parsed.segments.slice(i + 1)), parsed };
      }
      if (info.isSymbolicLink()) {
        const target = await realpath(next).catch(() => undefined);
        if (!target || !inside(root, target)) {
          throw new StoragePathError('a symlink points out of the storage root');
        }
        current = target;
      } else {
        current = next;
      }
    }
    // The path as the caller named it (inside the root), so that relativePath() maps it back.
    return { absolute: join(this.root, ...parsed.segments), parsed };
  }

  private async removeLeftoverTempFiles(): Promise<number> {
    let removed = 0;
    const sweep = async (dir: string): Promise<void> => {
      const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isFile() && entry.name.startsWith(TEMP_PREFIX)) {
          // Only leftovers: a live writer (of this or another instance on a shared volume)
          // touches its file far more often than this.
          const stats = await stat(path).catch(() => undefined);
          if (stats && Date.now() - stats.mtimeMs > LEFTOVER_AGE_MS) {
            await rm(path, { force: true });
            removed++;
          }
        } else if (entry.isDirectory() && entry.name !== '.git') {
          await sweep(path);
        }
      }
    };
    for (const category of STORAGE_CATEGORIES) await sweep(join(this.root, category));
    return removed;
  }
}

function inside(root: string, target: string): boolean {
  return target === root || target.startsWith(root + sep);
}
