import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { STORAGE_CATEGORIES, type StorageCategory } from '@taskdeck/contracts';
import { IsIn, IsString, IsUUID, MaxLength } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';

export class ListFilesQueryDto {
  @ApiPropertyOptional({ enum: STORAGE_CATEGORIES })
  @OptionalField()
  @IsIn(STORAGE_CATEGORIES)
  category?: StorageCategory;

  @ApiPropertyOptional({
    description: 'a prefix of the path, relative to the storage root (e.g. `backups/prod/`)',
  })
  @OptionalField()
  @IsString()
  @MaxLength(4096)
  prefix?: string;
}

export class FilePathQueryDto {
  @ApiProperty({ description: 'relative to the storage root, e.g. `backups/prod/prod-….zip`' })
  @IsString()
  @MaxLength(8192)
  path!: string;
}

export class BackupDatabasesQueryDto extends FilePathQueryDto {
  @ApiProperty({ description: 'the environment to restore into' })
  @IsUUID()
  environmentId!: string;
}
