import type { Clock } from '../clock.js'
import type { GitHubSecretsClient } from '../github/secrets-client.js'
import type { WorkloadSecurityClient } from '../workload-security/client.js'

/** What every operation works with: the manager's client and the clock. */
export interface Clients {
  ws: WorkloadSecurityClient
  clock: Clock
}

/** What the operations that store a secret work with. */
export interface StoreClients extends Clients {
  github: GitHubSecretsClient
}
