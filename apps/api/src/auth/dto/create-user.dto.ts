import { ApiProperty } from '@nestjs/swagger';
import { ROLES, type CreateUserRequest, type Role } from '@taskdeck/contracts';
import { IsIn, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class CreateUserDto implements CreateUserRequest {
  @ApiProperty({ example: 'alice', description: 'letters, digits, dot, dash, underscore; 2–64' })
  @IsString()
  @Matches(/^[A-Za-z0-9._-]{2,64}$/, {
    message: 'username must be 2–64 letters, digits, dots, dashes or underscores',
  })
  username!: string;

  @ApiProperty({ format: 'password', minLength: 8 })
  @IsString()
  @MinLength(8)
  @MaxLength(256)
  password!: string;

  @ApiProperty({ enum: ROLES })
  @IsIn(ROLES)
  role!: Role;
}
