import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CreateTaskRequest } from '@taskdeck/contracts';
import { IsObject, IsOptional, IsString, Matches } from 'class-validator';

export class CreateTaskDto implements CreateTaskRequest {
  @ApiProperty({ example: 'debug' })
  @IsString()
  @Matches(/^[a-z0-9][a-z0-9_-]{0,63}$/, {
    message: 'pluginId must be a plugin id such as "debug"',
  })
  pluginId!: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: true,
    example: { action: 'emit', count: 1000 },
  })
  @IsOptional()
  @IsObject({ message: 'params must be a JSON object' })
  params?: Record<string, unknown>;
}
