import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';

export class CatalogQueryDto {
  @ApiPropertyOptional({ description: 'part of the title (dashboards) or table name (datasets)' })
  @OptionalField()
  @IsString()
  @MaxLength(200)
  search?: string;
}
