import { ApiPropertyOptional } from '@nestjs/swagger';
import { LOG_DOWNLOAD_FORMATS, type LogDownloadFormat } from '@taskdeck/contracts';
import { IsIn, IsOptional } from 'class-validator';
import { LogFilterDto } from './log-filter.dto';

/** Query of GET /api/tasks/:id/logs/download. */
export class LogDownloadQueryDto extends LogFilterDto {
  @ApiPropertyOptional({ enum: LOG_DOWNLOAD_FORMATS, default: 'text' })
  @IsOptional()
  @IsIn(LOG_DOWNLOAD_FORMATS, {
    message: `format must be one of ${LOG_DOWNLOAD_FORMATS.join(', ')}`,
  })
  format?: LogDownloadFormat;
}
