import type { Cancellation } from '../cancellation.js'
import type { Clock } from '../clock.js'
import type { GitHubSecretsClient } from '../github/secrets-client.js'
import type { KeyPlatform } from '../platforms/key-platform.js'
import type { OperationResult } from '../result.js'

/** What every operation works with: the key platform, the clock, the result it fills in. */
export interface Context {
  platform: KeyPlatform
  clock: Clock
  result: OperationResult
  /** No change may start once it was requested (see cancellation.ts). */
  cancellation: Cancellation
}

/** What the operations that store a secret work with. */
export interface StoreContext extends Context {
  github: GitHubSecretsClient
}
