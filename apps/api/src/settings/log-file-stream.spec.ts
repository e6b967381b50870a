import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogFileStream, rotatedName } from './log-file-stream';

function write(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) =>
    stream.write(text, (error) => (error ? reject(error) : resolve())),
  );
}

describe('the LOG_FILE stream', () => {
  it('writes to exactly the configured path and rotates to suffixed names beside it', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskdeck-logfile-'));
    const path = join(dir, 'logs', 'server.log');
    const stream = createLogFileStream(path, { size: '1K', maxFiles: 3 });
    for (let i = 0; i < 12; i++) {
      await write(stream, `${JSON.stringify({ i, pad: 'x'.repeat(200) })}\n`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200)); // rotations settle
    await new Promise<void>((resolve) => stream.end(resolve));

    const files = (await readdir(join(dir, 'logs'))).filter((f) => !f.startsWith('.'));
    expect(files).toContain('server.log');
    const rotated = files.filter((f) => f !== 'server.log');
    expect(rotated.length).toBeGreaterThan(0);
    expect(rotated.length).toBeLessThanOrEqual(3);
    for (const name of rotated) expect(name).toMatch(/^server\.log\.\d{4}-\d{2}-\d{2}\.\d+$/);
    // Nothing is lost between the current file and the rotated ones it keeps.
    const current = await readFile(path, 'utf8');
    expect(current.trim().split('\n').at(-1)).toContain('"i":11');
  });

  it('names rotated files by UTC day and counter', () => {
    expect(rotatedName('server.log', new Date('2026-12-01T23:59:00Z'), 2)).toBe(
      'server.log.2026-12-01.2',
    );
  });
});
