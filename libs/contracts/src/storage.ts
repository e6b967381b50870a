// The file store (CONTRACT.md "Storage"): files under STORAGE_DIR, in categories.

export const STORAGE_CATEGORIES = ['backups', 'repositories', 'screenshots'] as const;
export type StorageCategory = (typeof STORAGE_CATEGORIES)[number];

/** A file in storage; `path` is relative to the storage root, e.g. `backups/prod/prod-….zip`. */
export interface StoredFile {
  path: string;
  name: string;
  category: StorageCategory;
  size: number;
  createdAt: string;
  mimeType: string;
}

export interface StorageUsageEntry {
  bytes: number;
  files: number;
}

/** `GET /api/storage/usage`. */
export interface StorageUsage {
  totalBytes: number;
  files: number;
  byCategory: Record<StorageCategory, StorageUsageEntry>;
}
