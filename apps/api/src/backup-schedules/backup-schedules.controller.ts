import { Body, Controller, Delete, Get, HttpCode, Param, ParseUUIDPipe, Put } from '@nestjs/common';
import { ApiBadRequestResponse, ApiBearerAuth, ApiOkResponse, ApiTags } from '@nestjs/swagger';
import type { BackupSchedule, EnvironmentBackupStatus } from '@taskdeck/contracts';
import { CurrentUser, type AuthUser } from '../common/decorators/current-user.decorator';
import { Roles } from '../common/decorators/roles.decorator';
import { BackupSchedulesService } from './backup-schedules.service';
import { UpdateBackupScheduleDto } from './dto/update-backup-schedule.dto';

/** Backup schedules and last backups of the environments. */
@ApiTags('backups')
@ApiBearerAuth()
@Controller()
export class BackupSchedulesController {
  constructor(private readonly backups: BackupSchedulesService) {}

  @Get('backup-schedules')
  @ApiOkResponse({ description: 'every environment: {environmentId, schedule, lastBackup}' })
  list(): Promise<EnvironmentBackupStatus[]> {
    return this.backups.list();
  }

  @Get('environments/:id/backup-schedule')
  @ApiOkResponse({ description: '{environmentId, schedule (or null), lastBackup (or null)}' })
  get(@Param('id', new ParseUUIDPipe()) id: string): Promise<EnvironmentBackupStatus> {
    return this.backups.status(id);
  }

  @Put('environments/:id/backup-schedule')
  @Roles('admin')
  @ApiOkResponse({ description: 'the schedule, with its next run' })
  @ApiBadRequestResponse({ description: 'a cron expression that cannot be read' })
  update(
    @Param('id', new ParseUUIDPipe()) id: string,
    @Body() body: UpdateBackupScheduleDto,
    @CurrentUser() user: AuthUser,
  ): Promise<BackupSchedule> {
    return this.backups.update(id, body, user.username);
  }

  @Delete('environments/:id/backup-schedule')
  @Roles('admin')
  @HttpCode(204)
  remove(@Param('id', new ParseUUIDPipe()) id: string): Promise<void> {
    return this.backups.remove(id);
  }
}
