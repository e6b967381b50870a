import type { LogEntry } from '@taskdeck/contracts';
import {
  downloadFileName,
  formatLog,
  formatNdjsonLine,
  formatTextLine,
} from './log-download-format';

const entry = (seq: number, extra: Partial<LogEntry> = {}): LogEntry => ({
  taskId: '6f1c2a4e-8d3b-4c5a-9e7f-0a1b2c3d4e5f',
  seq,
  timestamp: '2026-11-25T06:00:00.123Z',
  level: 'INFO',
  source: 'git',
  message: `message ${seq}`,
  metadata: null,
  ...extra,
});

describe('download formats', () => {
  it('writes a text line: time, padded level, [source], message, metadata JSON', () => {
    expect(formatTextLine(entry(1, { metadata: { meta: 1 } }))).toBe(
      '2026-11-25T06:00:00.123Z INFO    [git] message 1 {"meta":1}\n',
    );
    expect(formatTextLine(entry(2, { level: 'WARNING' }))).toBe(
      '2026-11-25T06:00:00.123Z WARNING [git] message 2\n',
    );
  });

  it('writes one parseable LogEntry per NDJSON line, even with line breaks in the message', () => {
    const e = entry(3, { message: 'two\nlines', metadata: { a: [1] } });
    const line = formatNdjsonLine(e);
    expect(line.endsWith('\n')).toBe(true);
    expect(line.slice(0, -1)).not.toContain('\n');
    expect(JSON.parse(line)).toEqual(e);
  });

  it('turns chunks of entries into one string per chunk', async () => {
    async function* chunks() {
      for (const chunk of [[entry(1), entry(2)], [entry(3)]]) yield await Promise.resolve(chunk);
    }
    const out: string[] = [];
    for await (const text of formatLog(chunks(), 'ndjson')) out.push(text);
    expect(out).toHaveLength(2);
    expect(
      out
        .join('')
        .trimEnd()
        .split('\n')
        .map((l) => (JSON.parse(l) as LogEntry).seq),
    ).toEqual([1, 2, 3]);
  });

  it('names the file after the task and format', () => {
    expect(downloadFileName('abc', 'text')).toBe('task-abc.log');
    expect(downloadFileName('abc', 'ndjson')).toBe('task-abc.ndjson');
  });
});
