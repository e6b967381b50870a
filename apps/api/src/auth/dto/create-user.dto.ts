import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type CreateUserRequest, type Role } from '@taskdeck/contracts';
import { IsIn, IsString, Matches } from 'class-validator';
import { IsNewPassword } from './password';

export class CreateUserDto implements CreateUserRequest {
  @ApiProperty({ example: 'alice', description: 'letters, digits, dot, dash, underscore; 2–64' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{2,64}$/, {
    message: 'username must be 2–64 letters, digits, dots, dashes or underscores',
  })
  username!: string;

  @IsNewPassword()
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}
