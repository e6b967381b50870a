// The dashboard-validation plugin (CONTRACT.md "The plugins", `dashboard-validation`): a
// screenshot of the dashboard (a headless Chromium, or Superset's own API) judged by a multimodal
// LLM together with the charts' data status and Superset's log. This class gathers the pieces;
// validation-run.ts does the run.
import type { DashboardValidationResult } from '@taskdeck/contracts';
import { LlmProvidersService } from '../../llm/llm-providers.service';
import {
  TaskPluginBase,
  TaskPluginDefinition,
  beliefScope,
  type TaskContext,
} from '../../plugin-api';
import { StorageService } from '../../storage/storage.service';
import { EnvironmentsService } from '../../superset/environments.service';
import { SupersetClients } from '../../superset/superset-clients.service';
import { browserScreenshot } from './browser-screenshot';
import { VALIDATION_PARAMS_SCHEMA, type ValidationParams } from './validation-params';
import { runValidation } from './validation-run';

@TaskPluginDefinition({
  id: 'dashboard-validation',
  name: 'Dashboard validation',
  description:
    'Takes a screenshot of a dashboard and has a multimodal LLM judge it, with the charts’ data status and Superset’s log of the last 24 hours: PASS, WARN or FAIL with the issues found.',
  paramsSchema: VALIDATION_PARAMS_SCHEMA,
})
export class DashboardValidationPlugin extends TaskPluginBase<
  ValidationParams,
  DashboardValidationResult
> {
  constructor(
    private readonly superset: SupersetClients,
    private readonly environments: EnvironmentsService,
    private readonly llm: LlmProvidersService,
    private readonly storage: StorageService,
  ) {
    super();
  }

  async execute(
    params: ValidationParams,
    context: TaskContext,
  ): Promise<DashboardValidationResult> {
    const client = await this.superset.forEnvironment(params.environmentId, {
      logger: context.logger,
      signal: context.signal,
    });
    const connection = await this.environments.connection(params.environmentId);
    return beliefScope('dashboard-validation.run', () =>
      runValidation(
        {
          client,
          connection,
          llm: () =>
            this.llm.client(params.providerId, { logger: context.logger, signal: context.signal }),
          browser: (dashboardId) =>
            browserScreenshot(connection, dashboardId, {
              logger: context.logger,
              signal: context.signal,
            }),
          store: async (path, png) =>
            (await this.storage.writeAtomic(path, png, { signal: context.signal })).path,
        },
        params,
        context,
      ),
    );
  }
}
