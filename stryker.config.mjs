/* global process */
// StrykerJS over the safety-critical modules: `npm run test:mutation` (not part of CI).
//
// Jest runs in ESM mode (--experimental-vm-modules); Stryker's jest runner loads the custom
// test environment itself, so its path is given relative to the sandbox. With ~100 s of
// in-process tests on 2 cores, mutating every line of the ten modules (2,018 mutants) against
// the whole suite is estimated at days, so the run is split in two sets (STRYKER_SET):
//
// - unit: the pure modules (redaction, the replay block, input parsing, the two retry
//   classifiers of the Workload Security client), every line, against the unit tests in
//   __tests__/inputs/, __tests__/clients/ and safety/redaction and safety/replay. Mutants that
//   only the in-process suite would kill count as survivors here.
// - flow: the lines of the operations and clients where a secret could leak, be lost, or a run
//   be green when it should fail (the regeneration loop, delete's dry run, preflight failures,
//   the delivery with its replay block and verification, issuing and masking a secret, server
//   messages), against the in-process tests that exercise them (every file of
//   __tests__/operations/ but audit, create, alternate, expiry-days and secret-types; limits,
//   network and server text of __tests__/safety/; __tests__/clients/), each test capped at 8 s
//   so that a mutant that hangs a request fails fast.
//   safety/leaks.test.ts is left out: jest runs the slowest file first, and it made every
//   mutant cost half a minute (unredacted server messages and an unmasked new secret were
//   checked by hand to fail it). Wider ranges ran at about 2 mutants a minute.
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
      'src/workload-security/client.ts:26-42'
    ],
    tests: [
      'inputs/*.test.ts',
      'clients/*.test.ts',
      'safety/redaction.test.ts',
      'safety/replay.test.ts'
    ]
  },
  flow: {
    // Line ranges as of the commit that last changed this file: move them with the code.
    mutate: [
      'src/operations/issue-secret.ts:41-53',
      'src/operations/delete.ts:35-38',
      'src/operations/store.ts:179-186',
      'src/operations/store.ts:219-231',
      'src/operations/store.ts:245-252',
      'src/operations/store.ts:264-267',
      'src/workload-security/client.ts:166-176',
      'src/workload-security/client.ts:245-245',
      'src/workload-security/client.ts:339-340',
      'src/github/secrets-client.ts:327-327'
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
