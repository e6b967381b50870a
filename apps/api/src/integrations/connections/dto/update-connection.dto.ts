import { PartialType } from '@nestjs/swagger';
import type { UpdateConnectionRequest } from '@taskdeck/contracts';
import { CreateConnectionDto } from './create-connection.dto';

/** Any subset; a password given replaces the stored one (empty: none), an absent one keeps it. */
export class UpdateConnectionDto
  extends PartialType(CreateConnectionDto)
  implements UpdateConnectionRequest {}
