import { ApiPropertyOptional } from '@nestjs/swagger';
import { LOG_LEVELS, type LogLevel, type UpdateLoggingConfigRequest } from '@taskdeck/contracts';
import { IsBoolean, IsIn } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';

export class UpdateLoggingConfigDto implements UpdateLoggingConfigRequest {
  @ApiPropertyOptional({ enum: LOG_LEVELS, description: "minimum level of the server's own log" })
  @OptionalField()
  @IsIn(LOG_LEVELS, { message: `level must be one of ${LOG_LEVELS.join(', ')}` })
  level?: LogLevel;

  @ApiPropertyOptional({
    enum: LOG_LEVELS,
    description: 'minimum level a task log entry needs to be stored and streamed',
  })
  @OptionalField()
  @IsIn(LOG_LEVELS, { message: `taskLogLevel must be one of ${LOG_LEVELS.join(', ')}` })
  taskLogLevel?: LogLevel;

  @ApiPropertyOptional({
    description: 'belief-scope tracing (entry / exit / coherence lines at DEBUG)',
  })
  @OptionalField()
  @IsBoolean()
  enableBeliefState?: boolean;
}
