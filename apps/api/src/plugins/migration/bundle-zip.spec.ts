import { strFromU8, strToU8, unzipSync, zipSync } from 'fflate';
import {
  DEFAULT_BUNDLE_LIMITS,
  readBundle,
  UnsafeBundleError,
  unsafeEntryName,
  writeBundle,
} from './bundle-zip';

const zip = (files: Record<string, string | Uint8Array>): Uint8Array =>
  zipSync(
    Object.fromEntries(
      Object.entries(files).map(([n, d]) => [n, typeof d === 'string' ? strToU8(d) : d]),
    ),
  );

describe('readBundle', () => {
  it('reads the files under the one root folder, and writes them back under it', () => {
    const bundle = readBundle(
      zip({
        'dashboard_export_20260101T000000/metadata.yaml': 'version: 1.0.0\n',
        'dashboard_export_20260101T000000/datasets/db/t.yaml': 'table_name: t\n',
      }),
    );
    expect(bundle.root).toBe('dashboard_export_20260101T000000');
    expect([...bundle.files.keys()].sort()).toEqual(['datasets/db/t.yaml', 'metadata.yaml']);
    const again = unzipSync(writeBundle(bundle));
    expect(Object.keys(again).sort()).toEqual([
      'dashboard_export_20260101T000000/datasets/db/t.yaml',
      'dashboard_export_20260101T000000/metadata.yaml',
    ]);
    expect(strFromU8(again['dashboard_export_20260101T000000/metadata.yaml'])).toBe(
      'version: 1.0.0\n',
    );
  });

  it.each([
    ['root/../../etc/passwd', /"\.\." or "\."/],
    ['/etc/passwd', /absolute/],
    ['C:/windows/x.yaml', /absolute/],
    ['root\\..\\x.yaml', /backslash/],
    ['root//x.yaml', /empty path segment/],
  ])('refuses the entry name %s before inflating anything', (name, why) => {
    expect(() => readBundle(zip({ 'root/metadata.yaml': 'x', [name]: 'x' }))).toThrow(why);
  });

  it('refuses several roots, a file outside any folder, and an archive that is not a ZIP', () => {
    expect(() => readBundle(zip({ 'a/x.yaml': 'x', 'b/y.yaml': 'y' }))).toThrow(
      /2 root folders instead of one/,
    );
    expect(() => readBundle(zip({ 'x.yaml': 'x' }))).toThrow(/not inside a root folder/);
    expect(() => readBundle(strToU8('not a zip at all'))).toThrow(UnsafeBundleError);
  });

  it('refuses what is too large, too many, or compressed like a bomb', () => {
    const big = zip({ 'r/a.yaml': new Uint8Array(5_000_000) });
    expect(() => readBundle(big)).toThrow(/compression ratio of \d+, more than 200/);
    const limits = { ...DEFAULT_BUNDLE_LIMITS, maxRatio: 1e9 };
    expect(() => readBundle(big, { ...limits, maxEntryBytes: 1_000_000 })).toThrow(
      /inflates to 5000000 bytes, more than 1000000/,
    );
    expect(() => readBundle(big, { ...limits, maxTotalBytes: 1_000_000 })).toThrow(
      /inflates to 5000000 bytes, more than 1000000/,
    );
    expect(() => readBundle(big, { ...limits, maxZipBytes: 100 })).toThrow(/more than 100$/);
    const many = zip(
      Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`r/${i}.yaml`, 'x'])),
    );
    expect(() => readBundle(many, { ...limits, maxEntries: 20 })).toThrow(/30 entries/);
  });

  it('never inflates an entry past the size its header states', () => {
    const z = zip({ 'r/a.yaml': new Uint8Array(10_000_000) });
    const view = new DataView(z.buffer, z.byteOffset, z.byteLength);
    view.setUint32(22, 100, true); // local header: uncompressed size
    for (let i = z.length - 22; i >= 0; i--) {
      if (view.getUint32(i, true) === 0x02014b50) {
        view.setUint32(i + 24, 100, true); // central directory: uncompressed size
        break;
      }
    }
    const bundle = readBundle(z, { ...DEFAULT_BUNDLE_LIMITS, maxRatio: 1e9 });
    expect(bundle.files.get('a.yaml')?.length).toBe(100);
  });
});

describe('unsafeEntryName', () => {
  it('accepts plain relative paths and folders', () => {
    expect(unsafeEntryName('root/datasets/db/t.yaml')).toBeUndefined();
    expect(unsafeEntryName('root/charts/')).toBeUndefined();
    expect(unsafeEntryName('root/a\0b')).toMatch(/NUL/);
  });
});
