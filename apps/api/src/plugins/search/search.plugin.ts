// The search plugin (CONTRACT.md "The plugins", `search`): a regular expression across an
// environment's datasets (and charts when asked). The pattern is checked when the task is
// created (a 400 if it does not compile) and runs in a worker with a time budget per value.
import type { SearchResult } from '@taskdeck/contracts';
import { beliefScope } from '../../settings/belief-scope';
import { SupersetClients } from '../../superset/superset-clients';
import type { TaskContext } from '../../task-log/task-context';
import { TaskPluginDefinition, type TaskPlugin, type TaskPluginMetadata } from '../task-plugin';
import { checkSearchParams, SEARCH_PARAMS_SCHEMA, type SearchParams } from './search-params';
import { searchEnvironment } from './search-run';

const METADATA: TaskPluginMetadata = {
  id: 'search',
  name: 'Search',
  description:
    'Finds a regular expression in an environment’s datasets (SQL, columns, metrics) and, when asked, its charts’ params.',
  paramsSchema: SEARCH_PARAMS_SCHEMA,
  checkParams: checkSearchParams,
};

@TaskPluginDefinition(METADATA)
export class SearchPlugin implements TaskPlugin<SearchParams, SearchResult> {
  readonly id = METADATA.id;
  readonly name = METADATA.name;
  readonly description = METADATA.description;
  readonly paramsSchema = METADATA.paramsSchema;

  constructor(private readonly superset: SupersetClients) {}

  async execute(params: SearchParams, context: TaskContext): Promise<SearchResult> {
    const client = await this.superset.forEnvironment(params.environmentId, {
      logger: context.logger,
      signal: context.signal,
      maxInFlight: 4,
    });
    return beliefScope('search.run', () => searchEnvironment(client, params, context));
  }
}
