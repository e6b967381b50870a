// The mapper plugin (CONTRACT.md "The plugins", `mapper`): a dataset's column names and
// descriptions from its table's comments in a database connection. This class gathers the client
// and the connection; mapper-run.ts does the run.
import type { MapperResult } from '@taskdeck/contracts';
import { ConnectionsService } from '../../integrations/connections/connections.service';
import { beliefScope } from '../../settings/belief-scope';
import { SupersetClients } from '../../superset/superset-clients';
import type { TaskContext } from '../../task-log/task-context';
import { TaskPluginDefinition, type TaskPlugin, type TaskPluginMetadata } from '../task-plugin';
import { MAPPER_PARAMS_SCHEMA, type MapperParams } from './mapper-params';
import { runMapper } from './mapper-run';

const METADATA: TaskPluginMetadata = {
  id: 'mapper',
  name: 'Mapper',
  description:
    'Sets a dataset’s column verbose names and descriptions from the column comments of its table in a database connection.',
  paramsSchema: MAPPER_PARAMS_SCHEMA,
};

@TaskPluginDefinition(METADATA)
export class MapperPlugin implements TaskPlugin<MapperParams, MapperResult> {
  readonly id = METADATA.id;
  readonly name = METADATA.name;
  readonly description = METADATA.description;
  readonly paramsSchema = METADATA.paramsSchema;

  constructor(
    private readonly superset: SupersetClients,
    private readonly connections: ConnectionsService,
  ) {}

  async execute(params: MapperParams, context: TaskContext): Promise<MapperResult> {
    const client = await this.superset.forEnvironment(params.environmentId, {
      logger: context.logger,
      signal: context.signal,
    });
    const database = await this.connections.target(params.connectionId);
    return beliefScope('mapper.run', () => runMapper({ client, database }, params, context));
  }
}
