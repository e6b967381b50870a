// A dashboard from real instance A imported into real instance B (separate metadata), as the
// migration plugin will do it: the same checks the fakes pass.
import { supersetTransferContract } from '../superset/transfer-contract';
import { instance } from './instances';

describe('export from Superset A, import into Superset B', () => {
  const a = instance('a');
  const b = instance('b');
  supersetTransferContract(() => ({
    source: a.connection,
    target: b.connection,
    dashboardId: a.seed.dashboardId,
    // A's database is A's PostgreSQL; B reaches it on the same machine.
    databasePassword: decodeURIComponent(new URL(a.state.postgresUrl).password),
  }));
});
