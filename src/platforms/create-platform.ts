import type { Cancellation } from '../cancellation.js'
import type { Clock } from '../clock.js'
import type { ConnectionSettings, Platform, RequestSettings } from '../settings.js'
import { CloudOneClient } from './cloud-one/client.js'
import type { KeyPlatform } from './key-platform.js'
import { VisionOneClient } from './vision-one/client.js'
import { WorkloadSecurityClient } from './workload-security/client.js'

/** The client of the key platform the settings name. */
export function createPlatform(
  settings: { platform: Platform; connection: ConnectionSettings; request: RequestSettings },
  clock: Clock,
  cancellation: Cancellation
): KeyPlatform {
  switch (settings.platform) {
    case 'workload-security':
      return new WorkloadSecurityClient(settings.connection, settings.request, clock, cancellation)
    case 'vision-one':
      return new VisionOneClient(settings.connection, settings.request, clock, cancellation)
    case 'cloud-one':
      return new CloudOneClient(settings.connection, settings.request, clock, cancellation)
  }
}
