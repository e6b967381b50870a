import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CreateTaskRequest } from '@taskdeck/contracts';
import { IsObject, IsString } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';
import { IsPluginId } from '../../common/validation/plugin-id.decorator';

export class CreateTaskDto implements CreateTaskRequest {
  @ApiProperty({ example: 'debug' })
  @IsString()
  @IsPluginId()
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
