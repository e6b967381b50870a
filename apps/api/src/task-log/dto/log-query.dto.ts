import { ApiPropertyOptional } from '@nestjs/swagger';
import { LOG_PAGE_DEFAULT_LIMIT, LOG_PAGE_MAX_LIMIT, type LogQuery } from '@taskdeck/contracts';
import { IsInt, Max, Min } from 'class-validator';
import { LogFilterDto } from './log-filter.dto';
import { DigitsToNumber } from './query-validators';
import { OptionalField } from '../../common/validation/optional-field.decorator';

/** Query of GET /api/tasks/:id/logs. */
export class LogQueryDto extends LogFilterDto implements LogQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: LOG_PAGE_MAX_LIMIT,
    default: LOG_PAGE_DEFAULT_LIMIT,
  })
  @OptionalField()
  @DigitsToNumber()
  @IsInt()
  @Min(1)
  @Max(LOG_PAGE_MAX_LIMIT)
  limit?: number;
}
