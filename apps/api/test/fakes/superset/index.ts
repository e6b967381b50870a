// The fake Superset for tests and the bench: `await FakeSuperset.start()`, seed `fake.store`.
export { FakeSuperset, FAKE_ADMIN } from './fake-superset';
export type {
  FakeSupersetOptions,
  FakeUser,
  InjectedFailure,
  RecordedRequest,
} from './fake-superset';
export { FakeStore } from './fake-store';
export type { FakeChart, FakeDashboard, FakeDatabase, FakeDataset, SeedCounts } from './fake-store';
export { exportDashboards } from './fake-export';
export { bundleContents } from './fake-import';
export { FAKE_PAGE, fakePageHeight, renderedPng } from './fake-ui';
