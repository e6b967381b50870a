import type { UpdateLlmProviderRequest } from '@taskdeck/contracts';
import { PartialDto } from '../../common/validation/partial-dto';
import { CreateLlmProviderDto } from './create-llm-provider.dto';

/** Any subset; an apiKey given replaces the stored one (empty: none), an absent one keeps it. */
export class UpdateLlmProviderDto
  extends PartialDto(CreateLlmProviderDto)
  implements UpdateLlmProviderRequest {}
