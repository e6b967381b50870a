import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { deflateSync, strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import { centralDirectoryEntries, readZipFile, ZipEntryReader, ZipMerger } from './backup-zip';

function exportZip(root: string, files: Record<string, string>): Uint8Array {
  return zipSync(
    Object.fromEntries(Object.entries(files).map(([n, t]) => [`${root}/${n}`, strToU8(t)])),
  );
}

async function feed(merger: ZipMerger, zip: Uint8Array): Promise<void> {
  const writable = merger.chunkWritable();
  await new Promise<void>((resolve, reject) => {
    writable.on('finish', resolve).on('error', reject);
    // In pieces, as an HTTP body arrives.
    for (let i = 0; i < zip.length; i += 100) writable.write(Buffer.from(zip.subarray(i, i + 100)));
    writable.end();
  });
}

/** Name → CRC-32 of each entry, from the ZIP's central directory. */
function centralDirectoryCrcs(zip: Buffer): Map<string, number> {
  const crcs = new Map<string, number>();
  const end = zip.lastIndexOf(Buffer.from([0x50, 0x4b, 0x05, 0x06]));
  let at = zip.readUInt32LE(end + 16); // the central directory's offset
  while (zip.readUInt32LE(at) === 0x02014b50) {
    const nameLength = zip.readUInt16LE(at + 28);
    crcs.set(zip.toString('utf8', at + 46, at + 46 + nameLength), zip.readUInt32LE(at + 16));
    at += 46 + nameLength + zip.readUInt16LE(at + 30) + zip.readUInt16LE(at + 32);
  }
  return crcs;
}

describe('ZipMerger', () => {
  it('merges chunk ZIPs under one root, identical files once, the first metadata kept', async () => {
    const out: Uint8Array[] = [];
    const merger = new ZipMerger('dashboard_export_20261201T100000', async (c) => {
      out.push(c);
    });
    await feed(
      merger,
      exportZip('dashboard_export_A', {
        'metadata.yaml': 'version: 1.0.0\ntimestamp: A\n',
        'dashboards/one.yaml': 'one',
        'databases/db.yaml': 'db',
      }),
    );
    await feed(
      merger,
      exportZip('dashboard_export_B', {
        'metadata.yaml': 'version: 1.0.0\ntimestamp: B\n',
        'dashboards/two.yaml': 'two',
        'databases/db.yaml': 'db',
        'charts/changed.yaml': 'x',
      }),
    );
    await feed(merger, exportZip('dashboard_export_C', { 'charts/changed.yaml': 'y' }));
    await merger.end();
    const merged = unzipSync(Buffer.concat(out));
    expect(Object.keys(merged).sort()).toEqual([
      'dashboard_export_20261201T100000/charts/changed.yaml',
      'dashboard_export_20261201T100000/dashboards/one.yaml',
      'dashboard_export_20261201T100000/dashboards/two.yaml',
      'dashboard_export_20261201T100000/databases/db.yaml',
      'dashboard_export_20261201T100000/metadata.yaml',
    ]);
    expect(strFromU8(merged['dashboard_export_20261201T100000/metadata.yaml'])).toContain('A');
    expect(strFromU8(merged['dashboard_export_20261201T100000/charts/changed.yaml'])).toBe('x');
    expect(merger.stats).toEqual({ written: 5, duplicates: 2, conflicts: ['charts/changed.yaml'] });
  });

  it("copies Superset's deflated bytes unchanged instead of deflating them again", async () => {
    // Text that deflates differently at level 1 (fflate, as the source) and 6 (the merger's own).
    const text = Array.from({ length: 4000 }, (_, i) => `- chart_${i % 97}: ${i * 7919}`).join(
      '\n',
    );
    const source = zipSync({ 'export_A/charts/big.yaml': strToU8(text) }, { level: 1 });
    const theirs = Buffer.from(deflateSync(strToU8(text), { level: 1 }));
    expect(Buffer.from(source).indexOf(theirs)).toBeGreaterThan(0);
    const out: Uint8Array[] = [];
    const merger = new ZipMerger('root', async (c) => void out.push(c));
    await feed(merger, source);
    await merger.end();
    const merged = Buffer.concat(out);
    expect(merged.indexOf(theirs)).toBeGreaterThan(0);
    expect(strFromU8(unzipSync(merged)['root/charts/big.yaml'])).toBe(text);
  });

  it('keeps every entry whole and in order while several deflate at once', async () => {
    // Stored entries, as Superset writes them; sizes vary so that later deflates finish first.
    const files: Record<string, string> = {};
    for (let i = 0; i < 40; i++) {
      files[`charts/chart_${i}.yaml`] = `slice_name: chart ${i}\n`.repeat(i % 3 === 0 ? 20_000 : 3);
    }
    const source = zipSync(
      Object.fromEntries(Object.entries(files).map(([n, t]) => [`export_A/${n}`, strToU8(t)])),
      { level: 0 },
    );
    const out: Uint8Array[] = [];
    const merger = new ZipMerger('root', async (c) => void out.push(c));
    await feed(merger, source);
    await merger.end();
    const zip = Buffer.concat(out);
    const merged = unzipSync(zip);
    expect(Object.keys(merged)).toEqual(Object.keys(files).map((n) => `root/${n}`));
    const crcs = centralDirectoryCrcs(zip);
    for (const [name, text] of Object.entries(files)) {
      expect(strFromU8(merged[`root/${name}`])).toBe(text);
      expect(crcs.get(`root/${name}`)).toBe(crc32(text)); // fflate does not check them
    }
    expect(merger.stats.written).toBe(40);
  });

  it('refuses entries that leave the archive or sit outside a root folder', async () => {
    const merger = new ZipMerger('root', async () => undefined);
    await expect(feed(merger, zipSync({ '../evil.yaml': strToU8('x') }))).rejects.toThrow(
      '".." or "."',
    );
    await expect(merger.add({ name: 'loose.yaml', data: strToU8('x') })).rejects.toThrow(
      'root folder',
    );
  });
});

describe('reading ZIP files', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'taskdeck-zip-spec-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads entries one by one and finds the central directory', async () => {
    const path = join(dir, 'ok.zip');
    const zip = exportZip('r', { 'a.yaml': 'a: 1', 'b.yaml': 'b: 2' });
    await writeFile(path, zip);
    const seen: string[] = [];
    expect(await readZipFile(path, (e) => void seen.push(e.name))).toBe(2);
    expect(seen).toEqual(['r/a.yaml', 'r/b.yaml']);
    expect(await centralDirectoryEntries(path)).toBe(2);

    const cut = join(dir, 'cut.zip');
    await writeFile(cut, zip.subarray(0, zip.length - 30));
    expect(await centralDirectoryEntries(cut)).toBeUndefined();
  });

  it('only inflates what the filter accepts', async () => {
    const names: string[] = [];
    const reader = new ZipEntryReader(
      (e) => void names.push(e.name),
      (name) => name.endsWith('keep.yaml'),
    );
    await reader.push(exportZip('r', { 'keep.yaml': 'k', 'skip.yaml': 's' }), true);
    expect(names).toEqual(['r/keep.yaml']);
    expect(reader.entries).toBe(2);
  });
});
