import { Cancellation, URGENT_REPORT_MS } from '../cancellation.js'
import type { Clock } from '../clock.js'
import { ApiTransport, type TransportOptions } from '../http/api-transport.js'
import type { ConnectionSettings, RequestSettings } from '../settings.js'

/** How a platform's API is spoken: its headers (the credentials among them) and its errors. */
export type Wire = Pick<
  TransportOptions,
  'headers' | 'messageOf' | 'describeFailure' | 'malformedHint'
>

/**
 * What every key platform's client shares: one transport to its API, made from the connection
 * settings and the platform's {@link Wire}; the same client with another secret (a new key's,
 * to prove it or to act once the old key is gone); the same client for clean-ups after a signal.
 */
export abstract class PlatformClient {
  protected readonly transport: ApiTransport

  constructor(
    protected readonly connection: ConnectionSettings,
    protected readonly request: RequestSettings,
    protected readonly clock: Clock,
    protected readonly cancellation: Cancellation
  ) {
    this.transport = new ApiTransport({
      baseUrl: connection.apiUrl,
      caCertificate: connection.caCertificate,
      request,
      clock,
      cancellation,
      ...this.wire(connection)
    })
  }

  /** The platform's wire with `connection`'s secret (called before the subclass's fields exist). */
  protected abstract wire(connection: ConnectionSettings): Wire

  dispose(): void {
    this.transport.dispose()
  }

  withSecret(secret: string): this {
    return this.copy({ ...this.connection, apiSecretKey: secret }, this.request, this.cancellation)
  }

  /**
   * For clean-ups after a signal: a signal does not abandon them, and each is one attempt,
   * answered within most of the time the run has to report after SIGTERM.
   */
  forCleanUp(): this {
    return this.copy(
      this.connection,
      { maxAttempts: 1, timeoutMs: Math.min(this.request.timeoutMs, (URGENT_REPORT_MS * 4) / 5) },
      new Cancellation()
    )
  }

  private copy(
    connection: ConnectionSettings,
    request: RequestSettings,
    cancellation: Cancellation
  ): this {
    const Client = this.constructor as new (
      ...args: ConstructorParameters<typeof PlatformClient>
    ) => this
    return new Client(connection, request, this.clock, cancellation)
  }
}
