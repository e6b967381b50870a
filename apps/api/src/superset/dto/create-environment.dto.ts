import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  SUPERSET_PROVIDERS,
  type CreateEnvironmentRequest,
  type SupersetProvider,
} from '@taskdeck/contracts';
import { Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsString, Length, Validate } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';
import { SupersetUrlConstraint } from './superset-url';

export const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateEnvironmentDto implements CreateEnvironmentRequest {
  @ApiProperty({ example: 'production', description: 'unique, 1–100 characters' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiProperty({ example: 'https://superset.example.com' })
  @Transform(trim)
  @IsString()
  @Validate(SupersetUrlConstraint)
  url!: string;

  @ApiProperty({ example: 'taskdeck' })
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  username!: string;

  @ApiProperty({ format: 'password', description: 'write-only: never returned' })
  @IsString()
  @Length(1, 1024)
  password!: string;

  @ApiPropertyOptional({ enum: SUPERSET_PROVIDERS, default: 'db' })
  @OptionalField()
  @IsIn(SUPERSET_PROVIDERS)
  provider?: SupersetProvider;

  @ApiPropertyOptional({ default: true })
  @OptionalField()
  @IsBoolean()
  verifyTls?: boolean;
}
