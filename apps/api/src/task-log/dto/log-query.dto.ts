import { ApiPropertyOptional } from '@nestjs/swagger';
import { LOG_PAGE_DEFAULT_LIMIT, LOG_PAGE_MAX_LIMIT, type LogQuery } from '@taskdeck/contracts';
import { IsInt, IsOptional, Max, Min } from 'class-validator';
import { LogFilterDto } from './log-filter.dto';
import { DigitsToNumber } from './query-validators';

/** Query of GET /api/tasks/:id/logs. */
export class LogQueryDto extends LogFilterDto implements LogQuery {
  @ApiPropertyOptional({
    type: 'integer',
    minimum: 1,
    maximum: LOG_PAGE_MAX_LIMIT,
    default: LOG_PAGE_DEFAULT_LIMIT,
  })
  @IsOptional()
  @DigitsToNumber()
  @IsInt()
  @Min(1)
  @Max(LOG_PAGE_MAX_LIMIT)
  limit?: number;
}
