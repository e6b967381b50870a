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
import type { GitCommitList, GitRemoteTestResult, GitRepository } from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../../common/decorators/current-user.decorator';
import { Roles } from '../../common/decorators/roles.decorator';
import { CreateGitRepositoryDto } from './dto/create-git-repository.dto';
import { UpdateGitRepositoryDto } from './dto/update-git-repository.dto';
import { GitRepositoriesService } from './git-repositories.service';

@ApiTags('git')
@ApiBearerAuth()
@Controller('git/repositories')
export class GitRepositoriesController {
  constructor(private readonly repositories: GitRepositoriesService) {}

  @Get()
  @ApiOkResponse({ description: 'every repository, by name (never a token)' })
  list(): Promise<GitRepository[]> {
    return this.repositories.list();
  }

  @Post()
  @Roles('admin')
  @ApiCreatedResponse({ description: 'the new repository' })
  @ApiConflictResponse({ description: 'name taken' })
  create(
    @Body() body: CreateGitRepositoryDto,
    @CurrentUser() user: AuthUser,
  ): Promise<GitRepository> {
    return this.repositories.create(body, user.username);
  }

  @Get(':id')
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<GitRepository> {
    return this.repositories.get(id);
  }

  @Get(':id/commits')
  @ApiOkResponse({ description: 'the branch’s last 20 commits with their files' })
  commits(@Param('id', new ParseUUIDPipe()) id: string): Promise<GitCommitList> {
    return this.repositories.commits(id);
  }

  @Post(':id/test')
  @Roles('operator')
  @HttpCode(200)
  @ApiOkResponse({ description: '{ok: true, branchExists} or {ok: false, error}' })
  test(@Param('id', new ParseUUIDPipe()) id: string): Promise<GitRemoteTestResult> {
    return this.repositories.test(id);
  }

  @Patch(':id')
  @Roles('admin')
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateGitRepositoryDto,
    @CurrentUser() user: AuthUser,
  ): Promise<GitRepository> {
    return this.repositories.update(id, body, user.username);
  }

  @Delete(':id')
  @Roles('admin')
  @HttpCode(204)
  remove(
    @Param('id', new ParseUUIDPipe()) id: string,
    @CurrentUser() user: AuthUser,
  ): Promise<void> {
    return this.repositories.remove(id, user.username);
  }
}
