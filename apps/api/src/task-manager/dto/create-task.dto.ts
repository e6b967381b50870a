import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CreateTaskRequest } from '@taskdeck/contracts';
import { IsObject, IsString, Matches } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';

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
  @OptionalField()
  @IsObject({ message: 'params must be a JSON object' })
  params?: Record<string, unknown>;
}
