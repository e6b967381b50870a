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
import type { Connection, ConnectionTestResult } from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../../common/decorators/current-user.decorator';
import { Roles } from '../../common/decorators/roles.decorator';
import { ConnectionsService } from './connections.service';
import { CreateConnectionDto } from './dto/create-connection.dto';
import { UpdateConnectionDto } from './dto/update-connection.dto';

@ApiTags('connections')
@ApiBearerAuth()
@Controller('connections')
export class ConnectionsController {
  constructor(private readonly connections: ConnectionsService) {}

  @Get()
  @ApiOkResponse({ description: 'every connection, by name (never a password)' })
  list(): Promise<Connection[]> {
    return this.connections.list();
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'the new connection' })
  @ApiConflictResponse({ description: 'name taken' })
  create(@Body() body: CreateConnectionDto, @CurrentUser() user: AuthUser): Promise<Connection> {
    return this.connections.create(body, user.username);
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<Connection> {
    return this.connections.get(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateConnectionDto,
    @CurrentUser() user: AuthUser,
  ): Promise<Connection> {
    return this.connections.update(id, body, user.username);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.connections.remove(id, user.username);
  }

  @Post(':id/test')
  @Roles('operator')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ok: true, serverVersion} or {ok: false, error}' })
  test(@Param('id', new ParseUUIDPipe()) id: string): Promise<ConnectionTestResult> {
    return this.connections.test(id);
  }
}
