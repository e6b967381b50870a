// The files API over the real HTTP layer: listing, streamed download, delete (admin), usage, and
// paths that try to leave the storage root (400, nothing read or deleted).
import { mkdir, readFile, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StorageUsage, StoredFile } from '@taskdeck/contracts';
import { StorageService } from '../src/storage/storage.service';
import { ApiClient } from './utils/api-client';
import { startTestApp, type TestApp } from './utils/test-app';

describe('storage files API', () => {
  let t: TestApp;
  let admin: ApiClient;
  let operator: ApiClient;
  let viewer: ApiClient;
  let storage: StorageService;
  let root: string;

  beforeAll(async () => {
    t = await startTestApp();
    admin = new ApiClient(t.url, await t.tokenFor('admin'));
    operator = new ApiClient(t.url, await t.tokenFor('operator'));
    viewer = new ApiClient(t.url, await t.tokenFor('viewer'));
    storage = t.app.get(StorageService);
    root = storage.root;
    expect(root).toBe(join(process.env.DATA_DIR!, 'storage'));
  });
  afterAll(async () => {
    await t?.close();
  });

  it('lists, downloads, measures and deletes files', async () => {
    await storage.writeAtomic('backups/prod/prod-2026-12-01T10-00-00Z.zip', Buffer.alloc(300, 7));
    await new Promise((r) => setTimeout(r, 20));
    await storage.writeAtomic('backups/staging/staging-2026-12-01T11-00-00Z.zip', 'PK-ish');
    await storage.writeAtomic('screenshots/prod/sales-2026.png', Buffer.alloc(10));

    const all = await viewer.get<StoredFile[]>('/api/storage/files');
    expect(all.status).toBe(200);
    const backups = await viewer.get<StoredFile[]>('/api/storage/files?category=backups');
    expect(backups.body.map((f) => f.path)).toEqual([
      'backups/staging/staging-2026-12-01T11-00-00Z.zip',
      'backups/prod/prod-2026-12-01T10-00-00Z.zip',
    ]);
    expect(backups.body[1]).toEqual({
      path: 'backups/prod/prod-2026-12-01T10-00-00Z.zip',
      name: 'prod-2026-12-01T10-00-00Z.zip',
      category: 'backups',
      size: 300,
      createdAt: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
      mimeType: 'application/zip',
    });
    const prod = await viewer.get<StoredFile[]>(
      `/api/storage/files?category=backups&prefix=${encodeURIComponent('backups/prod/')}`,
    );
    expect(prod.body.map((f) => f.name)).toEqual(['prod-2026-12-01T10-00-00Z.zip']);
    expect(all.body).toHaveLength(3);

    const download = await fetch(
      `${t.url}/api/storage/files/download?path=${encodeURIComponent(prod.body[0].path)}`,
      { headers: { authorization: `Bearer ${await t.tokenFor('viewer')}` } },
    );
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/zip');
    expect(download.headers.get('content-disposition')).toContain(
      'attachment; filename="prod-2026-12-01T10-00-00Z.zip"',
    );
    expect(Buffer.from(await download.arrayBuffer())).toEqual(Buffer.alloc(300, 7));

    const usage = await viewer.get<StorageUsage>('/api/storage/usage');
    expect(usage.body).toEqual({
      totalBytes: 316,
      files: 3,
      byCategory: {
        backups: { bytes: 306, files: 2 },
        repositories: { bytes: 0, files: 0 },
        screenshots: { bytes: 10, files: 1 },
      },
    });

    const path = encodeURIComponent('backups/staging/staging-2026-12-01T11-00-00Z.zip');
    expect((await operator.delete(`/api/storage/files?path=${path}`)).status).toBe(403);
    expect((await viewer.delete(`/api/storage/files?path=${path}`)).status).toBe(403);
    expect((await admin.delete(`/api/storage/files?path=${path}`)).status).toBe(204);
    expect((await admin.delete(`/api/storage/files?path=${path}`)).status).toBe(404);
    expect((await viewer.get(`/api/storage/files/download?path=${path}`)).status).toBe(404);
    expect((await viewer.get<StorageUsage>('/api/storage/usage')).body.files).toBe(2);
    expect((await new ApiClient(t.url).get('/api/storage/files')).status).toBe(401);
  });

  it('answers 400 for paths leaving the root, and reads or deletes nothing', async () => {
    const outside = join(process.env.DATA_DIR!, 'outside');
    await mkdir(outside, { recursive: true });
    await writeFile(join(outside, 'secret.txt'), 'top secret');
    await symlink(outside, join(root, 'backups', 'escape'));

    const hostile = [
      '../outside/secret.txt',
      'backups/../../outside/secret.txt',
      join(outside, 'secret.txt'),
      'backups/escape/secret.txt',
      'backups/a\0b',
      `backups/${'x'.repeat(300)}`,
      'etc/passwd',
    ];
    for (const path of hostile) {
      const q = encodeURIComponent(path);
      const download = await viewer.get<{ message: string }>(
        `/api/storage/files/download?path=${q}`,
      );
      expect([path, download.status]).toEqual([path, 400]);
      expect(JSON.stringify(download.body)).not.toContain('top secret');
      expect((await admin.delete(`/api/storage/files?path=${q}`)).status).toBe(400);
      expect((await viewer.get(`/api/storage/files?prefix=${q}`)).status).toBe(400);
    }
    expect(await readFile(join(outside, 'secret.txt'), 'utf8')).toBe('top secret');
    expect((await viewer.get('/api/storage/files/download')).status).toBe(400);
    expect((await viewer.get('/api/storage/files?category=etc')).status).toBe(400);
    expect((await viewer.get('/api/storage/files/download?path=a&path=b')).status).toBe(400);
  });
});
