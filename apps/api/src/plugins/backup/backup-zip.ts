// Superset export ZIPs, streamed: the backup merges the ZIPs of its chunks into one (one root folder,
// identical files once) without holding more than one entry in memory, and the storage plugin and
// the restore read ZIPs entry by entry. fflate's streaming Zip/Unzip do the format.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { open } from 'node:fs/promises';
import { Writable } from 'node:stream';
import { availableParallelism } from 'node:os';
import { promisify } from 'node:util';
import { crc32, deflateRaw, inflateRawSync } from 'node:zlib';
import {
  Unzip,
  Zip,
  ZipPassThrough,
  type AsyncFlateStreamHandler,
  type UnzipDecoder,
  type UnzipFile,
} from 'fflate';
import { unsafeEntryName } from '../migration/bundle-zip';

/** One inflated entry over this is refused (a YAML export never comes near it). */
export const MAX_ENTRY_BYTES = 64 * 1024 * 1024;

/**
 * fflate does the ZIP format; Node's zlib (native) does the deflate itself, 5–10 times faster than
 * fflate's JavaScript deflate on export YAML. An entry's compressed bytes are collected and
 * inflated at once (entries are YAML files, bounded by MAX_ENTRY_BYTES).
 */
/** An inflated entry → its deflated bytes as they came, so the merge can copy them unchanged. */
const DEFLATED = new WeakMap<Uint8Array, Buffer>();

const deflateRawAsync = promisify(deflateRaw);

/**
 * Entries the merge deflates at once on libuv's thread pool, while it reads the next ones: the
 * machine's cores, 2 to 4 (the pool has 4 threads, which file writes share).
 */
export const DEFLATES_IN_FLIGHT = Math.min(4, Math.max(2, availableParallelism()));

class NativeInflate implements UnzipDecoder {
  ondata!: AsyncFlateStreamHandler;
  private readonly parts: Uint8Array[] = [];
  private size = 0;

  push(data: Uint8Array, final: boolean): void {
    this.size += data.length;
    if (this.size > MAX_ENTRY_BYTES) {
      this.ondata(
        new Error(`compressed entry past ${MAX_ENTRY_BYTES} bytes`) as never,
        new Uint8Array(0),
        true,
      );
      return;
    }
    this.parts.push(data.slice()); // fflate asks not to keep its buffers
    if (!final) return;
    try {
      const deflated = Buffer.concat(this.parts);
      const inflated = inflateRawSync(deflated, { maxOutputLength: MAX_ENTRY_BYTES });
      const data = new Uint8Array(inflated.buffer, inflated.byteOffset, inflated.length);
      // It inflated: the merge may copy these deflated bytes instead of deflating `data` again.
      DEFLATED.set(data, deflated);
      this.parts.length = 0;
      this.ondata(null, data, true);
    } catch (error) {
      this.ondata(error as never, new Uint8Array(0), true);
    }
  }

  static readonly compression = 8;
}

/**
 * A ZIP entry whose whole file is pushed once, with `final`: its CRC comes from zlib (native, about
 * ten times fflate's JavaScript CRC), then `process` makes its bytes.
 */
abstract class WholeFile extends ZipPassThrough {
  constructor(filename: string) {
    super(filename);
    this.compression = 8;
  }

  override push(chunk: Uint8Array, final = false): void {
    if (!final) throw new Error(`ZIP entry "${this.filename}": push the whole file at once`);
    this.crc = crc32(chunk);
    this.size = chunk.length;
    this.process(chunk as Uint8Array<ArrayBuffer>, true);
  }
}

/**
 * A ZIP entry whose deflated bytes are known already (copied from the chunk's ZIP: Superset
 * deflated them).
 */
class CopiedDeflate extends WholeFile {
  // A #private field: fflate's Zip copies a file's own enumerable properties into the record it
  // keeps until the central directory is written, and these bytes must not stay there.
  #deflated: Buffer | undefined;

  constructor(filename: string, deflated: Buffer) {
    super(filename);
    this.#deflated = deflated;
  }

  protected override process(_chunk: Uint8Array, final: boolean): void {
    const out = this.#deflated;
    if (!out) throw new Error('CopiedDeflate takes its file in one push');
    this.#deflated = undefined;
    this.ondata(null, new Uint8Array(out.buffer as ArrayBuffer, out.byteOffset, out.length), final);
  }
}

/**
 * A ZIP entry deflated by zlib on the thread pool. fflate's Zip writes the entries in the order
 * they were added, holding a later entry's bytes until the ones before it are complete.
 */
