import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { SettingsModule } from '../settings/settings.module';
import { StorageModule } from '../storage/storage.module';
import { SupersetModule } from '../superset/superset.module';
import { DashboardValidationModule } from './dashboard-validation/dashboard-validation.module';
import { BackupModule } from './backup/backup.module';
import { DebugPlugin } from './debug/debug.plugin';
import { GitPluginModule } from './git/git-plugin.module';
import { DocumentationModule } from './documentation/documentation.module';
import { MapperModule } from './mapper/mapper.module';
import { MigrationModule } from './migration/migration.module';
import { SearchModule } from './search/search.module';
import { StoragePlugin } from './storage/storage.plugin';
import { PluginRegistry } from './plugin-registry.service';
import { PluginsController } from './plugins.controller';
import { TaskScopeModule } from './task-scope.module';

/**
 * Every plugin is a provider here. Adding one: a folder with a class decorated with
 * @TaskPluginDefinition (apps/api/src/plugin-api), listed in PLUGINS (or a module of its own, listed in imports).
 */
export const PLUGINS = [DebugPlugin, StoragePlugin];

@Module({
  imports: [
    DiscoveryModule,
    SettingsModule,
    SupersetModule,
    StorageModule,
    TaskScopeModule,
    MigrationModule,
    MapperModule,
    SearchModule,
    GitPluginModule,
    DocumentationModule,
    DashboardValidationModule,
    BackupModule,
  ],
  controllers: [PluginsController],
  providers: [PluginRegistry, ...PLUGINS],
  exports: [PluginRegistry, TaskScopeModule],
})
export class PluginsModule {}
