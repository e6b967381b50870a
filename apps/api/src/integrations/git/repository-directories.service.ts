// Where a repository's work tree lives: `repositories/<name>` in storage (StorageService checks
// the path: one plain segment, inside the root, no symlink out of it). The one place that knows
// it, so that the rest asks for "the directory of repository <name>".
import { Injectable } from '@nestjs/common';
import { StorageService } from '../../storage/storage.service';

@Injectable()
export class RepositoryDirectories {
  constructor(private readonly storage: StorageService) {}

  /** The work tree's absolute path; nothing is created. */
  directory(name: string): Promise<string> {
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(name)) {
      return Promise.reject(new Error(`"${name}" is not a repository folder name`));
    }
    return this.storage.resolve(`repositories/${name}`);
  }
}
