import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  LOG_FILTER_MAX_SOURCES,
  LOG_LEVELS,
  LOG_SEARCH_MAX_LENGTH,
  LOG_SOURCE_MAX_LENGTH,
  type LogLevel,
} from '@taskdeck/contracts';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { DigitsToNumber, IsSourceList } from './query-validators';
import { OptionalField } from '../../common/validation/optional-field.decorator';

/** The filters shared by the page query and the download (all optional, combined with AND). */
export class LogFilterDto {
  @ApiPropertyOptional({
    enum: LOG_LEVELS,
    description: 'minimum level: WARNING gives WARNING and ERROR',
  })
  @OptionalField()
  @IsIn(LOG_LEVELS, { message: `level must be one of ${LOG_LEVELS.join(', ')}` })
  level?: LogLevel;

  @ApiPropertyOptional({
    description: `one source, or up to ${LOG_FILTER_MAX_SOURCES} comma-separated (exact match on any), each at most ${LOG_SOURCE_MAX_LENGTH} characters`,
    example: 'git,storage',
  })
  @OptionalField()
  @IsString()
  @IsSourceList()
  source?: string;

  @ApiPropertyOptional({
    description: 'case-insensitive substring of the message, matched literally',
    maxLength: LOG_SEARCH_MAX_LENGTH,
  })
  @OptionalField()
  @IsString()
  @MaxLength(LOG_SEARCH_MAX_LENGTH)
  search?: string;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    default: 0,
    description: 'entries with seq > afterSeq',
  })
  @OptionalField()
  @DigitsToNumber()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  afterSeq?: number;

  @ApiPropertyOptional({
    type: 'integer',
    minimum: 0,
    description: 'the entries just before this seq',
  })
  @OptionalField()
  @DigitsToNumber()
  @IsInt()
  @Min(0)
  @Max(Number.MAX_SAFE_INTEGER)
  beforeSeq?: number;
}
