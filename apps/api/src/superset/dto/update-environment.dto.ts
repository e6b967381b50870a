import { PartialType } from '@nestjs/swagger';
import type { UpdateEnvironmentRequest } from '@taskdeck/contracts';
import { CreateEnvironmentDto } from './create-environment.dto';

/** Any subset; a password given replaces the stored one, an absent one keeps it. */
export class UpdateEnvironmentDto
  extends PartialType(CreateEnvironmentDto)
  implements UpdateEnvironmentRequest {}
