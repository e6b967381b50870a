import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { UpsertScheduleRequest } from '@taskdeck/contracts';
import { IsObject, IsString, Matches, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';

export class UpsertScheduleDto implements UpsertScheduleRequest {
  @ApiProperty({ example: '0 3 * * *', description: 'five-field cron expression (minutes)' })
  @IsString()
  @MaxLength(200)
  cron!: string;

  @ApiPropertyOptional({ example: 'Europe/Paris', default: 'UTC' })
  @OptionalField()
  @IsString()
  @MaxLength(64)
  timezone?: string;

  @ApiProperty({ example: 'debug' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
    message: 'pluginId must be a plugin id such as "debug"',
  })
  pluginId!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @OptionalField()
  @IsObject({ message: 'params must be a JSON object' })
  params?: Record<string, unknown>;
}
