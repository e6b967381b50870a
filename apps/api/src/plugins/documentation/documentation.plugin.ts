// The documentation plugin (CONTRACT.md "The plugins", `documentation`): a dataset's description
// and its columns' descriptions written by an LLM, in the requested language, back into Superset.
// This class gathers the Superset client and the LLM; documentation-run.ts does the run.
import type { DocumentationResult } from '@taskdeck/contracts';
import { LlmProvidersService } from '../../llm/llm-providers.service';
import {
  TaskPluginBase,
  TaskPluginDefinition,
  beliefScope,
  type TaskContext,
} from '../../plugin-api';
import { SupersetClients } from '../../superset/superset-clients.service';
import { DOCUMENTATION_PARAMS_SCHEMA, type DocumentationParams } from './documentation-params';
import { runDocumentation } from './documentation-run';

@TaskPluginDefinition({
  id: 'documentation',
  name: 'Documentation',
  description:
    'Writes a dataset’s description and its columns’ descriptions with an LLM, from the names, types, SQL and a few sample values.',
  paramsSchema: DOCUMENTATION_PARAMS_SCHEMA,
})
export class DocumentationPlugin extends TaskPluginBase<DocumentationParams, DocumentationResult> {
  constructor(
    private readonly superset: SupersetClients,
    private readonly llm: LlmProvidersService,
  ) {
    super();
  }

  async execute(params: DocumentationParams, context: TaskContext): Promise<DocumentationResult> {
    const client = await this.superset.forEnvironment(params.environmentId, {
      logger: context.logger,
      signal: context.signal,
    });
    const llm = () =>
      this.llm.client(params.providerId, { logger: context.logger, signal: context.signal });
    return beliefScope('documentation.run', () =>
      runDocumentation({ client, llm }, params, context),
    );
  }
}
