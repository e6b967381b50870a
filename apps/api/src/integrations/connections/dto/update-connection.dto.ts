import type { UpdateConnectionRequest } from '@taskdeck/contracts';
import { PartialDto } from '../../../common/validation/partial-dto';
import { CreateConnectionDto } from './create-connection.dto';

/** Any subset; a password given replaces the stored one (empty: none), an absent one keeps it. */
export class UpdateConnectionDto
  extends PartialDto(CreateConnectionDto)
  implements UpdateConnectionRequest {}
