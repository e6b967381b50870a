import { Body, Controller, Get, Patch } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { LoggingConfig } from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { UpdateLoggingConfigDto } from './dto/update-logging-config.dto';
import { LoggingConfigService } from './logging-config.service';

@ApiTags('settings')
@ApiBearerAuth()
@Controller('settings')
export class SettingsController {
  constructor(private readonly logging: LoggingConfigService) {}

  @Get('logging')
  @ApiOkResponse({ description: '{level, taskLogLevel, enableBeliefState}' })
  getLogging(): LoggingConfig {
    return this.logging.config;
  }

  @Patch('logging')
  @Roles('admin')
  @ApiOkResponse({ description: 'the settings now in force on every instance' })
  updateLogging(
    @Body() body: UpdateLoggingConfigDto,
    @CurrentUser() user: AuthUser,
  ): Promise<LoggingConfig> {
    return this.logging.update(body, user.username);
  }
}
