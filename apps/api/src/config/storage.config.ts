import { join, resolve } from 'node:path';
import { registerAs } from '@nestjs/config';
import { envString } from './env';

/** The file store (backups, git work trees, screenshots); see storage/storage.service.ts. */
export const storageConfig = registerAs('storage', () => {
  const dataDir = resolve(envString(process.env, 'DATA_DIR', './data'));
  return {
    /** `STORAGE_DIR`, default `<DATA_DIR>/storage`. */
    root: resolve(envString(process.env, 'STORAGE_DIR') ?? join(dataDir, 'storage')),
  };
});

export type StorageConfig = ReturnType<typeof storageConfig>;
