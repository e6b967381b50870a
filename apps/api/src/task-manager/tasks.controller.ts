import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  Param,
  ParseUUIDPipe,
  Post,
  Query,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiConflictResponse,
  ApiCreatedResponse,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { Page, Task } from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { CreateTaskDto } from './dto/create-task.dto';
import { ListTasksQuery } from './dto/list-tasks-query.dto';
import { TaskManager } from './task-manager.service';

const DEFAULT_LIMIT = 20;

@ApiTags('tasks')
@ApiBearerAuth()
@Controller('tasks')
export class TasksController {
  constructor(private readonly manager: TaskManager) {}

  @Post()
  @Roles('operator')
  @ApiCreatedResponse({ description: 'the new task, PENDING' })
  @ApiBadRequestResponse({ description: 'unknown plugin, or params that fail its schema' })
  create(@Body() body: CreateTaskDto, @CurrentUser() user: AuthUser): Promise<Task> {
    return this.manager.create(body.pluginId, body.params ?? {}, user.username);
  }

  @Get()
  @ApiOkResponse({ description: '{items, nextCursor}, newest first' })
  list(@Query() query: ListTasksQuery): Promise<Page<Task>> {
    return this.manager.list({ ...query, limit: query.limit ?? DEFAULT_LIMIT });
  }

  @Get(':id')
  @ApiNotFoundResponse()
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<Task> {
    return this.manager.get(id);
  }

  @Post(':id/cancel')
  @HttpCode(200)
  @Roles('operator')
  @ApiOkResponse({ description: 'the task; it becomes CANCELLED once the plugin stops' })
  @ApiConflictResponse({ description: 'the task has already finished' })
  cancel(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<Task> {
    return this.manager.cancel(id, user.username);
  }

  @Delete(':id')
  @HttpCode(204)
  @Roles('admin')
  @ApiNoContentResponse({ description: 'the task and its log are gone' })
  async delete(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    await this.manager.delete(id, user.username);
  }
}
