/**
 * Faults: arms a scenario's faults (a `FaultSpec`) on the emulators, at the nth request that
 * matches its target.
 */
import type { Fault } from '../../emulators/server.js'
import type { ItemFault } from '../../emulators/vision-one.js'
import type { SecretLocation } from '../../emulators/github.js'
import { TARGETS, type FaultSpec, type Scenario } from './scenarios.js'
import { emulatorOf, type World } from './world.js'

/** Text of `secret` in one of the forms a server might echo it in. */
export function encoded(secret: string, encoding: string): string {
  const bytes = Buffer.from(secret, 'utf8')
  switch (encoding) {
    case 'hex':
      return bytes.toString('hex')
    case 'HEX':
      return bytes.toString('hex').toUpperCase()
    case 'u-escape':
      return [...secret].map((c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`).join('')
    case 'percent':
      return [...bytes].map((b) => `%${b.toString(16).padStart(2, '0').toUpperCase()}`).join('')
    case 'html':
      return [...secret].map((c) => `&#${c.charCodeAt(0)};`).join('')
    case 'base64':
      return bytes.toString('base64')
    case 'json-slash':
      return secret.replace(/\//g, '\\/')
    default:
      return secret
  }
}

/** The destination a GitHub secrets path belongs to. */
export function locationOf(path: string): SecretLocation | undefined {
  const org = /^\/orgs\/([^/]+)\/(\w+)\/secrets/.exec(path)
  if (org) return { organization: org[1], type: org[2] as SecretLocation['type'] }
  const env = /^\/repos\/([^/]+\/[^/]+)\/environments\/([^/]+)\/secrets/.exec(path)
  if (env) return { repository: env[1], environment: decodeURIComponent(env[2]) }
  const repo = /^\/repos\/([^/]+\/[^/]+)\/(\w+)\/secrets/.exec(path)
  return repo ? { repository: repo[1], type: repo[2] as SecretLocation['type'] } : undefined
}

/** Arms one of the scenario's faults on its emulator. */
export function armFault(world: World, scenario: Scenario, spec: FaultSpec): void {
  const target = TARGETS.find((t) => t.name === spec.target)!
  const emulator = emulatorOf(world, target)
  const onVisionOne = target.emulator === 'v1'
  let seen = 0
  const at = (): boolean => ++seen === spec.nth
  const base: Fault = { method: target.method, path: target.path }
  /** A bystander's or the authenticating key's answer: its ID, and its body without a secret. */
  const other = (): { id: string | number; body: Record<string, unknown> } => {
    if (world.v1) {
      const key = spec.delayMs > 1000 ? world.v1.admin : world.v1.auditor
      return { id: key.id, body: world.v1.v1.publicKey(key) }
    }
    if (world.c1) {
      const key = spec.delayMs > 1000 ? world.c1.admin : world.c1.auditor
      return { id: key.id, body: world.c1.c1.publicKey(key) }
    }
    const { secret: _secret, ...rest } = spec.delayMs > 1000 ? world.ws!.admin : world.ws!.auditor
    return { id: rest.ID, body: rest }
  }
  let fault: Fault
  switch (spec.kind) {
    case 'status':
      fault = { status: spec.status }
      break
    case 'acted-status':
      fault = { status: spec.status >= 500 ? spec.status : 500, act: true }
      break
    case 'drop-before':
      fault = { drop: 'before' }
      break
    case 'drop-after':
      fault = { drop: 'after' }
      break
    case 'slow':
      fault = { respondAfterMs: spec.delayMs }
      break
    case 'truncate':
      fault = { truncate: true }
      break
    case 'truncate-after-secret':
      // The connection drops after a whole secretKey (a created item's token) arrived: it
      // comes first here.
      fault = {
        act: true,
        truncate: true,
        rawBodyFor: (_request, response) => {
          const padding = 'x'.repeat(2_000)
          if (onVisionOne && Array.isArray(response?.body)) {
            const items = (response.body as Record<string, unknown>[]).map((item) => {
              const { value, ...fields } = (item.body ?? {}) as Record<string, unknown>
              return { status: item.status, body: { value, ...fields }, headers: item.headers }
            })
            return JSON.stringify([...items, { status: 0, padding }])
          }
          // Cloud One's new key carries it as `secret`.
          const { secretKey, secret, ...rest } = (response?.body ?? {}) as Record<string, unknown>
          return JSON.stringify({ secretKey, secret, ...rest, padding })
        }
      }
      break
    case 'malformed':
      fault = { rawBody: '<html>gateway</html>', status: 200 }
      break
    case 'hang':
      // A request that issues a secret is waited for at least 120 s: hang it only when a
      // cancellation at that request will end the wait.
      if (
        ['ws:issue', 'v1:create', 'c1:create'].includes(spec.target) &&
        scenario.cancel?.at !== spec.target
      )
        return
      fault = { hang: true }
      break
    case 'wrong-key': {
      // An answer about another key: the authenticating one, or a bystander. A request that
      // issues a secret is handled, and its answer (the new secret in it) names the other key.
      const { id, body } = other()
      fault =
        spec.target === 'ws:issue' || spec.target === 'c1:create'
          ? {
              act: true,
              rawBodyFor: (_request, response) =>
                JSON.stringify({
                  ...(response?.body as object),
                  ...(spec.target === 'ws:issue' ? { ID: id } : { id })
                })
            }
          : spec.target === 'v1:create'
            ? {
                act: true,
                rawBodyFor: (_request, response) =>
                  JSON.stringify(
                    ((response?.body ?? []) as Record<string, unknown>[]).map((item) => ({
                      ...item,
                      headers: [{ name: 'Location', value: `/v3.0/iam/apiKeys/${id}` }],
                      body: { ...(item.body as object), id }
                    }))
                  )
              }
            : { status: 200, body, act: spec.status >= 500 }
      break
    }
    case 'put-200':
      fault = { status: 200, body: {}, act: true }
      break
    case 'rotate-public-key':
      // GitHub changes the destination's key pair right before this request.
      emulator.inject({
        ...base,
        when: (request) => {
          const location = at() ? locationOf(request.path) : undefined
          if (location) world.github.rotatePublicKey(location)
          return false
        },
        times: 1_000
      })
      return
    case 'bad-key-id':
      // GitHub's key_id for the destination is hostile text (a quote, a line break, a command).
      emulator.inject({
        ...base,
        when: (request) => {
          const location = at() ? locationOf(request.path) : undefined
          if (location)
            world.github.setKeyId(
              location,
              `1"'; touch /tmp/explorer-pwned; echo '\n::stop-commands::x`
            )
          return false
        },
        times: 1_000
      })
      return
    case 'echo-secret':
      fault = {
        status: spec.status,
        bodyFor: (request) => {
          const credential =
            (request.headers['api-secret-key'] as string | undefined) ??
            String(request.headers.authorization ?? '').replace(/^(token|bearer|apikey)\s+/i, '')
          const message = `denied for ${encoded(credential, spec.encoding)} (${spec.encoding})`
          return onVisionOne ? { error: { code: 'AccessDenied', message } } : { message }
        }
      }
      break
    case 'item-refused':
    case 'item-acted':
    case 'item-no-token': {
      // One item of a 207 answer (the request itself succeeds).
      const operation = spec.target === 'v1:create' ? 'create' : 'delete'
      const item: ItemFault =
        spec.kind === 'item-refused'
          ? { operation, status: spec.status >= 400 ? spec.status : 500 }
          : spec.kind === 'item-acted'
            ? { operation, status: spec.status >= 500 ? spec.status : 500, act: true }
            : { operation, status: 201, act: true, body: undefined }
      world.v1!.v1.injectItem({
        ...item,
        when: () => {
          const hit = at()
          if (hit && item.act && operation === 'create') world.itemLostToken = true
          return hit
        }
      })
      return
    }
  }
  emulator.inject({ ...base, ...fault, when: at })
}
