// Where a repository's work tree lives: `repositories/<name>` under the storage root. The one
// place that knows it, so that the rest asks for "the directory of repository <name>".
import { Inject, Injectable } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { join, resolve } from 'node:path';
import { appConfig } from '../../config';

@Injectable()
export class RepositoryDirectories {
  private readonly root: string;

  constructor(@Inject(appConfig.KEY) app: ConfigType<typeof appConfig>) {
    // STORAGE_DIR, or <DATA_DIR>/storage (CONTRACT.md "Storage").
    this.root = process.env.STORAGE_DIR
      ? resolve(process.env.STORAGE_DIR)
      : join(app.dataDir, 'storage');
  }

  /** The work tree's absolute path; the name was checked to be one plain path segment. */
  directory(name: string): Promise<string> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      return Promise.reject(new Error(`"${name}" is not a repository folder name`));
    }
    return Promise.resolve(join(this.root, 'repositories', name));
  }
}
