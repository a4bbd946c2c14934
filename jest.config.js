// ts-jest only transpiles (isolatedModules); `npm run typecheck` type-checks src and tests.
// `npm test` runs the fast suite; the slow tests in __tests__/slow/ (the fault matrix and the
// 100-repository load) have their own scripts (`npm run test:faults`, `npm run test:load`);
// `npm run test:all` runs everything.
const slow = ['<rootDir>/__tests__/slow/']
const only = process.env.JEST_SLOW === '1' ? [] : slow

export default {
  testEnvironment: '<rootDir>/__tests__/support/quiet-environment.js',
  setupFilesAfterEnv: ['<rootDir>/__tests__/support/loopback-only.ts'],
  extensionsToTreatAsEsm: ['.ts'],
  moduleNameMapper: {
    '^\\.\\./(action|workflow)-v1\\.0\\.min\\.json$':
      '<rootDir>/__tests__/support/workflow-parser-$1-schema.cjs',
    '^(\\.{1,2}/.*)\\.js$': '$1'
  },
  transform: { '^.+\\.ts$': ['ts-jest', { useESM: true }] },
  testMatch: ['<rootDir>/__tests__/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/', ...only],
  modulePathIgnorePatterns: ['<rootDir>/.stryker-tmp/'],
  testTimeout: 30000,
  collectCoverageFrom: ['src/**/*.ts'],
  coverageReporters: ['text-summary', 'text'],
  coverageThreshold: { global: { statements: 92, branches: 86 } }
}
