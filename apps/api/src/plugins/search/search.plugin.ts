// The search plugin (CONTRACT.md "The plugins", `search`): a regular expression across an
// environment's datasets (and charts when asked). The pattern is checked when the task is
// created (a 400 if it does not compile) and runs in a worker with a time budget per value.
import type { SearchResult } from '@taskdeck/contracts';
import {
  TaskPluginBase,
  TaskPluginDefinition,
  beliefScope,
  type TaskContext,
} from '../../plugin-api';
import { SupersetClients } from '../../superset/superset-clients.service';
import { checkSearchParams, SEARCH_PARAMS_SCHEMA, type SearchParams } from './search-params';
import { searchEnvironment } from './search-run';

@TaskPluginDefinition({
  id: 'search',
  name: 'Search',
  description:
    'Finds a regular expression in an environment’s datasets (SQL, columns, metrics) and, when asked, its charts’ params.',
  paramsSchema: SEARCH_PARAMS_SCHEMA,
  checkParams: checkSearchParams,
})
export class SearchPlugin extends TaskPluginBase<SearchParams, SearchResult> {
  constructor(private readonly superset: SupersetClients) {
    super();
  }

  async execute(params: SearchParams, context: TaskContext): Promise<SearchResult> {
    const client = await this.superset.forEnvironment(params.environmentId, {
      logger: context.logger,
      signal: context.signal,
      maxInFlight: 4,
    });
    return beliefScope('search.run', () => searchEnvironment(client, params, context));
  }
}
