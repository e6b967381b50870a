// Superset's export ZIP as a bundle of files, read with its hostile cases refused before anything
// is inflated: entry names that leave the bundle (`..`, absolute, drive letters, backslashes),
// too many entries, entries or a total larger than the limits, a compression ratio past what a
// YAML export reaches (a ZIP bomb), and more than one root folder. Superset strips the first path
// part on import, so a bundle keeps its one root folder when it is written back.
import { unzipSync, zipSync, type UnzipFileInfo } from 'fflate';

export interface BundleLimits {
  /** The ZIP file itself. */
  maxZipBytes: number;
  maxEntries: number;
  /** One entry, inflated. */
  maxEntryBytes: number;
  /** All entries, inflated. */
  maxTotalBytes: number;
  /** Inflated ÷ compressed over the whole archive (Superset refuses past 200). */
  maxRatio: number;
}

const MiB = 1024 * 1024;
export const DEFAULT_BUNDLE_LIMITS: BundleLimits = {
  maxZipBytes: 100 * MiB,
  maxEntries: 20_000,
  maxEntryBytes: 50 * MiB,
  maxTotalBytes: 200 * MiB,
  maxRatio: 200,
};

/** Files by their path under the root folder (`datasets/db/table.yaml`). */
export interface Bundle {
  root: string;
  files: Map<string, Uint8Array>;
}

export class UnsafeBundleError extends Error {
  constructor(message: string) {
    super(`the export was refused before unpacking: ${message}`);
    this.name = 'UnsafeBundleError';
  }
}

/** Why an entry name is not a plain relative path inside the archive, or undefined when it is. */
export function unsafeEntryName(name: string): string | undefined {
  if (name.length === 0 || name.length > 1024) return 'an empty or overlong name';
  if (name.includes('\0')) return 'a NUL character';
  if (name.includes('\\')) return 'a backslash';
  if (name.startsWith('/') || /^[A-Za-z]:/.test(name)) return 'an absolute path';
  const parts = name.replace(/\/$/, '').split('/');
  if (parts.some((p) => p === '..' || p === '.')) return 'a ".." or "." segment';
  if (parts.some((p) => p === '')) return 'an empty path segment';
  return undefined;
}

/** Every entry's name and sizes, from the central directory: nothing is inflated. */
function entriesOf(zip: Uint8Array): UnzipFileInfo[] {
  const entries: UnzipFileInfo[] = [];
  try {
    unzipSync(zip, {
      filter: (file) => {
        entries.push(file);
        return false;
      },
    });
  } catch (error) {
    throw new UnsafeBundleError(`not a readable ZIP (${(error as Error).message})`);
  }
  return entries;
}

export function readBundle(zip: Uint8Array, limits: BundleLimits = DEFAULT_BUNDLE_LIMITS): Bundle {
  if (zip.length > limits.maxZipBytes) {
    throw new UnsafeBundleError(`${zip.length} bytes, more than ${limits.maxZipBytes}`);
  }
  const entries = entriesOf(zip);
  if (entries.length > limits.maxEntries) {
    throw new UnsafeBundleError(`${entries.length} entries, more than ${limits.maxEntries}`);
  }
  let inflated = 0;
  let compressed = 0;
  const roots = new Set<string>();
  for (const entry of entries) {
    const problem = unsafeEntryName(entry.name);
    if (problem) throw new UnsafeBundleError(`entry "${entry.name}" has ${problem}`);
    if (entry.originalSize > limits.maxEntryBytes) {
      throw new UnsafeBundleError(
        `entry "${entry.name}" inflates to ${entry.originalSize} bytes, more than ${limits.maxEntryBytes}`,
      );
    }
    inflated += entry.originalSize;
    compressed += entry.size;
    if (!entry.name.endsWith('/')) roots.add(entry.name.split('/')[0]);
    if (!entry.name.endsWith('/') && !entry.name.includes('/')) {
      throw new UnsafeBundleError(`entry "${entry.name}" is not inside a root folder`);
    }
  }
  if (inflated > limits.maxTotalBytes) {
    throw new UnsafeBundleError(
      `it inflates to ${inflated} bytes, more than ${limits.maxTotalBytes}`,
    );
  }
  if (compressed > 0 && inflated / compressed > limits.maxRatio) {
    throw new UnsafeBundleError(
      `a compression ratio of ${Math.round(inflated / compressed)}, more than ${limits.maxRatio}`,
    );
  }
  if (roots.size !== 1) {
    throw new UnsafeBundleError(
      roots.size === 0 ? 'it holds no files' : `${roots.size} root folders instead of one`,
    );
  }
  const [root] = roots;
  const files = new Map<string, Uint8Array>();
  const contents = unzipSync(zip, { filter: (file) => !file.name.endsWith('/') });
  for (const entry of entries) {
    if (entry.name.endsWith('/')) continue;
    const data = contents[entry.name];
    // fflate inflates into a buffer of the stated size, so a header that understates an entry
    // cannot make it larger than what was checked above; a shorter one is a broken archive.
    if (!data || data.length !== entry.originalSize) {
      throw new UnsafeBundleError(`entry "${entry.name}" does not inflate to its stated size`);
    }
    files.set(entry.name.slice(root.length + 1), data);
  }
  return { root, files };
}

/** The bundle as a ZIP with its one root folder, as Superset's import expects it. */
export function writeBundle(bundle: Bundle): Uint8Array {
  const entries: Record<string, Uint8Array> = {};
  for (const [name, data] of bundle.files) entries[`${bundle.root}/${name}`] = data;
  return zipSync(entries);
}
