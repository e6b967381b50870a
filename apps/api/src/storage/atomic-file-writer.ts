// A file written in full or not at all: the bytes go to a temporary file in the target's own
// directory (so the rename stays on one file system), which is flushed to disk (fsync) and then
// renamed over the target, and the directory is synced so the rename itself survives a crash.
// Until `commit()` the target does not exist (or keeps its old content); `abort()` removes the
// temporary file. A crash in between leaves only a hidden `.taskdeck-tmp-*` file, which storage
// never lists and removes at start.
import { randomBytes } from 'node:crypto';
import { createWriteStream, type WriteStream } from 'node:fs';
import { open, rename, rm, stat } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { once } from 'node:events';
import { TEMP_PREFIX } from './storage-path';

export class AtomicFileWriter {
  /** The temporary file's write stream; pipe into it or use `write`. Flushes (fsync) on close. */
  readonly stream: WriteStream;
  readonly tempPath: string;
  private settled = false;
  private failure: Error | undefined;

  constructor(readonly targetPath: string) {
    this.tempPath = join(
      dirname(targetPath),
      `${TEMP_PREFIX}${randomBytes(6).toString('hex')}-${basename(targetPath)}`.slice(0, 255),
    );
    this.stream = createWriteStream(this.tempPath, { flags: 'wx', mode: 0o640, flush: true });
    this.stream.on('error', (error) => {
      this.failure ??= error;
    });
  }

  /** Bytes written to the temporary file so far. */
  get bytesWritten(): number {
    return this.stream.bytesWritten + this.stream.writableLength;
  }

  /** Writes a chunk, waiting when the stream's buffer is full. */
  async write(chunk: Uint8Array | string): Promise<void> {
    this.throwIfFailed();
    if (this.settled) throw new Error('the file was already committed or aborted');
    if (!this.stream.write(chunk)) {
      // `once` rejects on 'error' and removes its listeners either way.
      await once(this.stream, 'drain');
      this.throwIfFailed();
    }
  }

  /** Ends the temporary file, flushes it, and renames it over the target. Returns its size. */
  async commit(): Promise<number> {
    if (this.settled) throw new Error('the file was already committed or aborted');
    this.settled = true;
    try {
      if (!this.stream.writableEnded) this.stream.end();
      if (!this.stream.closed) await once(this.stream, 'close');
      this.throwIfFailed();
      await rename(this.tempPath, this.targetPath);
      await syncDirectory(dirname(this.targetPath));
      return (await stat(this.targetPath)).size;
    } catch (error) {
      await rm(this.tempPath, { force: true }).catch(() => undefined);
      throw error;
    }
  }

  private throwIfFailed(): void {
    const failure = this.failure;
    if (failure) throw failure;
  }

  /** Drops the temporary file; the target is left as it was. Safe to call more than once. */
  async abort(): Promise<void> {
    if (this.settled) return;
    this.settled = true;
    if (!this.stream.closed) {
      this.stream.destroy();
      await once(this.stream, 'close').catch(() => undefined);
    }
    await rm(this.tempPath, { force: true });
  }
}

/** fsync on a directory makes a rename in it durable (a no-op where the platform refuses). */
export async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r').catch(() => undefined);
  if (!handle) return;
  try {
    await handle.sync().catch(() => undefined);
  } finally {
    await handle.close();
  }
}
