// The SupersetClient's contract against a real Apache Superset: the same cases the fake passes.
import { supersetClientContract } from '../superset/client-contract';
import { instance } from './instances';

describe('SupersetClient on a real Superset', () => {
  const a = instance('a');
  supersetClientContract(() => ({
    connection: a.connection,
    minDashboards: 101,
    dashboardId: a.seed.dashboardId,
    datasetId: a.seed.datasetIds[1],
  }));
});
