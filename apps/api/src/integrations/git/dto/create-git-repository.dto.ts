import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import type { CreateGitRepositoryRequest } from '@taskdeck/contracts';
import { Transform } from 'class-transformer';
import { IsEmail, IsString, Length, Matches, Validate } from 'class-validator';
import { OptionalField } from '../../../common/validation/optional-field.decorator';
import { BranchNameRule, RemoteUrlRule } from '../git-input';

const trim = ({ value }: { value: unknown }): unknown =>
  typeof value === 'string' ? value.trim() : value;

export class CreateGitRepositoryDto implements CreateGitRepositoryRequest {
  @ApiProperty({
    example: 'dashboards',
    description: 'unique, also the work tree folder `repositories/<name>`: letters, digits, . _ -',
  })
  @Transform(trim)
  @IsString()
  @Length(1, 100)
  @Matches(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, {
    message: 'name must start with a letter or digit and hold only letters, digits, ".", "_", "-"',
  })
  name!: string;

  @ApiPropertyOptional({
    example: 'https://git.example.com/team/dashboards.git',
    description: 'empty (local only), an https:// URL without credentials, or a file:// path',
  })
  @OptionalField()
  @Transform(trim)
  @IsString()
  @Length(0, 2048)
  @Validate(RemoteUrlRule)
  remoteUrl?: string;

  @ApiPropertyOptional({ default: 'main' })
  @OptionalField()
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  @Validate(BranchNameRule)
  branch?: string;

  @ApiProperty({ example: 'Taskdeck' })
  @Transform(trim)
  @IsString()
  @Length(1, 255)
  @Matches(/^[^<>\n\r\0]+$/, { message: 'authorName must not hold <, >, or line breaks' })
  authorName!: string;

  @ApiProperty({ example: 'taskdeck@example.com' })
  @Transform(trim)
  @IsEmail()
  @Length(3, 255)
  authorEmail!: string;

  @ApiPropertyOptional({ format: 'password', description: 'write-only: never returned' })
  @OptionalField()
  @IsString()
  @Length(0, 4096)
  @Matches(/^[^\r\n\0]*$/, { message: 'token must not hold line breaks' })
  token?: string;
}
