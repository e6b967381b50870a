import { ApiPropertyOptional } from '@nestjs/swagger';
import { LOG_DOWNLOAD_FORMATS, type LogDownloadFormat } from '@taskdeck/contracts';
import { IsIn } from 'class-validator';
import { LogFilterDto } from './log-filter.dto';
import { OptionalField } from '../../common/validation/optional-field.decorator';

/** Query of GET /api/tasks/:id/logs/download. */
export class LogDownloadQueryDto extends LogFilterDto {
  @ApiPropertyOptional({ enum: LOG_DOWNLOAD_FORMATS, default: 'text' })
  @OptionalField()
  @IsIn(LOG_DOWNLOAD_FORMATS, {
    message: `format must be one of ${LOG_DOWNLOAD_FORMATS.join(', ')}`,
  })
  format?: LogDownloadFormat;
}
