/* global process */
// StrykerJS over the safety-critical modules: `npm run test:mutation` (not part of CI).
//
// Jest runs in ESM mode (--experimental-vm-modules); Stryker's jest runner loads the custom
// test environment itself, so its path is given relative to the sandbox. With ~100 s of
// in-process tests on 2 cores, mutating every line of the ten modules (2,018 mutants) against
// the whole suite is estimated at days, so the run is split in two sets (STRYKER_SET):
//
// - unit: the pure modules (redaction, the replay block, input parsing, the retry decisions and
//   the HTTP error's verdicts), every line, against the unit tests in __tests__/inputs/,
//   __tests__/clients/ and safety/redaction and safety/replay. Mutants that only the in-process
//   suite would kill count as survivors here.
// - flow: the modules where a secret could be lost or a run be green when it should fail
//   (issuing a secret and what to say after an unclear answer, storing it, the delivery with its
//   write proof, lease and replay block, delete), against the in-process tests that exercise
//   them (every file of __tests__/operations/ but audit, create, alternate, expiry-days and
//   secret-types; limits, network, server text and cancellation of __tests__/safety/;
//   __tests__/clients/), each test capped at 8 s so that a mutant that hangs a request fails
//   fast. safety/leaks.test.ts is left out: it made every mutant cost half a minute. The
//   whole flow set takes hours on 2 cores: run one module with --mutate (docs/testing.md).
//
// Reports: reports/mutation/<set>.html (open it in a browser) and reports/mutation/<set>.json
// (mutation-testing-report-schema); reports/ is ignored by git. __tests__/README.md says how to
// read them.
const set = process.env.STRYKER_SET ?? 'unit'

const sets = {
  unit: {
    mutate: [
      'src/redaction.ts',
      'src/github/replay.ts',
      'src/inputs.ts',
      'src/http/retry-decisions.ts',
      'src/http/http-error.ts'
    ],
    tests: [
      'inputs/*.test.ts',
      'clients/*.test.ts',
      'safety/redaction.test.ts',
      'safety/replay.test.ts'
    ]
  },
  flow: {
    // Whole modules (line ranges went stale with every change): the ones that guard a secret.
    mutate: [
      'src/operations/issue-secret.ts',
      'src/operations/store-secret.ts',
      'src/operations/delete.ts',
      'src/github/delivery.ts'
    ],
    tests: [
      'operations/rotate*.test.ts',
      'operations/describe.test.ts',
      'operations/key-lookup.test.ts',
      'operations/set-role.test.ts',
      'operations/lock-unlock.test.ts',
      'operations/delete.test.ts',
      'operations/dry-run.test.ts',
      'safety/limits-and-malformed.test.ts',
      'safety/network.test.ts',
      'safety/server-text.test.ts',
      'safety/cancellation.test.ts',
      'clients/*.test.ts'
    ]
  }
}[set]

if (!sets) throw new Error(`STRYKER_SET must be unit or flow, not ${set}`)

export default {
  packageManager: 'npm',
  testRunner: 'jest',
  testRunnerNodeArgs: ['--experimental-vm-modules', '--disable-warning=ExperimentalWarning'],
  jest: {
    projectType: 'custom',
    configFile: 'jest.config.js',
    enableFindRelatedTests: false,
    config: {
      testEnvironment: './__tests__/support/quiet-environment.js',
      testMatch: sets.tests.map((t) => `<rootDir>/__tests__/${t}`),
      testTimeout: 8000
    }
  },
  coverageAnalysis: 'perTest',
  concurrency: 2,
  mutate: sets.mutate,
  ignoreStatic: true,
  timeoutMS: 10000,
  reporters: ['clear-text', 'progress-append-only', 'html', 'json'],
  htmlReporter: { fileName: `reports/mutation/${set}.html` },
  jsonReporter: { fileName: `reports/mutation/${set}.json` },
  tempDirName: '.stryker-tmp',
  cleanTempDir: true
}