class NativeDeflate extends WholeFile {
  #level: number;
  #done: Promise<void> = Promise.resolve();

  constructor(filename: string, level: number) {
    super(filename);
    this.#level = level;
  }

  /** Settles once the deflated bytes (or the failure) went to the ZIP. */
  get done(): Promise<void> {
    return this.#done;
  }

  protected override process(chunk: Uint8Array): void {
    this.#done = deflateRawAsync(chunk, { level: this.#level }).then(
      (out) => this.ondata(null, new Uint8Array(out.buffer, out.byteOffset, out.length), true),
      (error: Error) => this.ondata(error as never, new Uint8Array(0), true),
    );
  }
}

export interface ZipEntry {
  /** The full name, root folder included. */
  name: string;
  data: Uint8Array;
}

/**
 * Reads a ZIP stream entry by entry; each complete entry is handed to `onEntry` (awaited, so a slow
 * consumer holds the source back). Only entries `filter` accepts are inflated.
 */
export class ZipEntryReader {
  private readonly unzip = new Unzip();
  private readonly ready: ZipEntry[] = [];
  private failure: Error | undefined;
  private started = 0;

  constructor(
    private readonly onEntry: (entry: ZipEntry) => Promise<void> | void,
    private readonly filter: (name: string) => boolean = () => true,
  ) {
    this.unzip.register(NativeInflate);
    this.unzip.onfile = (file) => this.onFile(file);
  }

  /** Entries seen (accepted or not). */
  get entries(): number {
    return this.started;
  }

  async push(chunk: Uint8Array, final = false): Promise<void> {
    this.throwIfFailed();
    this.unzip.push(chunk, final);
    this.throwIfFailed();
    while (this.ready.length > 0) await this.onEntry(this.ready.shift()!);
  }

  /**
   * A Writable to pipe a ZIP into (e.g. an HTTP body); `finish` after the last entry. Nothing is
   * read before `ready` resolves (the writer's backpressure holds the source).
   */
  writable(ready: Promise<void> = Promise.resolve()): Writable {
    return new Writable({
      write: (chunk: Buffer, _encoding, callback) => {
        ready.then(() => this.push(chunk)).then(() => callback(), callback);
      },
      final: (callback) => {
        ready.then(() => this.push(new Uint8Array(0), true)).then(() => callback(), callback);
      },
    });
  }

  private onFile(file: UnzipFile): void {
    this.started++;
    const problem = unsafeEntryName(file.name);
    if (problem) {
      this.failure ??= new Error(`ZIP entry "${file.name.slice(0, 200)}" has ${problem}`);
      return;
    }
    if (file.name.endsWith('/') || !this.filter(file.name)) return;
    const parts: Uint8Array[] = [];
    let size = 0;
    file.ondata = (error, data, final) => {
      if (error) {
        this.failure ??= new Error(`ZIP entry "${file.name}" is broken: ${error.message}`);
        return;
      }
      size += data.length;
      if (size > MAX_ENTRY_BYTES) {
        this.failure ??= new Error(
          `ZIP entry "${file.name}" inflates past ${MAX_ENTRY_BYTES} bytes`,
        );
        file.terminate();
        return;
      }
      parts.push(data);
      // One part (always, with NativeInflate): the same array, so the merge finds its bytes.
      if (final) this.ready.push({ name: file.name, data: concat(parts, size) });
    };
    file.start();
  }

  private throwIfFailed(): void {
    const failure = this.failure;
    if (failure) throw failure;
  }
}

/** Reads a ZIP file entry by entry (see ZipEntryReader). Returns the number of entries seen. */
export async function readZipFile(
  path: string,
  onEntry: (entry: ZipEntry) => Promise<void> | void,
  filter?: (name: string) => boolean,
  signal?: AbortSignal,
): Promise<number> {
  const reader = new ZipEntryReader(onEntry, filter);
  for await (const chunk of createReadStream(path, { highWaterMark: 256 * 1024 })) {
    signal?.throwIfAborted();
    await reader.push(chunk as Buffer);
  }
  await reader.push(new Uint8Array(0), true);
  return reader.entries;
}

