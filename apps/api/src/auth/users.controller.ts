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
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { User } from '@taskdeck/contracts';
import { Roles } from '../common/decorators/roles.decorator';
import { CreateUserDto } from './dto/create-user.dto';
import { UpdateUserDto } from './dto/update-user.dto';
import { UsersService } from './users.service';

@ApiTags('users')
@ApiBearerAuth()
@Roles('admin')
@Controller('users')
export class UsersController {
  constructor(private readonly users: UsersService) {}

  @Post()
  @ApiCreatedResponse({ description: 'the new user (never its password)' })
  @ApiConflictResponse({ description: 'username taken' })
  create(@Body() body: CreateUserDto): Promise<User> {
    return this.users.create(body.username, body.password, body.role);
  }

  @Get()
  list(): Promise<User[]> {
    return this.users.list();
  }

  @Patch(':id')
  @ApiOkResponse({ description: "the user; takes effect at once on the user's tokens" })
  @ApiConflictResponse({ description: 'the last enabled admin cannot be demoted or disabled' })
  update(@Param('id', new ParseUUIDPipe()) id: string, @Body() body: UpdateUserDto): Promise<User> {
    return this.users.update(id, body);
  }

  @Delete(':id')
  @HttpCode(204)
  @ApiNoContentResponse({ description: "deleted; the user's tokens stop working at once" })
  @ApiConflictResponse({ description: 'the last enabled admin cannot be deleted' })
  remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.users.remove(id);
  }
}
