import { chmod, mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SYSTEM_CHROMIUM, resolveChromium } from './chromium';

describe('resolveChromium', () => {
  it('takes CHROMIUM_PATH first, and refuses one that is not executable', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'taskdeck-chromium-spec-'));
    const fake = join(dir, 'chrome');
    await writeFile(fake, '#!/bin/sh\n');
    await expect(resolveChromium({ CHROMIUM_PATH: fake })).rejects.toThrow(
      `CHROMIUM_PATH=${fake} is not an executable file`,
    );
    await chmod(fake, 0o755);
    expect(await resolveChromium({ CHROMIUM_PATH: fake })).toEqual({
      executablePath: fake,
      source: 'CHROMIUM_PATH',
    });
  });

  it('uses the system Chromium when present, else the one inside @sparticuz/chromium', async () => {
    const found = await resolveChromium({});
    if (found.source === 'system') {
      expect(found.executablePath).toBe(SYSTEM_CHROMIUM);
    } else {
      expect(found.source).toBe('@sparticuz/chromium');
      expect(found.executablePath).toMatch(/taskdeck-chromium-[\d.]+-\w+\/chromium$/);
    }
  }, 120_000);
});
