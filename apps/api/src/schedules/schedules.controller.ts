import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  NotFoundException,
  Param,
  Put,
} from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBearerAuth,
  ApiNoContentResponse,
  ApiNotFoundResponse,
  ApiOkResponse,
  ApiTags,
} from '@nestjs/swagger';
import type { TaskSchedule } from '@taskdeck/contracts';
import { Roles } from '../common/decorators/roles.decorator';
import { UpsertScheduleDto } from './dto/upsert-schedule.dto';
import { TaskSchedules } from './task-schedules.service';

/** Named schedules (what other modules set up through TaskSchedules), for operators to see and manage. */
@ApiTags('schedules')
@ApiBearerAuth()
@Controller('schedules')
export class SchedulesController {
  constructor(private readonly schedules: TaskSchedules) {}

  @Get()
  @ApiOkResponse({ description: 'every schedule, by name' })
  list(): Promise<TaskSchedule[]> {
    return this.schedules.list();
  }

  @Get(':name')
  @ApiNotFoundResponse()
  get(@Param('name') name: string): Promise<TaskSchedule> {
    return this.schedules.get(name);
  }

  @Put(':name')
  @Roles('admin')
  @ApiOkResponse({ description: 'the schedule as stored, with its next run' })
  @ApiBadRequestResponse({ description: 'bad name, cron, time zone, plugin or params' })
  upsert(@Param('name') name: string, @Body() body: UpsertScheduleDto): Promise<TaskSchedule> {
    return this.schedules.upsert(name, body);
  }

  @Delete(':name')
  @HttpCode(204)
  @Roles('admin')
  @ApiNoContentResponse({ description: 'removed; the tasks it created stay' })
  @ApiNotFoundResponse()
  async remove(@Param('name') name: string): Promise<void> {
    if (!(await this.schedules.remove(name))) {
      throw new NotFoundException(`schedule "${name}" not found`);
    }
  }
}
