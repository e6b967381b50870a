import { Body, Controller, Get, Post } from '@nestjs/common';
import { ApiBearerAuth, ApiConflictResponse, ApiCreatedResponse, ApiTags } from '@nestjs/swagger';
import type { User } from '@taskdeck/contracts';
import { Roles } from '../common/decorators/roles.decorator';
import { CreateUserDto } from './dto/create-user.dto';
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
}
