import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Patch,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadGatewayResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type {
  Environment,
  EnvironmentTestResult,
  SupersetDashboardSummary,
  SupersetDatabaseSummary,
  SupersetDatasetSummary,
} from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { CatalogQueryDto } from './dto/catalog-query.dto';
import { CreateEnvironmentDto } from './dto/create-environment.dto';
import { UpdateEnvironmentDto } from './dto/update-environment.dto';
import { EnvironmentCatalogService } from './environment-catalog.service';
import { EnvironmentsService } from './environments.service';

@ApiTags('environments')
@ApiBearerAuth()
@Controller('environments')
export class EnvironmentsController {
  constructor(
    private readonly environments: EnvironmentsService,
    private readonly catalog: EnvironmentCatalogService,
  ) {}

  @Get()
  @ApiOkResponse({ description: 'every environment, by name (never a password)' })
  list(): Promise<Environment[]> {
    return this.environments.list();
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'the new environment' })
  @ApiConflictResponse({ description: 'name taken' })
  create(@Body() body: CreateEnvironmentDto, @CurrentUser() user: AuthUser): Promise<Environment> {
    return this.environments.create(body, user.username);
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<Environment> {
    return this.environments.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateEnvironmentDto,
    @CurrentUser() user: AuthUser,
  ): Promise<Environment> {
    return this.environments.update(id, body, user.username);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.environments.remove(id, user.username);
  }

  @Post(':id/test')
  @Roles('operator')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ok: true, supersetVersion?, dashboards} or {ok: false, error}' })
  test(@Param('id', new ParseUUIDPipe()) id: string): Promise<EnvironmentTestResult> {
    return this.catalog.test(id);
  }

  @Get(':id/dashboards')
  @ApiBadGatewayResponse({ description: 'Superset failed; the message says how' })
  dashboards(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: CatalogQueryDto,
  ): Promise<SupersetDashboardSummary[]> {
    return this.catalog.dashboards(id, query.search);
  }

  @Get(':id/datasets')
  @ApiBadGatewayResponse({ description: 'Superset failed; the message says how' })
  datasets(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Query() query: CatalogQueryDto,
  ): Promise<SupersetDatasetSummary[]> {
    return this.catalog.datasets(id, query.search);
  }

  @Get(':id/databases')
  @ApiBadGatewayResponse({ description: 'Superset failed; the message says how' })
  databases(@Param('id', new ParseUUIDPipe()) id: string): Promise<SupersetDatabaseSummary[]> {
    return this.catalog.databases(id);
  }
}
