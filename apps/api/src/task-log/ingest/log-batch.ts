// One group-commit batch: numbering (seq per task), its COPY rows and counter deltas, and the
// contract-shaped entries published once it is committed. Pure functions, no I/O.
import type { LogEntry } from '@taskdeck/contracts';
import { levelName } from '../level-rank';
import type { LogRecord } from './log-record';
import type { SpillCursor } from './log-spill';

export interface PendingBatch {
  /** Oldest first, in call order. */
  records: LogRecord[];
  /** seq of each record, assigned when the batch is formed; null until then. */
  seqs: number[] | null;
  /** Attempts the database refused with a data error (not a connection problem). */
  refusals: number;
  /** Where the spill's committed part ends once this batch is stored (it holds spilled records). */
  spillCursor?: SpillCursor | null;
  /** Of the records, how many came from memory (not from the spill): lost if the process dies. */
  fromMemory?: number;
}

/** The counters upsert's parameters: one element per (task, level, source). */
export interface CounterDeltas {
  taskIds: string[];
  levels: number[];
  sources: string[];
  counts: number[];
}

export interface EncodedBatch {
  /**
   * COPY text format rows for task_log_entries (task_id, seq, ts, level, source, message, metadata),
   * joined into pieces of about COPY_PIECE_CHARS: few stream writes, and no string near V8's
   * length limit however large the batch.
   */
  copyPieces: string[];
  counters: CounterDeltas;
  /** ISO timestamp of each record, reused for publishing. */
  timestamps: string[];
}

/** The entries of one task in a committed batch, ascending seq. */
export interface TaskLogBatch {
  taskId: string;
  entries: LogEntry[];
}

export interface CommittedLogs {
  batches: TaskLogBatch[];
}

/** Numbers the records densely per task, continuing from `lastSeq` (updated in place). */
export function assignSeqs(records: readonly LogRecord[], lastSeq: Map<string, number>): number[] {
  const seqs = new Array<number>(records.length);
  for (let i = 0; i < records.length; i++) {
    const taskId = records[i].taskId;
    const seq = (lastSeq.get(taskId) ?? 0) + 1;
    lastSeq.set(taskId, seq);
    seqs[i] = seq;
  }
  return seqs;
}

/** Task ids of the records, each once, in first-seen order. */
export function distinctTaskIds(records: readonly LogRecord[]): string[] {
  const ids = new Set<string>();
  for (const record of records) ids.add(record.taskId);
  return [...ids];
}

const COPY_SPECIAL = /[\\\n\r\t]/;
const COPY_SPECIAL_ALL = /[\\\n\r\t]/g;
const COPY_ESCAPES: Record<string, string> = {
  '\\': '\\\\',
  '\n': '\\n',
  '\r': '\\r',
  '\t': '\\t',
};

/** Escapes a value for COPY's text format (backslash, newline, carriage return, tab). */
export function copyEscape(text: string): string {
  return COPY_SPECIAL.test(text) ? text.replace(COPY_SPECIAL_ALL, (c) => COPY_ESCAPES[c]) : text;
}

export const COPY_PIECE_CHARS = 1 << 20;

export function encodeBatch(records: readonly LogRecord[], seqs: readonly number[]): EncodedBatch {
  const pieces: string[] = [];
  let piece = '';
  const timestamps = new Array<string>(records.length);
  const counters = new Map<string, Map<string, [number, number, number, number]>>();
  let lastTs = NaN;
  let lastIso = '';
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    // Entries written in the same millisecond are common: format that timestamp once.
    if (r.ts !== lastTs) {
      lastTs = r.ts;
      lastIso = new Date(r.ts).toISOString();
    }
    timestamps[i] = lastIso;
    const metadata = r.metadataJson === null ? '\\N' : copyEscape(r.metadataJson);
    piece += `${r.taskId}\t${seqs[i]}\t${lastIso}\t${r.level}\t${copyEscape(r.source)}\t${copyEscape(r.message)}\t${metadata}\n`;
    if (piece.length >= COPY_PIECE_CHARS) {
      pieces.push(piece);
      piece = '';
    }

    let bySource = counters.get(r.taskId);
    if (!bySource) {
      counters.set(r.taskId, (bySource = new Map<string, [number, number, number, number]>()));
    }
    let byLevel = bySource.get(r.source);
    if (!byLevel) bySource.set(r.source, (byLevel = [0, 0, 0, 0]));
    byLevel[r.level]++;
  }
  const deltas: CounterDeltas = { taskIds: [], levels: [], sources: [], counts: [] };
  for (const [taskId, bySource] of counters) {
    for (const [source, byLevel] of bySource) {
      for (let level = 0; level < 4; level++) {
        if (byLevel[level] === 0) continue;
        deltas.taskIds.push(taskId);
        deltas.levels.push(level);
        deltas.sources.push(source);
        deltas.counts.push(byLevel[level]);
      }
    }
  }
  if (piece !== '') pieces.push(piece);
  return { copyPieces: pieces, counters: deltas, timestamps };
}

/** The committed records as LogEntry lists per task (ascending seq, as numbered). */
export function toCommittedLogs(
  records: readonly LogRecord[],
  seqs: readonly number[],
  timestamps: readonly string[],
): CommittedLogs {
  const byTask = new Map<string, LogEntry[]>();
  for (let i = 0; i < records.length; i++) {
    const r = records[i];
    let entries = byTask.get(r.taskId);
    if (!entries) byTask.set(r.taskId, (entries = []));
    entries.push({
      taskId: r.taskId,
      seq: seqs[i],
      timestamp: timestamps[i],
      level: levelName(r.level),
      source: r.source,
      message: r.message,
      metadata:
        r.metadataJson === null ? null : (JSON.parse(r.metadataJson) as Record<string, unknown>),
    });
  }
  return { batches: [...byTask].map(([taskId, entries]) => ({ taskId, entries })) };
}

/** The batch without one task's records (it is being deleted); seqs of the others unchanged. */
export function withoutTask(batch: PendingBatch, taskId: string): PendingBatch {
  const records: LogRecord[] = [];
  const assigned = batch.seqs;
  const seqs: number[] | null = assigned ? [] : null;
  batch.records.forEach((record, i) => {
    if (record.taskId === taskId) return;
    records.push(record);
    if (seqs && assigned) seqs.push(assigned[i]);
  });
  return {
    records,
    seqs,
    refusals: batch.refusals,
    spillCursor: batch.spillCursor,
    fromMemory: batch.fromMemory,
  };
}
