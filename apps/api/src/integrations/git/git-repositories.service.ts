import { ConflictException, Injectable, Logger, NotFoundException } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { GitCommitList, GitRemoteTestResult, GitRepository } from '@taskdeck/contracts';
import { rename, rm, stat } from 'node:fs/promises';
import { Repository } from 'typeorm';
import { SecretUnreadableError } from '../../secrets/secret-box';
import { SecretsService } from '../../secrets/secrets.service';
import type { TaskLogger } from '../../plugin-api';
import type { CreateGitRepositoryDto } from './dto/create-git-repository.dto';
import type { UpdateGitRepositoryDto } from './dto/update-git-repository.dto';
import { GitRepositoryEntity } from './entities/git-repository.entity';
import { GitOperationError, GitWorkTree } from './git-work-tree';
import { RepositoryDirectories } from './repository-directories.service';
import { RepositoryLocks } from './repository-locks.service';

/** The purpose a repository's token is sealed for (bound into the ciphertext). */
export const GIT_TOKEN = 'git.token';

/** How many commits the repository page shows. */
export const COMMITS_SHOWN = 20;

export function toGitRepository(entity: GitRepositoryEntity): GitRepository {
  return {
    id: entity.id,
    name: entity.name,
    remoteUrl: entity.remoteUrl,
    branch: entity.branch,
    authorName: entity.authorName,
    authorEmail: entity.authorEmail,
    hasToken: entity.tokenSealed !== null,
  };
}

/** Git repositories as stored; answers never carry the token, only `hasToken`. */
@Injectable()
export class GitRepositoriesService {
  private readonly logger = new Logger(GitRepositoriesService.name);

  constructor(
    @InjectRepository(GitRepositoryEntity)
    private readonly repositories: Repository<GitRepositoryEntity>,
    private readonly secrets: SecretsService,
    private readonly directories: RepositoryDirectories,
    private readonly locks: RepositoryLocks,
  ) {}

  async list(): Promise<GitRepository[]> {
    const rows = await this.repositories
      .createQueryBuilder('r')
      .orderBy('lower(r.name)', 'ASC')
      .getMany();
    return rows.map(toGitRepository);
  }

  async get(id: string): Promise<GitRepository> {
    return toGitRepository(await this.entity(id));
  }

  async create(body: CreateGitRepositoryDto, by: string): Promise<GitRepository> {
    const entity = this.repositories.create({
      name: body.name,
      remoteUrl: body.remoteUrl ?? '',
      branch: body.branch ?? 'main',
      authorName: body.authorName,
      authorEmail: body.authorEmail,
      tokenSealed: this.sealed(body.token),
    });
    const saved = await this.save(entity);
    this.logger.log(`audit: ${by} added git repository "${saved.name}" (${remoteOf(saved)})`);
    return toGitRepository(saved);
  }

  /** A new name moves the work tree with it. */
  async update(id: string, body: UpdateGitRepositoryDto, by: string): Promise<GitRepository> {
    const entity = await this.entity(id);
    const oldName = entity.name;
    for (const key of ['name', 'remoteUrl', 'branch', 'authorName', 'authorEmail'] as const) {
      if (body[key] !== undefined) entity[key] = body[key];
    }
    if (body.token !== undefined) entity.tokenSealed = this.sealed(body.token);
    const [from, to] = await Promise.all([
      this.directories.directory(oldName),
      this.directories.directory(entity.name),
    ]);
    // Not while an operation works in the tree; the row and the folder change together.
    const saved = await this.locks.withLock(id, async () => {
      if (from !== to && (await exists(to))) {
        throw new ConflictException(`storage already holds a folder repositories/${entity.name}`);
      }
      const row = await this.save(entity);
      if (from !== to) {
        await rename(from, to).catch((error: NodeJS.ErrnoException) => {
          if (error.code !== 'ENOENT') throw error;
        });
      }
      return row;
    });
    const changed = Object.keys(body).sort().join(', ') || 'nothing';
    this.logger.log(`audit: ${by} changed git repository "${saved.name}": ${changed}`);
    return toGitRepository(saved);
  }

  /** Deletes the repository and its work tree (the remote, if any, keeps the history). */
  async remove(id: string, by: string): Promise<void> {
    const entity = await this.entity(id);
    const dir = await this.directories.directory(entity.name);
    await this.locks.withLock(id, async () => {
      await this.repositories.delete({ id });
      await rm(dir, { recursive: true, force: true });
    });
    this.logger.log(`audit: ${by} deleted git repository "${entity.name}" and its work tree`);
  }

  /** The newest commits of the work tree's branch, with their files. */
  async commits(id: string, limit = COMMITS_SHOWN): Promise<GitCommitList> {
    const entity = await this.entity(id);
    // Reading the history needs no token (and works when a stored one cannot be opened).
    const tree = await this.workTree(entity, {}, false);
    const exists = await tree.exists();
    const history = exists ? await tree.history(limit) : [];
    return {
      branch: entity.branch,
      workTree: exists,
      items: history.map((c) => ({
        hash: c.hash,
        message: c.message,
        authorName: c.authorName,
        authorEmail: c.authorEmail,
        date: c.date,
        filesChanged: c.files.length,
        files: c.files,
      })),
    };
  }

  /** Whether the remote answers with the stored token; never throws for git's trouble. */
  async test(id: string): Promise<GitRemoteTestResult> {
    const entity = await this.entity(id);
    if (!entity.remoteUrl) return { ok: false, error: 'the repository has no remote (local only)' };
    try {
      const tree = await this.workTree(entity, {});
      const { branchExists } = await tree.probeRemote();
      return { ok: true, branchExists };
    } catch (error) {
      if (error instanceof GitOperationError || error instanceof SecretUnreadableError) {
        return { ok: false, error: error.message };
      }
      throw error;
    }
  }

  /** The stored row (for the plugin), or 404. */
  async entity(id: string): Promise<GitRepositoryEntity> {
    const entity = await this.repositories.findOneBy({ id });
    if (!entity) throw new NotFoundException(`git repository ${id} not found`);
    return entity;
  }

  /** The repository's work tree, its token opened for this one use. */
  async workTree(
    entity: GitRepositoryEntity,
    options: { logger?: TaskLogger; signal?: AbortSignal },
    withToken = true,
  ): Promise<GitWorkTree> {
    return new GitWorkTree({
      dir: await this.directories.directory(entity.name),
      branch: entity.branch,
      remoteUrl: entity.remoteUrl,
      token:
        entity.tokenSealed === null || !withToken
          ? undefined
          : this.secrets.open(entity.tokenSealed, GIT_TOKEN),
      author: { name: entity.authorName, email: entity.authorEmail },
      ...options,
    });
  }

  private sealed(token: string | undefined): string | null {
    return token ? this.secrets.seal(token, GIT_TOKEN) : null;
  }

  private async save(entity: GitRepositoryEntity): Promise<GitRepositoryEntity> {
    try {
      return await this.repositories.save(entity);
    } catch (error) {
      // 23505: unique_violation on lower(name).
      if ((error as { driverError?: { code?: string } }).driverError?.code === '23505') {
        throw new ConflictException(`a git repository named "${entity.name}" exists already`);
      }
      throw error;
    }
  }
}

function remoteOf(r: GitRepositoryEntity): string {
  return r.remoteUrl ? `${r.remoteUrl} ${r.branch}` : `local, ${r.branch}`;
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}
