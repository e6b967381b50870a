import type { UpdateGitRepositoryRequest } from '@taskdeck/contracts';
import { PartialDto } from '../../../common/validation/partial-dto';
import { CreateGitRepositoryDto } from './create-git-repository.dto';

/** Any subset; a token given replaces the stored one (empty: none), an absent one keeps it. */
export class UpdateGitRepositoryDto
  extends PartialDto(CreateGitRepositoryDto)
  implements UpdateGitRepositoryRequest {}
