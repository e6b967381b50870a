import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsBoolean, IsInt, IsString, Max, MaxLength, Min, MinLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';

export class UpdateBackupScheduleDto {
  @ApiProperty({ description: 'five-field cron expression, read in UTC', example: '0 3 * * *' })
  @IsString()
  @MinLength(9)
  @MaxLength(200)
  cron!: string;

  @ApiPropertyOptional({
    description: 'backups of the environment kept after each run',
    default: 7,
  })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(10_000)
  keep?: number;

  @ApiPropertyOptional({ default: true })
  @OptionalField()
  @IsBoolean()
  enabled?: boolean;
}
