import * as http from 'node:http'
import * as https from 'node:https'
import type { AddressInfo, Socket } from 'node:net'
import { Readable, pipeline } from 'node:stream'

/** A request as an emulator sees it. Header names are lower-case. */
export interface EmulatedRequest {
  method: string
  /** Path below the emulator's base path, without the query. */
  path: string
  query: URLSearchParams
  headers: http.IncomingHttpHeaders
  /** Parsed JSON body; undefined when there was none. */
  body: unknown
  rawBody: string
  /** The caller's IP address (IPv4-mapped IPv6 written as IPv4): 127.0.0.1 for every test. */
  remoteAddress: string
}

export interface EmulatedResponse {
  status: number
  body?: unknown
  headers?: Record<string, string>
}

/**
 * A fault to inject into the next matching request(s). Without `status`, `body`, `rawBody`,
 * `hugeBodyBytes`, `hang`, `drop`, `act`, `respondAfterMs`, `truncate` or `dripMs`, the request is
 * handled normally after `delayMs`.
 */
export interface Fault {
  method?: string
  /** Exact path below the base path, or a pattern. */
  path?: string | RegExp
  /** Applies only to requests this returns true for (e.g. those made with a new secret). */
  when?: (request: EmulatedRequest) => boolean
  /** How many matching requests it applies to (default 1). */
  times?: number
  /**
   * Answer this status (with `body`, or `{"message": ...}` when `body` is absent) without
   * acting. `body` alone answers 200 with it (e.g. the same page again and again, with `times`).
   */
  status?: number
  body?: unknown
  /** Like `body`, made from the request (e.g. an error that echoes what the client sent). */
  bodyFor?: (request: EmulatedRequest) => unknown
  /**
   * Like `rawBody`, made from the request and, with `act`, the answer the emulator would have
   * sent (e.g. that answer reordered, then cut off by `truncate`).
   */
  rawBodyFor?: (request: EmulatedRequest, response?: EmulatedResponse) => string
  /** Answer `status` (default 200) with this text (a malformed answer) without acting. */
  rawBody?: string
  /** Sets the Retry-After header (seconds) on an injected status. */
  retryAfter?: string
  headers?: Record<string, string>
  /** Wait this long before handling. */
  delayMs?: number
  /** Never answer (the client's timeout must fire). */
  hang?: boolean
  /**
   * Close the connection without an answer: `before` acting (nothing happened), or `after`
   * acting (the change was made and the answer lost).
   */
  drop?: 'before' | 'after'
  /**
   * With `status`, `body` or `rawBody`: handle the request first (state changes, `acted: true`
   * in the log), then send the injected answer instead of the real one.
   */
  act?: boolean
  /**
   * Act at once, then wait this long before answering: a slow manager that has committed the
   * change while the client's timeout fires. Logged (`acted: true`) when it acted.
   * `respondAfterMs`, `truncate` and `dripMs` also shape an injected answer; whether the
   * emulator acts first is then up to `act`.
   */
  respondAfterMs?: number
  /**
   * Act, then announce the full Content-Length, send the first half of the body and destroy
   * the socket: an answer cut off mid-body.
   */
  truncate?: boolean
  /** Act, then send the answer one byte every this many ms (an idle timer never fires). */
  dripMs?: number
  /**
   * Answer 200 with valid JSON of about this many bytes (`{"message":"xxx..."}`), streamed,
   * without acting: a body cap must cut it.
   */
  hugeBodyBytes?: number
}

/** One exchange in the request log. */
export interface Exchange {
  method: string
  path: string
  /** The query string without `?` (empty when none). */
  query?: string
  headers: http.IncomingHttpHeaders
  body: unknown
  status?: number
  responseBody?: unknown
  /** Set when a fault changed the exchange. */
  fault?: Fault
  /** True when the emulator's own logic handled the request (it may have changed state). */
  acted: boolean
  /** When the request arrived (performance.now()), to order exchanges across emulators. */
  at: number
  /** When the emulator had answered (performance.now()); undefined when it never did. */
  answeredAt?: number
}

interface ArmedFault extends Fault {
  remaining: number
}

/** The plumbing both emulators share: a loopback HTTP server with a log, latency and faults. */
export abstract class EmulatorServer {
  /** Added to every answer, in milliseconds. */
  latencyMs = 0
  readonly log: Exchange[] = []
  /** Called with every completed exchange (the contract test hooks in here). */
  onExchange?: (exchange: Exchange) => void
  /** Called as each request arrives, before any fault or handling (the explorer hooks in here). */
  onArrival?: (request: EmulatedRequest) => void

  private readonly server: http.Server
  private readonly sockets = new Set<Socket>()
  private readonly faults: ArmedFault[] = []
  /** Requests received and not yet answered (or dropped). */
  protected inFlight = 0
  /** The most requests it ever had in flight at once. */
  maxInFlight = 0
  private readonly timers = new Set<NodeJS.Timeout>()
  private baseUrl = ''

