// Superset's raw rules on a real instance: the same checks the fake passes (fake-superset.int-spec).
import { supersetRawContract } from '../superset/raw-contract';
import { instance } from './instances';

describe('a real Superset', () => {
  const a = instance('a');
  supersetRawContract(() => ({
    url: a.state.url,
    username: a.state.username,
    password: a.state.password,
    datasetId: a.seed.datasetIds[1],
    minDashboards: 101,
  }));
});
