import { ApiPropertyOptional } from '@nestjs/swagger';
import { TASK_STATUSES, type TaskListQuery, type TaskStatus } from '@taskdeck/contracts';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsString, Max, MaxLength, Min } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';
import { IsPluginId } from '../../common/validation/plugin-id.decorator';

export class ListTasksQuery implements TaskListQuery {
  @ApiPropertyOptional({ enum: TASK_STATUSES })
  @OptionalField()
  @IsIn(TASK_STATUSES, { message: `status must be one of ${TASK_STATUSES.join(', ')}` })
  status?: TaskStatus;

  @ApiPropertyOptional()
  @OptionalField()
  @IsString()
  @IsPluginId()
  pluginId?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: 100, default: 20 })
  @OptionalField()
  @Type(() => Number)
  @IsInt({ message: 'limit must be an integer from 1 to 100' })
  @Min(1)
  @Max(100)
  limit?: number;

  @ApiPropertyOptional({ description: 'nextCursor of the previous page' })
  @OptionalField()
  @IsString()
  @MaxLength(512)
  cursor?: string;
}
