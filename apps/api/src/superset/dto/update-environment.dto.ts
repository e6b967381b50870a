import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  SUPERSET_PROVIDERS,
  type SupersetProvider,
  type UpdateEnvironmentRequest,
} from '@taskdeck/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, Length, Validate } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';
import { trim } from './create-environment.dto';
import { SupersetUrlConstraint } from './superset-url';

/**
 * Any subset; a password given replaces the stored one, an absent one keeps it. Written out rather
 * than PartialType(CreateEnvironmentDto): PartialType marks fields with IsOptional, which lets
 * `null` through.
 */
export class UpdateEnvironmentDto implements UpdateEnvironmentRequest {
  @ApiPropertyOptional({ example: 'production', description: 'unique, 1–100 characters' })
  @OptionalField()
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name?: string;

  @ApiPropertyOptional({ example: 'https://superset.example.com' })
  @OptionalField()
  @Transform(trim)
  @IsString()
  @Validate(SupersetUrlConstraint)
  url?: string;

  @ApiPropertyOptional({ example: 'taskdeck' })
  @OptionalField()
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  username?: string;

  @ApiPropertyOptional({ format: 'password', description: 'write-only: never returned' })
  @OptionalField()
  @IsString()
  @Length(1, 1024)
  password?: string;

  @ApiPropertyOptional({ enum: SUPERSET_PROVIDERS })
  @OptionalField()
  @IsIn(SUPERSET_PROVIDERS)
  provider?: SupersetProvider;

  @ApiPropertyOptional()
  @OptionalField()
  @IsBoolean()
  verifyTls?: boolean;
}
