// The spill: where log records go that the in-memory queue does not hold (a producer faster than
// the database, or a database outage). Append-only segment files under the data directory, each
// record length-prefixed and CRC-checked, so that a record torn by a crash is recognised and
// ignored. Read back oldest first by the flusher, which commits them through the same path as any
// other record; a segment is deleted once every record in it is committed. The commit stores the
// spill's cursor in the same transaction as the rows, so that a restart replays exactly what was
// not committed (no loss, no duplicate). Synchronous file I/O on the event loop, in chunks: a
// chunk write or read is a few hundred KiB, amortised over hundreds of records.
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  fdatasync,
  fstatSync,
  ftruncateSync,
  mkdirSync,
  openSync,
  readFileSync,
  readSync,
  readdirSync,
  unlinkSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import type { LevelRank } from '../level-rank';
import { RECORD_OVERHEAD_BYTES, type LogRecord } from './log-record';

/** Where the committed part of the spill ends: the byte offset after a record in a segment. */
export interface SpillCursor {
  segment: number;
  offset: number;
}

export interface SpillOptions {
  /** A segment is closed for writing past this size (a new one begins). */
  segmentBytes?: number;
  /** Records are written once this many bytes wait (or when the flusher needs them). */
  chunkBytes?: number;
  /** fdatasync at most this often (ms); a process kill loses nothing written, a machine crash this much. */
  syncEveryMs?: number;
  /** After a write failure the spill is retried this long after, once it is empty. */
  retryAfterMs?: number;
}

const HEADER_BYTES = 8;
const SEGMENT_NAME = /^seg-(\d{12})\.log$/;
const READ_CHUNK_BYTES = 1 << 20;
/** Past the cap, records are refused until the spill is below this share of it. */
const RESUME_BELOW = 0.9;
/** A length no record can have: a torn or foreign header. */
const MAX_RECORD_BYTES = 64 << 20;

interface Segment {
  n: number;
  path: string;
  /** Bytes written (valid records only). */
  size: number;
  /** Write descriptor of the current segment; null once it is full or for a replayed one. */
  writeFd: number | null;
  /** Offset from which its bytes count (a replayed segment's committed part does not). */
  base: number;
}

interface ReadRecord {
  record: LogRecord;
  after: SpillCursor;
}

export function segmentName(n: number): string {
  return `seg-${String(n).padStart(12, '0')}.log`;
}

/** One record's bytes: length, CRC-32 of the payload, the payload (JSON). */
export function encodeSpillRecord(record: LogRecord): Buffer {
  const payload = Buffer.from(
    JSON.stringify([
      record.pos,
      record.taskId,
      record.ts,
      record.level,
      record.source,
      record.message,
      record.metadataJson,
    ]),
    'utf8',
  );
  const out = Buffer.allocUnsafe(HEADER_BYTES + payload.length);
  out.writeUInt32LE(payload.length, 0);
  out.writeUInt32LE(crc32(payload), 4);
  payload.copy(out, HEADER_BYTES);
  return out;
}

type Payload = [number, string, number, LevelRank, string, string, string | null];

/**
 * Decodes the records in `buf` from `start`: each complete, CRC-valid record, and where the valid
 * part ends. `torn`: the bytes after `end` are not a valid record even though they are complete
 * (a bad length or CRC) — as opposed to merely incomplete.
 */
export function decodeSpillRecords(
  buf: Buffer,
  start = 0,
): { records: { record: LogRecord; end: number }[]; end: number; torn: boolean } {
  const records: { record: LogRecord; end: number }[] = [];
  let at = start;
  while (at + HEADER_BYTES <= buf.length) {
    const len = buf.readUInt32LE(at);
    if (len === 0 || len > MAX_RECORD_BYTES) return { records, end: at, torn: true };
    const end = at + HEADER_BYTES + len;
    if (end > buf.length) break;
    const payload = buf.subarray(at + HEADER_BYTES, end);
    if (crc32(payload) !== buf.readUInt32LE(at + 4)) return { records, end: at, torn: true };
    let fields: Payload;
    try {
      fields = JSON.parse(payload.toString('utf8')) as Payload;
    } catch {
      return { records, end: at, torn: true };
    }
    const [pos, taskId, ts, level, source, message, metadataJson] = fields;
    records.push({
      record: {
        taskId,
        ts,
        level,
        source,
        message,
        metadataJson,
        approxBytes:
          RECORD_OVERHEAD_BYTES +
          2 * (message.length + (metadataJson === null ? 0 : metadataJson.length)),
        pos,
      },
      end,
    });
    at = end;
  }
  return { records, end: at, torn: false };
}

