import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import {
  CONNECTION_TYPES,
  type ConnectionType,
  type CreateConnectionRequest,
} from '@taskdeck/contracts';
import { Transform } from 'class-transformer';
import { IsIn, IsInt, IsString, Length, Matches, Max, Min } from 'class-validator';
import { OptionalField } from '../../../common/validation/optional-field.decorator';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateConnectionDto implements CreateConnectionRequest {
  @ApiProperty({ example: 'warehouse', description: 'unique, 1–100 characters' })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  name!: string;

  @ApiPropertyOptional({ enum: CONNECTION_TYPES, default: 'postgres' })
  @OptionalField()
  @IsIn(CONNECTION_TYPES)
  type?: ConnectionType;

  @ApiProperty({ example: 'db.example.com', description: 'a host name or an IP address' })
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  // A host, not a URL: no scheme, path, credentials or spaces.
  @Matches(/^(\[[0-9a-fA-F:.]+\]|[A-Za-z0-9._-]+)$/, {
    message: 'host must be a host name or an IP address (no scheme, port or path)',
  })
  host!: string;

  @ApiPropertyOptional({ default: 5432 })
  @OptionalField()
  @IsInt()
  @Min(1)
  @Max(65535)
  port?: number;

  @ApiProperty({ example: 'analytics' })
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  database!: string;

  @ApiProperty({ example: 'taskdeck_reader' })
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  username!: string;

  @ApiPropertyOptional({ format: 'password', description: 'write-only: never returned' })
  @OptionalField()
  @IsString()
  @Length(0, 1024)
  password?: string;
}