  /** With `tls`, the emulator serves HTTPS with that key and certificate (an on-premises manager). */
  constructor(
    private readonly basePath: string,
    private readonly tls?: { key: string; cert: string }
  ) {
    const listener = (req: http.IncomingMessage, res: http.ServerResponse): void =>
      void this.dispatch(req, res)
    this.server = tls ? https.createServer(tls, listener) : http.createServer(listener)
    this.server.on('connection', (socket: Socket) => {
      this.sockets.add(socket)
      socket.on('close', () => this.sockets.delete(socket))
    })
  }

  /** Starts listening on 127.0.0.1 (port 0: any free port) and returns the base URL. */
  async start(port = 0): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(port, '127.0.0.1', resolve))
    const address = this.server.address() as AddressInfo
    const scheme = this.tls ? 'https' : 'http'
    this.baseUrl = `${scheme}://${this.tls ? 'localhost' : '127.0.0.1'}:${address.port}${this.basePath}`
    return this.baseUrl
  }

  get url(): string {
    return this.baseUrl
  }

  async stop(): Promise<void> {
    for (const timer of this.timers) clearTimeout(timer)
    this.timers.clear()
    for (const socket of this.sockets) socket.destroy()
    await new Promise<void>((resolve) => this.server.close(() => resolve()))
  }

  /** Timers still pending (latency, late answers, drips); stop() clears them all. */
  get pendingTimers(): number {
    return this.timers.size
  }

  /** Arms a fault for the next matching request(s). */
  inject(fault: Fault): void {
    this.faults.push({ ...fault, remaining: fault.times ?? 1 })
  }

  clearFaults(): void {
    this.faults.length = 0
  }

  /** The logged exchanges, optionally only those of one method and path. */
  requests(method?: string, path?: string | RegExp): Exchange[] {
    return this.log.filter(
      (e) =>
        (method === undefined || e.method === method) &&
        (path === undefined || (typeof path === 'string' ? e.path === path : path.test(e.path)))
    )
  }

  protected abstract handle(request: EmulatedRequest): EmulatedResponse | Promise<EmulatedResponse>

  private takeFault(request: EmulatedRequest): Fault | undefined {
    const { method, path } = request
    const index = this.faults.findIndex(
      (f) =>
        (f.method === undefined || f.method === method) &&
        (f.path === undefined ||
          (typeof f.path === 'string' ? f.path === path : f.path.test(path))) &&
        (f.when === undefined || f.when(request))
    )
    if (index < 0) return undefined
    const fault = this.faults[index]
    if (--fault.remaining <= 0) this.faults.splice(index, 1)
    return fault
  }

  private wait(ms: number): Promise<void> {
    if (ms <= 0) return Promise.resolve()
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.timers.delete(timer)
        resolve()
      }, ms)
      this.timers.add(timer)
    })
  }

  private async dispatch(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const chunks: Buffer[] = []
    for await (const chunk of req) chunks.push(chunk as Buffer)
    const rawBody = Buffer.concat(chunks).toString('utf8')
    const url = new URL(req.url ?? '/', 'http://emulator')
    const method = req.method ?? 'GET'
    // The base path counts only as whole segments: `/apikeys` is not `/api` + `keys`.
    const underBase = url.pathname === this.basePath || url.pathname.startsWith(`${this.basePath}/`)
    const path = underBase ? url.pathname.slice(this.basePath.length) || '/' : url.pathname
    let body: unknown
    let badJson = false
    if (rawBody.trim() !== '') {
      try {
        body = JSON.parse(rawBody)
      } catch {
        badJson = true
      }
    }
    const exchange: Exchange = {
      method,
      path,
      query: url.search.slice(1),
      headers: req.headers,
      body,
      acted: false,
      at: performance.now()
    }
    const request: EmulatedRequest = {
      method,
      path,
      query: url.searchParams,
      headers: req.headers,
      body,
      rawBody,
      remoteAddress: (req.socket.remoteAddress ?? '').replace(/^::ffff:/, '')
    }
    this.onArrival?.(request)
    const fault = this.takeFault(request)
    if (fault) exchange.fault = fault
    this.inFlight++
    this.maxInFlight = Math.max(this.maxInFlight, this.inFlight)
    const finish = (response?: EmulatedResponse): void => {
      this.inFlight--
      if (response) {
        exchange.status = response.status
        exchange.responseBody = response.body
        exchange.answeredAt = performance.now()
      }
      this.log.push(exchange)
      this.onExchange?.(exchange)
    }

    await this.wait(this.latencyMs + (fault?.delayMs ?? 0))
    if (fault?.hang) {
      finish()
      return
    }
    if (fault?.drop === 'before') {
      finish()
      req.socket.destroy()
      return
    }
    if (fault?.hugeBodyBytes !== undefined) {
      finish({ status: 200 })
      this.sendHuge(res, fault.hugeBodyBytes)
      return
    }
    const early = fault && !fault.act ? injectedAnswer(fault, request) : undefined
    if (fault && early) {
      finish(early)
      if (fault.respondAfterMs) await this.wait(fault.respondAfterMs)
      this.transmit(req, res, early, fault)
      return
    }

    let response: EmulatedResponse
    if (!underBase) {
      // Outside the API: what the web server in front of it would answer.
      response = { status: 404, body: { message: `Not found: ${url.pathname}` } }
    } else if (badJson) {
      response = { status: 400, body: { message: 'The request body is not valid JSON' } }
    } else {
      exchange.acted = true
      try {
        response = await this.handle(request)
      } catch (error) {
        response = { status: 500, body: { message: `Emulator error: ${String(error)}` } }
      }
    }
    if (fault?.drop === 'after') {
      finish()
      req.socket.destroy()
      return
    }
    const injected = fault?.act ? injectedAnswer(fault, request, response) : undefined
    // Logged before a late or broken answer goes out: the change is made whatever the client sees.
    finish(injected ?? response)
    if (fault?.respondAfterMs) await this.wait(fault.respondAfterMs)
    this.transmit(req, res, injected ?? response, fault)
  }

  /** Sends an answer whole, cut off (`truncate`) or byte by byte (`dripMs`). */
  private transmit(
    req: http.IncomingMessage,
    res: http.ServerResponse,
    response: EmulatedResponse & { text?: string },
    fault?: Fault
  ): void {
    if (gone(res)) return
    const text = response.text ?? (response.body === undefined ? '' : JSON.stringify(response.body))
    const bytes = Buffer.from(text, 'utf8')
    res.writeHead(response.status, {
      ...(text && {
        'content-type': 'application/json; charset=utf-8',
        'content-length': String(bytes.length)
      }),
      ...response.headers
    })
    if (fault?.truncate) {
      res.write(bytes.subarray(0, Math.floor(bytes.length / 2)), () => req.socket.destroy())
      return
    }
    if (fault?.dripMs) {
      void this.drip(res, bytes, fault.dripMs)
      return
    }
    res.end(bytes)
  }

  private async drip(res: http.ServerResponse, bytes: Buffer, everyMs: number): Promise<void> {
    for (let i = 0; i < bytes.length; i++) {
      if (gone(res)) return
      res.write(bytes.subarray(i, i + 1))
      await this.wait(everyMs)
    }
    if (!gone(res)) res.end()
  }

  /** Streams `{"message":"xxx..."}` of about `size` bytes, respecting backpressure. */
  private sendHuge(res: http.ServerResponse, size: number): void {
    const head = '{"message":"'
    const tail = '"}'
    const padding = Math.max(0, size - head.length - tail.length)
    res.writeHead(200, {
      'content-type': 'application/json; charset=utf-8',
      'content-length': String(head.length + padding + tail.length)
    })
    const chunk = 'x'.repeat(64 * 1024)
    function* pieces(): Generator<string> {
      yield head
      for (let left = padding; left > 0; left -= chunk.length)
        yield left >= chunk.length ? chunk : chunk.slice(0, left)
      yield tail
    }
    // A client that stops reading or hangs up ends the stream; the error is expected.
    pipeline(Readable.from(pieces()), res, () => undefined)
  }
}