/** The entry count of the ZIP's end-of-central-directory record, or undefined when it has none. */
export async function centralDirectoryEntries(path: string): Promise<number | undefined> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const length = Math.min(size, 22 + 65_535);
    const tail = Buffer.alloc(length);
    await handle.read(tail, 0, length, size - length);
    for (let i = length - 22; i >= 0; i--) {
      if (tail.readUInt32LE(i) !== 0x06054b50) continue;
      const count = tail.readUInt16LE(i + 10);
      if (count !== 0xffff) return count;
      // ZIP64: the locator sits just before; its record holds the 64-bit count.
      const locator = i - 20;
      if (locator >= 0 && tail.readUInt32LE(locator) === 0x07064b50) {
        const recordAt = Number(tail.readBigUInt64LE(locator + 8));
        const record = Buffer.alloc(56);
        await handle.read(record, 0, 56, recordAt);
        if (record.readUInt32LE(0) === 0x06064b50) return Number(record.readBigUInt64LE(32));
      }
      return count;
    }
    return undefined;
  } finally {
    await handle.close();
  }
}

export interface MergeStats {
  /** Files written into the merged ZIP. */
  written: number;
  /** Entries skipped because an identical file was already in. */
  duplicates: number;
  /** Entries skipped because a different file of the same name was already in (first one kept). */
  conflicts: string[];
}

/**
 * Merges Superset export ZIPs into one, under one root folder: each chunk's entries lose their own
 * root (`dashboard_export_…/`), identical files are written once, `metadata.yaml` comes from the
 * first chunk. The output goes to `sink` as it is made; in memory are the entry being read and at
 * most DEFLATES_IN_FLIGHT being deflated.
 */
export class ZipMerger {
  private readonly zip: Zip;
  private readonly pending: Uint8Array[] = [];
  private readonly seen = new Map<string, string>();
  /** Entries being deflated, oldest first (at most DEFLATES_IN_FLIGHT). */
  private readonly deflating: Promise<void>[] = [];
  private failure: Error | undefined;
  private finished = false;
  readonly stats: MergeStats = { written: 0, duplicates: 0, conflicts: [] };

  constructor(
    readonly root: string,
    private readonly sink: (chunk: Uint8Array) => Promise<void>,
    private readonly level: 0 | 1 | 2 | 3 | 4 | 5 | 6 | 7 | 8 | 9 = 6,
  ) {
    this.zip = new Zip((error, data, final) => {
      if (error) this.failure ??= error;
      else if (data.length) this.pending.push(data);
      if (final) this.finished = true;
    });
  }

  /** A Writable that takes one chunk's export ZIP (its HTTP body), from when `ready` resolves. */
  chunkWritable(ready?: Promise<void>): Writable {
    return new ZipEntryReader((entry) => this.add(entry)).writable(ready);
  }

  /** Adds one entry of a chunk's ZIP (its name still under the chunk's root folder). */
  async add(entry: ZipEntry): Promise<void> {
    const slash = entry.name.indexOf('/');
    if (slash < 0) throw new Error(`ZIP entry "${entry.name}" is not inside a root folder`);
    const path = entry.name.slice(slash + 1);
    const digest = createHash('sha256').update(entry.data).digest('hex');
    const known = this.seen.get(path);
    if (known !== undefined) {
      if (known === digest || path === 'metadata.yaml') this.stats.duplicates++;
      else this.stats.conflicts.push(path);
      return;
    }
    this.seen.set(path, digest);
    const name = `${this.root}/${path}`;
    // Superset's own deflate is copied as it is (it inflated fine above); only stored entries are
    // deflated here.
    const deflated = DEFLATED.get(entry.data);
    const file = deflated ? new CopiedDeflate(name, deflated) : new NativeDeflate(name, this.level);
    this.zip.add(file);
    file.push(entry.data, true);
    this.stats.written++;
    if (file instanceof NativeDeflate) {
      this.deflating.push(file.done);
      // The next entries are read while these deflate; the source waits beyond that.
      while (this.deflating.length >= DEFLATES_IN_FLIGHT) await this.deflating.shift();
    }
    await this.drain();
  }

  has(path: string): boolean {
    return this.seen.has(path);
  }

  /** Writes the central directory. */
  async end(): Promise<void> {
    await Promise.all(this.deflating.splice(0));
    this.zip.end();
    await this.drain();
    if (!this.finished) throw new Error('the ZIP did not finish');
  }

  private async drain(): Promise<void> {
    const failure = this.failure;
    if (failure) throw failure;
    while (this.pending.length > 0) await this.sink(this.pending.shift()!);
  }
}

function concat(parts: Uint8Array[], size: number): Uint8Array {
  if (parts.length === 1) return parts[0];
  const out = new Uint8Array(size);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
