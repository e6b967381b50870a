import { ApiProperty } from '@nestjs/swagger';
import type { ChangePasswordRequest } from '@taskdeck/contracts';
import { IsString, MaxLength, MinLength } from 'class-validator';
import { IsNewPassword } from './password';

export class ChangePasswordDto implements ChangePasswordRequest {
  @ApiProperty({ format: 'password' })
  @IsString()
  @MinLength(1)
  @MaxLength(256)
  currentPassword!: string;

  @IsNewPassword()
  newPassword!: string;
}