function gone(res: http.ServerResponse): boolean {
  return res.destroyed || !res.socket || res.socket.destroyed
}

/** The answer a fault injects instead of the emulator's, or undefined when it injects none. */
function injectedAnswer(
  fault: Fault,
  request: EmulatedRequest,
  response?: EmulatedResponse
): (EmulatedResponse & { text?: string }) | undefined {
  const body = fault.bodyFor ? fault.bodyFor(request) : fault.body
  const rawBody = fault.rawBodyFor ? fault.rawBodyFor(request, response) : fault.rawBody
  if (fault.status === undefined && rawBody === undefined && body === undefined) return undefined
  const headers = {
    ...fault.headers,
    ...(fault.retryAfter && { 'retry-after': fault.retryAfter })
  }
  if (rawBody !== undefined) return { status: fault.status ?? 200, headers, text: rawBody }
  const status = fault.status ?? 200
  return { status, headers, body: body ?? { message: `Injected fault: HTTP ${status}` } }
}

/** Matches `path` against a route pattern such as `/apikeys/:id`; the captured parts, or undefined. */
export function matchRoute(pattern: string, path: string): Record<string, string> | undefined {
  const names: string[] = []
  const regex = new RegExp(
    '^' +
      pattern.replace(/:(\w+)/g, (_, name: string) => {
        names.push(name)
        return '([^/]+)'
      }) +
      '$'
  )
  const match = regex.exec(path)
  if (!match) return undefined
  return Object.fromEntries(names.map((name, i) => [name, decodeURIComponent(match[i + 1])]))
}