export class LogSpill {
  private readonly segmentBytes: number;
  private readonly chunkBytes: number;
  private readonly syncEveryMs: number;
  private readonly retryAfterMs: number;

  private opened = false;
  private brokenAt: number | null = null;
  private full = false;
  private segments: Segment[] = [];
  private nextSegment = 1;
  /** Bytes of every segment not deleted, plus the pending chunk. */
  private bytes = 0;
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private pendingRecords: LogRecord[] = [];
  /** Records appended (or replayed) and not taken yet. */
  private unread = 0;
  private replayLeft = 0;
  private lastSyncAt = 0;
  private syncing = false;

  // Read side: the segment being read, its descriptor and offset, decoded records not taken yet.
  private readIndex = 0;
  private readFd: number | null = null;
  private readOffset = 0;
  private lookahead: ReadRecord[] = [];
  private lookaheadAt = 0;

  /** Every spilled record counted out since start (for the figures). */
  spilledTotal = 0;

  constructor(
    readonly dir: string,
    readonly maxBytes: number,
    /** Records that were accepted by the spill and then could not be written (the disk failed). */
    private readonly onLost: (records: LogRecord[], cause: unknown) => void,
    options: SpillOptions = {},
  ) {
    this.segmentBytes = options.segmentBytes ?? 64 << 20;
    this.chunkBytes = options.chunkBytes ?? 256 << 10;
    this.syncEveryMs = options.syncEveryMs ?? 1000;
    this.retryAfterMs = options.retryAfterMs ?? 30_000;
  }

