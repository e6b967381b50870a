import type { UpdateEnvironmentRequest } from '@taskdeck/contracts';
import { PartialDto } from '../../common/validation/partial-dto';
import { CreateEnvironmentDto } from './create-environment.dto';

/** Any subset; a password given replaces the stored one, an absent one keeps it. */
export class UpdateEnvironmentDto
  extends PartialDto(CreateEnvironmentDto)
  implements UpdateEnvironmentRequest {}
