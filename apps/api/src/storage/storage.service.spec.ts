import {
  mkdtemp,
  mkdir,
  readdir,
  readFile,
  rm,
  symlink,
  utimes,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { BadRequestException, NotFoundException } from '@nestjs/common';
import { parseStoragePath, safeName, StoragePathError, TEMP_PREFIX } from './storage-path';
import { StorageService } from './storage.service';

describe('parseStoragePath', () => {
  it.each([
    ['../etc/passwd', '".." segments'],
    ['backups/../../etc', '".." segments'],
    ['backups/./x', '"." segments'],
    ['/etc/passwd', 'absolute'],
    ['C:/Windows/x', 'absolute'],
    ['backups\\..\\x', 'backslashes'],
    ['backups/a\0b', 'NUL'],
    ['backups//x', 'empty segment'],
    ['', 'empty'],
    ['etc/x', 'not under a category'],
    ['backups', 'names a category'],
    [`backups/${'a'.repeat(256)}`, 'name longer than 255 bytes'],
    [`backups/${'é'.repeat(128)}`, 'name longer than 255 bytes'],
    [`backups/${'a/'.repeat(2100)}x`, 'path too long'],
    ['backups/a\nb', 'control characters'],
    [`backups/${TEMP_PREFIX}x`, 'reserved name'],
  ])('refuses %j (%s) with a 400', (path, reason) => {
    let caught: unknown;
    try {
      parseStoragePath(path);
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(StoragePathError);
    expect(caught).toBeInstanceOf(BadRequestException);
    expect((caught as Error).message).toContain(reason);
  });

  it('refuses what is not a string', () => {
    expect(() => parseStoragePath(['backups/x'])).toThrow(StoragePathError);
    expect(() => parseStoragePath(undefined)).toThrow(StoragePathError);
  });

  it('accepts paths under a category and normalises a trailing slash', () => {
    expect(parseStoragePath('backups/prod/prod-2026-12-01T10-00-00Z.zip')).toEqual({
      path: 'backups/prod/prod-2026-12-01T10-00-00Z.zip',
      segments: ['backups', 'prod', 'prod-2026-12-01T10-00-00Z.zip'],
      category: 'backups',
    });
    expect(parseStoragePath('screenshots/', true).path).toBe('screenshots');
    expect(parseStoragePath('repositories/my repo..git/x').category).toBe('repositories');
  });

  it('safeName makes one harmless segment of anything', () => {
    expect(safeName('../prod/eu')).toBe('__prod_eu');
    expect(safeName('..')).toBe('_');
    expect(safeName('  ')).toBe('unnamed');
    expect(Buffer.byteLength(safeName('é'.repeat(500)))).toBeLessThanOrEqual(120);
    expect(() => parseStoragePath(`backups/${safeName('a/b\0c\\d')}/x`)).not.toThrow();
  });
});

describe('StorageService', () => {
  let base: string;
  let root: string;
  let storage: StorageService;

  beforeEach(async () => {
    base = await mkdtemp(join(tmpdir(), 'taskdeck-storage-spec-'));
    root = join(base, 'storage');
    storage = new StorageService({ root });
    await storage.onModuleInit();
  });
  afterEach(async () => {
    await rm(base, { recursive: true, force: true });
  });

  it('creates the root and its categories', async () => {
    expect((await readdir(root)).sort()).toEqual(['backups', 'repositories', 'screenshots']);
  });

  it('refuses a symlink that points out of the root, and touches nothing', async () => {
    const outside = join(base, 'outside');
    await mkdir(outside);
    await writeFile(join(outside, 'secret.txt'), 'secret');
    await symlink(outside, join(root, 'backups', 'escape'));
    await symlink(join(outside, 'secret.txt'), join(root, 'backups', 'file-link'));

    await expect(storage.resolve('backups/escape/secret.txt')).rejects.toThrow(StoragePathError);
    await expect(storage.stat('backups/file-link')).rejects.toThrow(StoragePathError);
    await expect(storage.delete('backups/escape/secret.txt')).rejects.toThrow(StoragePathError);
    await expect(storage.writeAtomic('backups/escape/new.txt', 'x')).rejects.toThrow(
      StoragePathError,
    );
    await expect(storage.list({ prefix: 'backups/escape/' })).rejects.toThrow(StoragePathError);
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    expect(await readdir(outside)).toEqual(['secret.txt']);
    // Listings do not follow symlinks either.
    expect(await storage.list()).toEqual([]);
  });

  it('follows a symlink that stays inside the root', async () => {
    await storage.writeAtomic('backups/prod/a.zip', 'zip');
    await symlink(join(root, 'backups', 'prod'), join(root, 'backups', 'alias'));
    expect((await storage.stat('backups/alias/a.zip')).size).toBe(3);
  });

  it('writes atomically: nothing at the target until commit, nothing left on abort', async () => {
    const writer = await storage.createWriter('backups/prod/big.zip');
    await writer.write(Buffer.alloc(1000, 1));
    expect(await readdir(join(root, 'backups', 'prod'))).toEqual([
      expect.stringMatching(new RegExp(`^${TEMP_PREFIX}.*-big\\.zip$`)),
    ]);
    await expect(storage.stat('backups/prod/big.zip')).rejects.toThrow(NotFoundException);
    expect(await storage.list()).toEqual([]);
    expect((await storage.usage()).files).toBe(0);
    await writer.write(Buffer.alloc(24, 2));
    expect(await writer.commit()).toBe(1024);
    expect(await readdir(join(root, 'backups', 'prod'))).toEqual(['big.zip']);

    const aborted = await storage.createWriter('backups/prod/big.zip');
    await aborted.write('half');
    await aborted.abort();
    expect(await readdir(join(root, 'backups', 'prod'))).toEqual(['big.zip']);
    expect((await readFile(join(root, 'backups', 'prod', 'big.zip'))).length).toBe(1024);
  });

  it('writes a stream atomically, and a failing stream leaves the old file', async () => {
    await storage.writeAtomic('screenshots/prod/a.png', 'old');
    const failing = new Readable({
      read() {
        this.push(Buffer.from('new'));
        this.destroy(new Error('source broke'));
      },
    });
    await expect(storage.writeAtomic('screenshots/prod/a.png', failing)).rejects.toThrow(
      'source broke',
    );
    expect(await readFile(join(root, 'screenshots', 'prod', 'a.png'), 'utf8')).toBe('old');
    expect(await readdir(join(root, 'screenshots', 'prod'))).toEqual(['a.png']);

    const file = await storage.writeAtomic(
      'screenshots/prod/a.png',
      Readable.from([Buffer.from('ne'), Buffer.from('w')]),
    );
    expect(file).toMatchObject({
      path: 'screenshots/prod/a.png',
      name: 'a.png',
      category: 'screenshots',
      size: 3,
      mimeType: 'image/png',
    });
  });

  it('lists newest first, by category and prefix, without hidden files', async () => {
    // Explicit modification times: files written within the same clock tick
    // would otherwise tie, and the order would depend on the filesystem.
    const at = (minutesAgo: number) => new Date(Date.now() - minutesAgo * 60_000);
    await storage.writeAtomic('backups/prod/prod-1.zip', 'a');
    await utimes(join(root, 'backups/prod/prod-1.zip'), at(40), at(40));
    await storage.writeAtomic('backups/staging/staging-1.zip', 'bb');
    await utimes(join(root, 'backups/staging/staging-1.zip'), at(30), at(30));
    await storage.writeAtomic('backups/prod/prod-2.zip', 'ccc');
    await utimes(join(root, 'backups/prod/prod-2.zip'), at(20), at(20));
    const repo = await storage.directoryFor('repositories', 'dashboards');
    await mkdir(join(repo, '.git'));
    await writeFile(join(repo, '.git', 'HEAD'), 'ref: refs/heads/main\n');
    await writeFile(join(repo, 'README.md'), '# x');

    expect((await storage.list()).map((f) => f.path)).toEqual([
      'repositories/dashboards/README.md',
      'backups/prod/prod-2.zip',
      'backups/staging/staging-1.zip',
      'backups/prod/prod-1.zip',
    ]);
    expect((await storage.list({ category: 'backups', prefix: 'backups/prod/' })).length).toBe(2);
    expect((await storage.list({ prefix: 'backups/prod/prod-2' })).map((f) => f.name)).toEqual([
      'prod-2.zip',
    ]);
    expect(await storage.list({ category: 'screenshots', prefix: 'backups/' })).toEqual([]);
    await expect(storage.list({ prefix: '../' })).rejects.toThrow(StoragePathError);

    const usage = await storage.usage();
    expect(usage.byCategory.backups).toEqual({ bytes: 6, files: 3 });
    expect(usage.byCategory.repositories.files).toBe(2); // .git counts on disk
    expect(usage).toMatchObject({ files: 5, byCategory: { screenshots: { bytes: 0, files: 0 } } });
  });

  it('directoryFor takes one segment only', async () => {
    expect(await storage.directoryFor('repositories', 'analytics')).toBe(
      join(root, 'repositories', 'analytics'),
    );
    await expect(storage.directoryFor('repositories', '../x')).rejects.toThrow(StoragePathError);
    await expect(storage.directoryFor('repositories', 'a/b')).rejects.toThrow(StoragePathError);
  });

  it('deletes files, not folders, and says 404 for what is missing', async () => {
    await storage.writeAtomic('backups/prod/x.zip', 'x');
    await expect(storage.delete('backups/prod')).rejects.toThrow(NotFoundException);
    expect((await storage.delete('backups/prod/x.zip')).size).toBe(1);
    await expect(storage.delete('backups/prod/x.zip')).rejects.toThrow(NotFoundException);
  });

  it('removes temporary files a crash left behind, not fresh ones', async () => {
    await mkdir(join(root, 'backups', 'prod'));
    const old = join(root, 'backups', 'prod', `${TEMP_PREFIX}abc-prod.zip`);
    const fresh = join(root, 'backups', 'prod', `${TEMP_PREFIX}def-prod.zip`);
    await writeFile(old, 'half');
    await writeFile(fresh, 'writing');
    await utimes(old, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await new StorageService({ root }).onModuleInit();
    expect(await readdir(join(root, 'backups', 'prod'))).toEqual([`${TEMP_PREFIX}def-prod.zip`]);
  });
});
