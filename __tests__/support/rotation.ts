import { expect } from '@jest/globals'
import type { SeededEmulators } from '../../emulators/seed.js'
import type { EmulatedKey } from '../../emulators/workload-security.js'
import { rotationInputs, type Inputs } from './action.js'

const DAY = 86_400_000
/** How far the action's clock and the test's may drift apart within one run. */
const TOLERANCE = 60_000

/**
 * What the rotation and create tests ask of the seeded Workload Security world, for the GitHub
 * secret `secretName`:
 *
 *     const emulators = useEmulators()
 *     const { rotateInputs, env, stored } = rotationHelpers(emulators, 'WS_API_KEY')
 */
export function rotationHelpers(
  emulators: { readonly current: SeededEmulators },
  secretName: string
) {
  const stored = (repository: string, name = secretName): string | undefined =>
    emulators.current.github.secret({ repository }, name)?.value
  const key = (id: number): EmulatedKey => emulators.current.ws.keys.get(id)!
  return {
    /** A rotation into `secretName`, authenticated with `secret` (the admin key by default). */
    rotateInputs: (extra: Inputs, secret = emulators.current.admin.secret): Inputs =>
      rotationInputs(emulators.current, secret, secretName, extra),
    /** The same for `create`. */
    createInputs: (extra: Inputs, secret = emulators.current.admin.secret): Inputs => ({
      ...rotationInputs(emulators.current, secret, secretName, extra),
      operation: 'create'
    }),
    /** The runner's environment: GitHub's emulator and the repository the run belongs to. */
    env: (repository = 'octo/app'): Record<string, string> => ({
      GITHUB_API_URL: emulators.current.github.url,
      GITHUB_REPOSITORY: repository
    }),
    key,
    secretOf: (id: number): string => key(id).secret,
    /** What a repository secret holds now (`secretName` by default). */
    stored,
    /** No repository of the seeded world holds a probe secret. */
    noProbeAnywhere(): void {
      for (const repository of ['octo/app', 'octo/api', 'octo/web'])
        expect(stored(repository, `${secretName}_ROTATION_PROBE`)).toBeUndefined()
    },
    /** `actual` is `days` after a moment between `from` and `to` (clock drift allowed). */
    expectExpiryAbout(actual: number | undefined, days: number, from: number, to: number): void {
      expect(actual).toBeGreaterThanOrEqual(from + days * DAY - TOLERANCE)
      expect(actual).toBeLessThanOrEqual(to + days * DAY + TOLERANCE)
    }
  }
}
