import { Body, Controller, Get, Put, Query } from '@nestjs/common';
import { ApiBadGatewayResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { MigrationMappings, MigrationSuggestions } from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../../common/decorators/current-user.decorator';
import { Roles } from '../../common/decorators/roles.decorator';
import { MappingsQueryDto } from './dto/mappings-query.dto';
import { PutMappingsDto } from './dto/put-mappings.dto';
import { MigrationMappingsService } from './migration-mappings.service';

@ApiTags('migration')
@ApiBearerAuth()
@Controller('migration/mappings')
export class MigrationMappingsController {
  constructor(private readonly mappings: MigrationMappingsService) {}

  @Get()
  @ApiOkResponse({ description: 'the stored mappings of the pair (source uuid → target uuid)' })
  get(@Query() query: MappingsQueryDto): Promise<MigrationMappings> {
    return this.mappings.get(query.source, query.target);
  }

  @Put()
  @Roles('admin')
  @ApiOkResponse({ description: 'the pair’s mappings, replaced by the body’s' })
  put(
    @Query() query: MappingsQueryDto,
    @Body() body: PutMappingsDto,
    @CurrentUser() user: AuthUser,
  ): Promise<MigrationMappings> {
    return this.mappings.put(query.source, query.target, body.mappings, user.username);
  }

  @Get('suggestions')
  @ApiOkResponse({ description: 'each source database: stored mapping, same uuid, suggestion' })
  @ApiBadGatewayResponse({ description: 'a Superset failed; the message says how' })
  suggestions(@Query() query: MappingsQueryDto): Promise<MigrationSuggestions> {
    return this.mappings.suggestions(query.source, query.target);
  }
}
