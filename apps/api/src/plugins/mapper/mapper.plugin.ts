// The mapper plugin (CONTRACT.md "The plugins", `mapper`): a dataset's column names and
// descriptions from its table's comments in a database connection. This class gathers the client
// and the connection; mapper-run.ts does the run.
import type { MapperResult } from '@taskdeck/contracts';
import {
  TaskPluginBase,
  TaskPluginDefinition,
  beliefScope,
  type TaskContext,
} from '../../plugin-api';
import { ConnectionsService } from '../../integrations/connections/connections.service';
import { SupersetClients } from '../../superset/superset-clients.service';
import { MAPPER_PARAMS_SCHEMA, type MapperParams } from './mapper-params';
import { runMapper } from './mapper-run';

@TaskPluginDefinition({
  id: 'mapper',
  name: 'Mapper',
  description:
    'Sets a dataset’s column verbose names and descriptions from the column comments of its table in a database connection.',
  paramsSchema: MAPPER_PARAMS_SCHEMA,
})
export class MapperPlugin extends TaskPluginBase<MapperParams, MapperResult> {
  constructor(
    private readonly superset: SupersetClients,
    private readonly connections: ConnectionsService,
  ) {
    super();
  }

  async execute(params: MapperParams, context: TaskContext): Promise<MapperResult> {
    const client = await this.superset.forEnvironment(params.environmentId, {
      logger: context.logger,
      signal: context.signal,
    });
    const database = await this.connections.target(params.connectionId);
    return beliefScope('mapper.run', () => runMapper({ client, database }, params, context));
  }
}
