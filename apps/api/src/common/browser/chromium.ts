// Which Chromium Taskdeck drives (the browser tests now; screenshot plugins later): CHROMIUM_PATH
// when set, /usr/bin/chromium when present, otherwise the Chromium that ships inside the npm package
// @sparticuz/chromium, so that `npm ci` is the whole setup. That one is unpacked once per package
// version into the temp directory (about 4 s), into a private folder renamed into place when
// complete, so that concurrent first uses and an interrupted unpack never leave a broken browser.
import { execFile } from 'node:child_process';
import { constants } from 'node:fs';
import { access, mkdir, readFile, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';

export const SYSTEM_CHROMIUM = '/usr/bin/chromium';

export interface ResolvedChromium {
  executablePath: string;
  source: 'CHROMIUM_PATH' | 'system' | '@sparticuz/chromium';
}

/** Flags for a headless Chromium on a server (as root, in a container, without a GPU). */
export const HEADLESS_CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--no-first-run',
  '--disable-dev-shm-usage',
];

async function isExecutable(path: string): Promise<boolean> {
  try {
    await access(path, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

export async function resolveChromium(
  env: NodeJS.ProcessEnv = process.env,
): Promise<ResolvedChromium> {
  const configured = env.CHROMIUM_PATH?.trim();
  if (configured) {
    if (!(await isExecutable(configured))) {
      throw new Error(`CHROMIUM_PATH=${configured} is not an executable file`);
    }
    return { executablePath: configured, source: 'CHROMIUM_PATH' };
  }
  if (await isExecutable(SYSTEM_CHROMIUM)) {
    return { executablePath: SYSTEM_CHROMIUM, source: 'system' };
  }
  return { executablePath: await bundledChromium(), source: '@sparticuz/chromium' };
}

let unpacking: Promise<string> | undefined;

/** The @sparticuz/chromium browser, unpacked (once) into `<tmp>/taskdeck-chromium-<version>-<uid>`. */
export function bundledChromium(): Promise<string> {
  unpacking ??= unpackBundledChromium().finally(() => (unpacking = undefined));
  return unpacking;
}

async function unpackBundledChromium(): Promise<string> {
  const entry = require.resolve('@sparticuz/chromium');
  const { version } = JSON.parse(
    await readFile(join(dirname(entry), '..', 'package.json'), 'utf8'),
  ) as { version: string };
  // Per user: the unpacked binary is private to whoever unpacked it.
  const home = join(tmpdir(), `taskdeck-chromium-${version}-${process.getuid?.() ?? 'user'}`);
  const executable = join(home, 'chromium');
  if (await isExecutable(executable)) return executable;

  const staging = `${home}.unpacking-${process.pid}-${Date.now()}`;
  await mkdir(staging, { recursive: true });
  try {
    // The package unpacks into os.tmpdir(); a child process with TMPDIR set to the private folder
    // keeps the unpack out of the shared temp directory until it is complete.
    const script =
      'import(process.argv[1]).then((m) => m.default.executablePath())' +
      '.then((path) => process.stdout.write(path))';
    const { stdout } = await promisify(execFile)(
      process.execPath,
      ['--input-type=module', '-e', script, pathToFileURL(entry).href],
      { env: { ...process.env, TMPDIR: staging }, timeout: 120_000 },
    );
    if (stdout.trim() !== join(staging, 'chromium')) {
      throw new Error(`@sparticuz/chromium unpacked to ${stdout.trim()}, not into ${staging}`);
    }
    try {
      await rename(staging, home);
    } catch (error) {
      // Another process finished first: use its copy.
      if (!(await isExecutable(executable))) throw error;
    }
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
  return executable;
}
