import { Module } from '@nestjs/common';
import type { ConfigType } from '@nestjs/config';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { TypeOrmModule } from '@nestjs/typeorm';
import { appConfig, authConfig } from '../config';
import { AdminBootstrapService } from './admin-bootstrap.service';
import { AuthTokenService } from './auth-token.service';
import { AuthController } from './auth.controller';
import { AuthGuard } from './auth.guard';
import { AuthService } from './auth.service';
import { UserEntity } from './entities/user.entity';
import { loadOrCreateJwtSecret } from './jwt-secret';
import { LoginThrottle } from './login-throttle.service';
import { UserAccessCache } from './user-access-cache.service';
import { UserAccessEvents } from './user-access-events.service';
import { UsersController } from './users.controller';
import { UsersService } from './users.service';

@Module({
  imports: [
    TypeOrmModule.forFeature([UserEntity]),
    JwtModule.registerAsync({
      inject: [authConfig.KEY, appConfig.KEY],
      useFactory: (auth: ConfigType<typeof authConfig>, app: ConfigType<typeof appConfig>) => ({
        secret: loadOrCreateJwtSecret(auth.jwtSecret, app.dataDir),
        signOptions: { expiresIn: auth.jwtExpiresIn },
      }),
    }),
  ],
  controllers: [AuthController, UsersController],
  providers: [
    UsersService,
    AuthService,
    AuthTokenService,
    AdminBootstrapService,
    LoginThrottle,
    UserAccessEvents,
    UserAccessCache,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [AuthTokenService, UsersService, UserAccessEvents],
})
export class AuthModule {}
