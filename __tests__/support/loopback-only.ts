import dns from 'node:dns'
import net from 'node:net'

/**
 * Tests talk to emulators on loopback only. Importing this module (as a jest
 * `setupFilesAfterEnv` entry, or directly) makes every connection attempt to any other host
 * fail before a packet leaves: `net.Socket.prototype.connect` (which `net.connect`, `http`,
 * `https`, `tls.connect` and `fetch` all go through) and the DNS resolver functions refuse
 * any host but 127.0.0.0/8, ::1 and localhost, without calling the real implementation. The
 * socket is destroyed with an error naming the host; a DNS call fails the same way.
 *
 * Code under test may swallow that error (a retry loop treats it as a connection failure), so
 * each refusal is also recorded, and an `afterEach` hook fails the test that made it.
 *
 * Child processes (the committed bundle run by runBundled) are separate processes: this guard
 * does not reach them.
 */

export const NON_LOOPBACK_MESSAGE = 'non-loopback connection attempt'

interface GuardState {
  /** Refusals not yet reported. */
  violations: string[]
  /** How many calls went through to the real connect or resolver (loopback only). */
  passedThrough: number
}

// Node's built-in modules are shared by every test file in a worker, while each file gets its
// own copy of this module: the state lives beside the patch, not in a module variable.
const STATE = Symbol.for('workload-security-api-key-action.loopback-only')
type Patched = { [STATE]?: GuardState }

/** True for 127.0.0.0/8, ::1 (any spelling, IPv4-mapped loopback too) and localhost. */
export function isLoopbackHost(host: string): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase()
  if (name === 'localhost') return true
  if (net.isIPv4(name)) return name.split('.')[0] === '127'
  if (net.isIPv6(name)) {
    const mapped = /^(?:0{0,4}:){0,5}:?ffff:(\d+\.\d+\.\d+\.\d+)$/.exec(name)
    if (mapped) return isLoopbackHost(mapped[1])
    const blocks = expandIPv6(name)
    return blocks !== undefined && blocks.slice(0, 7).every((b) => b === 0) && blocks[7] === 1
  }
  return false
}

function expandIPv6(address: string): number[] | undefined {
  const [head, tail] = address.split('::')
  const parse = (part: string | undefined): number[] =>
    part ? part.split(':').map((b) => parseInt(b, 16)) : []
  const front = parse(head)
  const back = parse(tail)
  if (address.includes('::'))
    return [...front, ...Array(8 - front.length - back.length).fill(0), ...back]
  return front.length === 8 ? front : undefined
}

function refusal(state: GuardState, what: string): Error {
  const error = Object.assign(
    new Error(
      `${NON_LOOPBACK_MESSAGE} to ${what} refused: tests may only reach 127.0.0.0/8, ::1 and localhost`
    ),
    { code: 'ERR_NON_LOOPBACK_CONNECTION' }
  )
  state.violations.push(error.message)
  return error
}

/** Where a `socket.connect(...)` call goes, in every form Node accepts. */
function connectTarget(args: unknown[]): { host: string; port: unknown } | undefined {
  // Node's own callers (net.connect, http's agent) pass one normalized [options, callback] array.
  const list = Array.isArray(args[0]) ? (args[0] as unknown[]) : args
  const [first, second] = list
  if (first !== null && typeof first === 'object') {
    const options = first as { path?: unknown; host?: unknown; port?: unknown }
    // A Unix socket or named pipe is local. Node tests `path` for truth: http's agent passes
    // `path: null` for TCP.
    if (options.path) return undefined
    return {
      host: typeof options.host === 'string' ? options.host : 'localhost',
      port: options.port
    }
  }
  if (typeof first === 'string' && !/^\d+$/.test(first)) return undefined // a path: local
  return { host: typeof second === 'string' ? second : 'localhost', port: first }
}

function install(): GuardState {
  const proto = net.Socket.prototype as net.Socket & { connect: Patched & net.Socket['connect'] }
  const existing = proto.connect[STATE]
  if (existing) return existing
  const state: GuardState = { violations: [], passedThrough: 0 }

  const realConnect = proto.connect
  const connect = function (this: net.Socket, ...args: unknown[]): net.Socket {
    const target = connectTarget(args)
    if (target && !isLoopbackHost(target.host)) {
      const error = refusal(state, `${target.host}:${String(target.port)}`)
      process.nextTick(() => this.destroy(error))
      return this
    }
    state.passedThrough++
    return (realConnect as (...a: unknown[]) => net.Socket).apply(this, args)
  } as Patched & net.Socket['connect']
  connect[STATE] = state
  proto.connect = connect

  const guardCallback = (name: string): void => {
    const real = (dns as unknown as Record<string, (...a: unknown[]) => unknown>)[name]
    ;(dns as unknown as Record<string, unknown>)[name] = function (
      host: unknown,
      ...rest: unknown[]
    ) {
      if (typeof host === 'string' && !isLoopbackHost(host)) {
        const callback = rest.findLast((r) => typeof r === 'function') as
          ((error: Error) => void) | undefined
        const error = refusal(state, `${host} (dns.${name})`)
        if (callback) process.nextTick(callback, error)
        return undefined
      }
      state.passedThrough++
      return real.call(this, host, ...rest)
    }
  }
  const guardPromise = (name: string): void => {
    const promises = dns.promises as unknown as Record<
      string,
      (...a: unknown[]) => Promise<unknown>
    >
    const real = promises[name]
    promises[name] = async function (host: unknown, ...rest: unknown[]) {
      if (typeof host === 'string' && !isLoopbackHost(host))
        throw refusal(state, `${host} (dns.promises.${name})`)
      state.passedThrough++
      return real.call(this, host, ...rest)
    }
  }
  for (const name of ['lookup', 'resolve', 'resolve4', 'resolve6', 'resolveAny']) {
    guardCallback(name)
    guardPromise(name)
  }
  return state
}

const state = install()

/** The refusals recorded since the last call, cleared. */
export function takeViolations(): string[] {
  return state.violations.splice(0)
}

/** How many connects and DNS calls went through to Node's real implementation so far. */
export function passedThrough(): number {
  return state.passedThrough
}

/** Throws (and clears) when a non-loopback attempt happened, even if its error was swallowed. */
export function assertNoViolations(): void {
  const violations = takeViolations()
  if (violations.length > 0) throw new Error(violations.join('\n'))
}

const hooks = globalThis as { afterEach?: (fn: () => void) => void }
if (typeof hooks.afterEach === 'function') hooks.afterEach(assertNoViolations)
