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
} from '@nestjs/common';
import {
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { LlmProvider, LlmProviderTestResult } from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { CreateLlmProviderDto } from './dto/create-llm-provider.dto';
import { UpdateLlmProviderDto } from './dto/update-llm-provider.dto';
import { LlmProvidersService } from './llm-providers.service';

@ApiTags('llm')
@ApiBearerAuth()
@Controller('llm/providers')
export class LlmProvidersController {
  constructor(private readonly providers: LlmProvidersService) {}

  @Get()
  @ApiOkResponse({ description: 'every provider, by name (never an API key)' })
  list(): Promise<LlmProvider[]> {
    return this.providers.list();
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'the new provider' })
  @ApiConflictResponse({ description: 'name taken' })
  create(@Body() body: CreateLlmProviderDto, @CurrentUser() user: AuthUser): Promise<LlmProvider> {
    return this.providers.create(body, user.username);
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<LlmProvider> {
    return this.providers.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateLlmProviderDto,
    @CurrentUser() user: AuthUser,
  ): Promise<LlmProvider> {
    return this.providers.update(id, body, user.username);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.providers.remove(id, user.username);
  }

  @Post(':id/test')
  @Roles('operator')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ok: true, model, ms} or {ok: false, error}' })
  test(@Param('id', new ParseUUIDPipe()) id: string): Promise<LlmProviderTestResult> {
    return this.providers.test(id);
  }
}
