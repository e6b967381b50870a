import { ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, MaxLength } from 'class-validator';

export class CatalogQueryDto {
  @ApiPropertyOptional({ description: 'part of the title (dashboards) or table name (datasets)' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  search?: string;
}
