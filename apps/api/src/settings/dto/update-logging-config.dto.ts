import { ApiPropertyOptional } from '@nestjs/swagger';
import { LOG_LEVELS, type LogLevel, type UpdateLoggingConfigRequest } from '@taskdeck/contracts';
import { IsBoolean, IsIn, IsOptional } from 'class-validator';

export class UpdateLoggingConfigDto implements UpdateLoggingConfigRequest {
  @ApiPropertyOptional({ enum: LOG_LEVELS, description: "minimum level of the server's own log" })
  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `level must be one of ${LOG_LEVELS.join(', ')}` })
  level?: LogLevel;

  @ApiPropertyOptional({
    enum: LOG_LEVELS,
    description: 'minimum level a task log entry needs to be stored and streamed',
  })
  @IsOptional()
  @IsIn(LOG_LEVELS, { message: `taskLogLevel must be one of ${LOG_LEVELS.join(', ')}` })
  taskLogLevel?: LogLevel;

  @ApiPropertyOptional({
    description: 'belief-scope tracing (entry / exit / coherence lines at DEBUG)',
  })
  @IsOptional()
  @IsBoolean()
  enableBeliefState?: boolean;
}
