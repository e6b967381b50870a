// The fake Superset keeps the rules of the real one (the same raw checks run against a real
// Superset in the superset tier), plus what only a fake can stage.
import { FakeSuperset, FAKE_ADMIN } from './fakes/superset';
import { login, supersetRawContract, type RawTarget } from './superset/raw-contract';

describe('fake Superset', () => {
  let fake: FakeSuperset;
  let target: RawTarget;

  beforeAll(async () => {
    fake = await FakeSuperset.start();
    fake.store.seed({ databases: 1, datasets: 2, charts: 2, dashboards: 150 });
    target = {
      url: fake.url,
      username: FAKE_ADMIN.username,
      password: FAKE_ADMIN.password,
      datasetId: 1,
      minDashboards: 150,
    };
  });
  afterAll(() => fake.stop());

  describe('raw contract', () => supersetRawContract(() => target));

  it('answers an expired access token with flask-jwt-extended’s 401', async () => {
    const token = await login(target);
    fake.expireAccessTokens();
    const response = await fetch(`${fake.url}/api/v1/dataset/`, {
      headers: { authorization: `Bearer ${token}` },
    });
    expect(response.status).toBe(401);
    expect(await response.json()).toEqual({ msg: 'Token has expired' });
  });
});
