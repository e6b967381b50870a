import { Module } from '@nestjs/common';
import { GitRepositoriesModule } from '../../integrations/git/git-repositories.module';
import { SupersetModule } from '../../superset/superset.module';
import { MigrationModule } from '../migration/migration.module';
import { GitPlugin } from './git.plugin';

/** The git plugin: commit, push, pull and deploy through the repositories' work trees. */
@Module({
  imports: [GitRepositoriesModule, SupersetModule, MigrationModule],
  providers: [GitPlugin],
})
export class GitPluginModule {}
