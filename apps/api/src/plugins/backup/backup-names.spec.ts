import { parseStoragePath } from '../../storage/storage-path';
import { backupFolder, backupPath, chunk, exportRoot, utcStamp } from './backup-names';

describe('backup names', () => {
  const at = new Date('2026-12-01T10:00:00.123Z');

  it('names a backup after its environment and UTC time', () => {
    expect(utcStamp(at)).toBe('2026-12-01T10-00-00Z');
    expect(backupPath('prod', at)).toBe('backups/prod/prod-2026-12-01T10-00-00Z.zip');
    expect(backupPath('prod', at, 2)).toBe('backups/prod/prod-2026-12-01T10-00-00Z-2.zip');
    expect(exportRoot(at)).toBe('dashboard_export_20261201T100000');
    expect(backupFolder('prod')).toBe('backups/prod');
  });

  it('makes a safe single folder of any environment name', () => {
    for (const name of ['../../etc', 'a/b', 'EU \\ west', '.hidden', 'x\0y', 'é'.repeat(300)]) {
      const path = backupPath(name, at);
      expect(() => parseStoragePath(path)).not.toThrow();
      expect(path.split('/')).toHaveLength(3);
    }
    expect(backupPath('../../etc', at)).toBe('backups/__.._etc/__.._etc-2026-12-01T10-00-00Z.zip');
  });

  it('sorts by name in time order', () => {
    const later = new Date('2026-12-01T10:00:01Z');
    expect(backupPath('p', later) > backupPath('p', at)).toBe(true);
  });

  it('chunks ids in order, the last one shorter', () => {
    const ids = Array.from({ length: 120 }, (_, i) => i + 1);
    const parts = chunk(ids, 50);
    expect(parts.map((p) => p.length)).toEqual([50, 50, 20]);
    expect(parts.flat()).toEqual(ids);
    expect(chunk([], 50)).toEqual([]);
    expect(chunk([1, 2], 5)).toEqual([[1, 2]]);
    expect(() => chunk([1], 0)).toThrow('positive integer');
  });
});
