import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { UpsertScheduleRequest } from '@taskdeck/contracts';
import { IsObject, IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';
import { IsPluginId } from '../../common/validation/plugin-id.decorator';

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
  @IsPluginId()
  pluginId!: string;

  @ApiPropertyOptional({ type: 'object', additionalProperties: true })
  @OptionalField()
  @IsObject({ message: 'params must be a JSON object' })
  params?: Record<string, unknown>;
}
