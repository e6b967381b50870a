import { Body, Controller, Get, HttpCode, Ip, Post, UseFilters } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiOkResponse,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import type { LoginResponse, Me } from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../common/decorators/current-user.decorator';
import { Public } from '../common/decorators/public.decorator';
import { AuthService } from './auth.service';
import { ChangePasswordDto } from './dto/change-password.dto';
import { LoginDto } from './dto/login.dto';
import { TooManyLoginAttemptsFilter } from './too-many-login-attempts.filter';

@ApiTags('auth')
@Controller('auth')
@UseFilters(TooManyLoginAttemptsFilter)
export class AuthController {
  constructor(private readonly auth: AuthService) {}

  @Public()
  @Post('login')
  @HttpCode(200)
  @ApiOkResponse({ description: '{accessToken, user}' })
  @ApiUnauthorizedResponse({ description: 'wrong username or password' })
  @ApiTooManyRequestsResponse({ description: 'too many failed logins (Retry-After)' })
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<LoginResponse> {
    return this.auth.login(body.username, body.password, ip);
  }

  @Get('me')
  @ApiBearerAuth()
  me(@CurrentUser() user: AuthUser): Me {
    return { id: user.id, username: user.username, role: user.role };
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiBearerAuth()
  @ApiOkResponse({ description: '{accessToken, user}: a new token with a full lifetime' })
  refresh(@CurrentUser() user: AuthUser): Promise<LoginResponse> {
    return this.auth.refresh(user);
  }

  @Post('password')
  @HttpCode(204)
  @ApiBearerAuth()
  @ApiNoContentResponse({ description: 'changed; your sessions go on' })
  @ApiBadRequestResponse({ description: 'the current password is wrong' })
  @ApiTooManyRequestsResponse({ description: 'too many wrong current passwords (Retry-After)' })
  changePassword(
    @CurrentUser() user: AuthUser,
    @Body() body: ChangePasswordDto,
    @Ip() ip: string,
  ): Promise<void> {
    return this.auth.changeOwnPassword(user, body.currentPassword, body.newPassword, ip);
  }
}
