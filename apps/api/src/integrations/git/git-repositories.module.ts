import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { StorageModule } from '../../storage/storage.module';
import { GitRepositoryEntity } from './entities/git-repository.entity';
import { GitRepositoriesController } from './git-repositories.controller';
import { GitRepositoriesService } from './git-repositories.service';
import { RepositoryDirectories } from './repository-directories.service';
import { RepositoryLocks } from './repository-locks.service';

/** Git repositories: routes, sealed tokens, work trees (simple-git) and the per-repository lock. */
@Module({
  imports: [TypeOrmModule.forFeature([GitRepositoryEntity]), StorageModule],
  controllers: [GitRepositoriesController],
  providers: [GitRepositoriesService, RepositoryDirectories, RepositoryLocks],
  exports: [GitRepositoriesService, RepositoryLocks],
})
export class GitRepositoriesModule {}
