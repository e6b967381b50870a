import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CreateLlmProviderRequest } from '@taskdeck/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsString, Length, Validate } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';
import { LlmBaseUrlConstraint } from './llm-base-url';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateLlmProviderDto implements CreateLlmProviderRequest {
  @ApiProperty({ example: 'OpenRouter', description: 'unique, 1–100 characters' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({
    example: 'http://127.0.0.1:11434/v1',
    description: 'an OpenAI-compatible API: `{baseUrl}/chat/completions` is called',
  })
  @Transform(trim)
  @IsString()
  @Validate(LlmBaseUrlConstraint)
  baseUrl!: string;

  @ApiProperty({ example: 'gpt-4o-mini' })
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  model!: string;

  @ApiPropertyOptional({ format: 'password', description: 'write-only: never returned' })
  @OptionalField()
  @IsString()
  @Length(0, 4096)
  apiKey?: string;

  @ApiPropertyOptional({
    default: false,
    description: 'the provider plugins use when none is named',
  })
  @OptionalField()
  @IsBoolean()
  isDefault?: boolean;
}
