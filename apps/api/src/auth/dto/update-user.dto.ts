import { ApiPropertyOptional } from '@nestjs/swagger';
import { ROLES, type Role, type UpdateUserRequest } from '@taskdeck/contracts';
import { IsBoolean, IsIn } from 'class-validator';
import { OptionalField } from '../../common/validation/optional-field.decorator';
import { IsNewPassword } from './password';

export class UpdateUserDto implements UpdateUserRequest {
  @ApiPropertyOptional({ enum: ROLES })
  @OptionalField()
  @IsIn(ROLES, { message: `role must be one of ${ROLES.join(', ')}` })
  role?: Role;

  @ApiPropertyOptional({
    description: 'true: the user cannot sign in, and their tokens stop working',
  })
  @OptionalField()
  @IsBoolean()
  disabled?: boolean;

  @OptionalField()
  @IsNewPassword({ required: false })
  password?: string;
}
