// The `superset` tier: the SupersetClient against a real Apache Superset (PyPI, pinned, in a cached
// virtual environment), started and seeded by scripts/superset before the tests (two instances, A
// and B, with separate metadata). `npm run test:superset`; .ci/run runs it where PyPI answers.
const path = require('node:path');

module.exports = {
  rootDir: __dirname,
  displayName: 'superset',
  testEnvironment: 'node',
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: path.join(__dirname, 'tsconfig.spec.json') }],
  },
  moduleFileExtensions: ['ts', 'js', 'json'],
  moduleNameMapper: {
    '^@taskdeck/contracts$': '<rootDir>/../../libs/contracts/src/index.ts',
  },
  testMatch: ['<rootDir>/test/superset-tier/**/*.superset-spec.ts'],
  globalSetup: '<rootDir>/test/superset-tier/global-setup.ts',
  setupFilesAfterEnv: ['<rootDir>/test/setup/timeout.ts'],
  // One Superset per instance: the files take turns instead of loading it twice.
  maxWorkers: 1,
};
