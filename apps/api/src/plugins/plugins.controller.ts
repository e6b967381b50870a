import { Controller, Get } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { PluginInfo } from '@taskdeck/contracts';
import { PluginRegistry } from './plugin-registry.service';

@ApiTags('plugins')
@ApiBearerAuth()
@Controller('plugins')
export class PluginsController {
  constructor(private readonly registry: PluginRegistry) {}

  @Get()
  @ApiOkResponse({ description: '[{id, name, description, paramsSchema}]' })
  list(): PluginInfo[] {
    return this.registry.list();
  }
}