  /** The spill's identity (a file in its directory), created on first use. Throws when unusable. */
  static identify(dir: string): string {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const file = join(dir, 'spill-id');
    try {
      const id = readFileSync(file, 'utf8').trim();
      if (/^[0-9a-f-]{36}$/.test(id)) return id;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    const id = randomUUID();
    writeFileSync(file, `${id}\n`, { mode: 0o600 });
    return id;
  }

  /**
   * Takes the directory: claims it for this process, forgets what `committed` says is stored, and
   * queues the rest (records left by a process that died) to be read first. Throws when the
   * directory is not usable or another live process holds it; the spill stays off then.
   */
  open(committed: SpillCursor | null): { replayed: number; tornBytes: number } {
    mkdirSync(this.dir, { recursive: true, mode: 0o700 });
    this.claim();
    const found = readdirSync(this.dir)
      .map((name) => SEGMENT_NAME.exec(name))
      .filter((m): m is RegExpExecArray => m !== null)
      .map((m) => Number(m[1]))
      .sort((a, b) => a - b);
    let replayed = 0;
    let tornBytes = 0;
    let maxSeen = committed?.segment ?? 0;
    for (const n of found) {
      maxSeen = Math.max(maxSeen, n);
      const path = join(this.dir, segmentName(n));
      if (committed && n < committed.segment) {
        unlinkSync(path);
        continue;
      }
      const from = committed && n === committed.segment ? committed.offset : 0;
      const scan = this.scan(path, from);
      tornBytes += scan.tornBytes;
      if (scan.records === 0) {
        unlinkSync(path);
        continue;
      }
      replayed += scan.records;
      this.segments.push({ n, path, size: scan.size, writeFd: null, base: from });
      this.bytes += scan.size - from;
      if (this.segments.length === 1) this.readOffset = from;
    }
    this.nextSegment = maxSeen + 1;
    this.unread = replayed;
    this.replayLeft = replayed;
    this.opened = true;
    return { replayed, tornBytes };
  }

  /** Whether append may be tried: open, not broken (a failed disk is retried once empty), not full. */
  get usable(): boolean {
    if (!this.opened) return false;
    if (this.brokenAt !== null) {
      if (this.unread > 0 || Date.now() - this.brokenAt < this.retryAfterMs) return false;
      this.brokenAt = null;
    }
    if (this.full && this.bytes < this.maxBytes * RESUME_BELOW) this.full = false;
    return !this.full;
  }

  /** Records waiting in the spill (written or pending). */
  get length(): number {
    return this.unread;
  }

  /** Bytes the spill holds on disk or about to write. */
  get byteSize(): number {
    return this.bytes;
  }

  /** Records accepted but only in memory yet (lost if the process is killed now). */
  get pendingCount(): number {
    return this.pendingRecords.length;
  }

  /** Queues a record (pos already stamped). False: not taken (off, broken or full). */
  append(record: LogRecord): boolean {
    if (!this.usable) return false;
    const encoded = encodeSpillRecord(record);
    if (this.bytes + encoded.length > this.maxBytes) {
      this.full = true;
      return false;
    }
    this.pending.push(encoded);
    this.pendingBytes += encoded.length;
    this.pendingRecords.push(record);
    this.bytes += encoded.length;
    this.unread++;
    this.spilledTotal++;
    if (this.pendingBytes >= this.chunkBytes) this.writePending();
    return true;
  }

  /** Writes the pending chunk; on failure its records are lost (reported) and the spill is broken. */
  writePending(): void {
    if (this.pendingBytes === 0) return;
    const chunk = Buffer.concat(this.pending, this.pendingBytes);
    const records = this.pendingRecords;
    this.pending = [];
    this.pendingBytes = 0;
    this.pendingRecords = [];
    let segment = this.segments[this.segments.length - 1];
    try {
      if (!segment || segment.writeFd === null) {
        const n = this.nextSegment++;
        const path = join(this.dir, segmentName(n));
        segment = { n, path, size: 0, writeFd: openSync(path, 'wx', 0o600), base: 0 };
        this.segments.push(segment);
      }
      const fd = segment.writeFd as number;
      let done = 0;
      while (done < chunk.length) done += writeSync(fd, chunk, done, chunk.length - done, null);
      segment.size += chunk.length;
      this.maybeSync(fd);
      if (segment.size >= this.segmentBytes) this.closeWrite(segment);
    } catch (error) {
      // Nothing of this chunk counts as written: a partial write is cut off again (or, if even
      // that fails, recognised as torn when read).
      if (segment && segment.writeFd !== null) {
        try {
          ftruncateSync(segment.writeFd, segment.size);
        } catch {
          // the tail stays torn: the CRC check skips it
        }
        this.closeWrite(segment);
      }
      this.bytes -= chunk.length;
      this.unread -= records.length;
      this.brokenAt = Date.now();
      this.onLost(records, error);
    }
  }

  /** The oldest waiting record, without taking it (may read from disk). */
  peek(): LogRecord | undefined {
    return this.fill()?.record;
  }

  /**
   * Takes up to `n` oldest records whose pos is below `belowPos` (the merge with the memory
   * queue), and the cursor after the last one taken (null when none).
   */
  take(n: number, belowPos: number): { records: LogRecord[]; after: SpillCursor | null } {
    const records: LogRecord[] = [];
    let after: SpillCursor | null = null;
    while (records.length < n) {
      const next = this.fill();
      if (!next || next.record.pos >= belowPos) break;
      this.lookaheadAt++;
      this.unread--;
      records.push(next.record);
      after = next.after;
    }
    return { records, after };
  }

  /** Everything up to `cursor` is stored: deletes the segments that holds only such records. */
  committed(cursor: SpillCursor): void {
    while (this.segments.length > 0) {
      const first = this.segments[0];
      const whole =
        first.n < cursor.segment || (first.n === cursor.segment && cursor.offset >= first.size);
      if (!whole) break;
      // The segment being written is kept unless nothing more is waiting anywhere.
      if (first.writeFd !== null && (this.unread > 0 || this.pendingBytes > 0)) break;
      this.closeWrite(first);
      try {
        unlinkSync(first.path);
      } catch {
        // already gone: nothing to free
      }
      this.bytes -= first.size - first.base;
      this.segments.shift();
      if (this.readIndex === 0) {
        if (this.readFd !== null) closeSync(this.readFd);
        this.readFd = null;
        this.readOffset = 0;
      } else {
        this.readIndex--;
      }
    }
  }

  /** Releases the descriptors (the files stay for the next start). */
  close(): void {
    this.writePending();
    for (const segment of this.segments) this.closeWrite(segment);
    if (this.readFd !== null) closeSync(this.readFd);
    this.readFd = null;
    this.opened = false;
    try {
      unlinkSync(join(this.dir, 'owner.pid'));
    } catch {
      // never claimed, or already removed
    }
  }

  private fill(): ReadRecord | undefined {
    for (;;) {
      if (this.lookaheadAt < this.lookahead.length) return this.lookahead[this.lookaheadAt];
      this.lookahead = [];
      this.lookaheadAt = 0;
      if (this.unread === 0) return undefined;
      const segment = this.segments[this.readIndex];
      if (!segment || (this.readOffset >= segment.size && segment.writeFd !== null)) {
        // Everything on disk was read: what waits is in the pending chunk.
        if (this.pendingBytes === 0) {
          // Nothing left to read: records counted but unreadable (a damaged segment) are gone.
          this.unread = 0;
          return undefined;
        }
        this.writePending();
        continue;
      }
      if (this.readOffset >= segment.size) {
        // A finished segment read to its end: on to the next one.
        if (this.readFd !== null) closeSync(this.readFd);
        this.readFd = null;
        this.readIndex++;
        this.readOffset = 0;
        continue;
      }
      this.readFd ??= openSync(segment.path, 'r');
      const want = Math.min(READ_CHUNK_BYTES, segment.size - this.readOffset);
      let buf = Buffer.allocUnsafe(want);
      let got = readSync(this.readFd, buf, 0, want, this.readOffset);
      buf = buf.subarray(0, got);
      let decoded = decodeSpillRecords(buf);
      if (decoded.records.length === 0 && !decoded.torn && got >= HEADER_BYTES) {
        // One record larger than the read chunk.
        const len = HEADER_BYTES + buf.readUInt32LE(0);
        buf = Buffer.allocUnsafe(len);
        got = readSync(this.readFd, buf, 0, len, this.readOffset);
        decoded = decodeSpillRecords(buf.subarray(0, got));
      }
      if (decoded.records.length === 0) {
        // Unreadable from here on (should not happen: open() cut torn tails): skip the segment.
        this.readOffset = segment.size;
        continue;
      }
      const base = this.readOffset;
      for (const { record, end } of decoded.records) {
        if (this.replayLeft > 0) {
          // Left by a process that died: older than anything logged since the start.
          record.pos = -1;
          this.replayLeft--;
        }
        this.lookahead.push({ record, after: { segment: segment.n, offset: base + end } });
      }
      this.readOffset = base + decoded.end;
    }
  }

  /** Counts the valid records of a segment from `from`, cutting a torn tail off. */
  private scan(path: string, from: number): { records: number; size: number; tornBytes: number } {
    const fd = openSync(path, 'r+');
    try {
      const size = fstatSync(fd).size;
      let records = 0;
      let carry = Buffer.alloc(0);
      let bufStart = from;
      let readAt = from;
      let at = from;
      while (readAt < size) {
        const chunk = Buffer.allocUnsafe(Math.min(4 * READ_CHUNK_BYTES, size - readAt));
        const got = readSync(fd, chunk, 0, chunk.length, readAt);
        if (got === 0) break;
        readAt += got;
        const buf = carry.length
          ? Buffer.concat([carry, chunk.subarray(0, got)])
          : chunk.subarray(0, got);
        const decoded = decodeSpillRecords(buf);
        records += decoded.records.length;
        at = bufStart + decoded.end;
        if (decoded.torn) break;
        carry = Buffer.from(buf.subarray(decoded.end));
        bufStart = at;
      }
      const tornBytes = size - at;
      if (tornBytes > 0) ftruncateSync(fd, at);
      return { records, size: at, tornBytes };
    } finally {
      closeSync(fd);
    }
  }

  /** One process per spill directory: a second would replay the first one's records. */
  private claim(): void {
    const file = join(this.dir, 'owner.pid');
    try {
      const pid = Number(readFileSync(file, 'utf8').trim());
      if (Number.isInteger(pid) && pid > 0 && pid !== process.pid && alive(pid)) {
        throw new Error(
          `${this.dir} is in use by process ${pid}; give each Taskdeck instance its own DATA_DIR (or TASK_LOG_SPILL_DIR)`,
        );
      }
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    }
    writeFileSync(file, `${process.pid}\n`, { mode: 0o600 });
  }

  private maybeSync(fd: number): void {
    const now = Date.now();
    if (this.syncing || now - this.lastSyncAt < this.syncEveryMs) return;
    this.syncing = true;
    this.lastSyncAt = now;
    fdatasync(fd, () => {
      this.syncing = false;
    });
  }

  private closeWrite(segment: Segment): void {
    if (segment.writeFd === null) return;
    const fd = segment.writeFd;
    segment.writeFd = null;
    // An fdatasync in flight holds the descriptor: close after it.
    fdatasync(fd, () => {
      try {
        closeSync(fd);
      } catch {
        // already closed
      }
    });
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
