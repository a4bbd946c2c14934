import type { Exchange } from '../../emulators/server.js'

/*
 * The Cloud One account API keys wire format as ../shared/reference/cloud-one-api-keys.md states
 * it (confirmed and inferred points alike), as a checker of one exchange: what a client sends
 * and what the emulator answers. Used after every test that talks to the Cloud One emulator
 * (useCloudOne), so neither side can drift from the reference unnoticed.
 */

const KEY_ID = /^[A-Za-z0-9]{27}$/
const ROLE_ID = /^[a-z0-9-]+$/
const TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/
const CREATE = [
  'alias',
  'description',
  'roleID',
  'locale',
  'timezone',
  'allowedIPs',
  'allowedCIDRs'
]
const MODIFY = [...CREATE, 'enabled']
const KEY_FIELDS = [
  'id',
  'alias',
  'description',
  'roleID',
  'locale',
  'timezone',
  'allowedIPs',
  'allowedCIDRs',
  'created',
  'lastModified',
  'lastActivity',
  'enabled',
  'urn'
]

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value)

/** What is wrong with a request as the reference describes requests. */
export function cloudOneRequestViolations(exchange: Exchange): string[] {
  const { method, path, headers, body } = exchange
  const where = `${method} ${path}`
  const problems: string[] = []
  if (headers['api-version'] !== 'v1') problems.push(`${where}: Api-Version is not v1`)
  const auth = headers.authorization
  if (typeof auth !== 'string' || !/^ApiKey [A-Za-z0-9]+:\S+$/.test(auth))
    problems.push(`${where}: Authorization is not "ApiKey <id>:<secret>"`)
  const limit = new URLSearchParams(exchange.query ?? '').get('limit')
  if (limit !== null && !/^\d+$/.test(limit)) problems.push(`${where}: limit ${limit}`)
  const known =
    (method === 'GET' && /^\/(apikeys|roles)$/.test(path)) ||
    (['GET', 'DELETE'].includes(method) && /^\/apikeys\/[A-Za-z0-9]+$/.test(path)) ||
    (method === 'POST' && /^\/apikeys(\/[A-Za-z0-9]+)?$/.test(path))
  if (!known) problems.push(`${where}: not an endpoint of the reference`)
  if (method === 'POST') {
    const allowed = path === '/apikeys' ? CREATE : MODIFY
    if (!isObject(body)) problems.push(`${where}: the body is not a JSON object`)
    else {
      const extra = Object.keys(body).filter((f) => !allowed.includes(f))
      if (extra.length) problems.push(`${where}: fields outside the reference: ${extra.join(', ')}`)
      if (
        path === '/apikeys' &&
        (typeof body.alias !== 'string' || typeof body.roleID !== 'string')
      )
        problems.push(`${where}: a create without alias and roleID`)
    }
  } else if (body !== undefined) problems.push(`${where}: a body on ${method}`)
  return problems
}

/** What is wrong with a key as the reference describes keys. */
function keyViolations(where: string, key: unknown, withSecret = false): string[] {
  if (!isObject(key)) return [`${where}: a key that is not an object`]
  const problems: string[] = []
  const extra = Object.keys(key).filter((f) => !KEY_FIELDS.includes(f) && f !== 'secret')
  if (extra.length) problems.push(`${where}: key fields outside the reference: ${extra.join(', ')}`)
  if (typeof key.id !== 'string' || !KEY_ID.test(key.id))
    problems.push(`${where}: id ${String(key.id)}`)
  if (typeof key.alias !== 'string') problems.push(`${where}: alias`)
  if (typeof key.roleID !== 'string' || !ROLE_ID.test(key.roleID)) problems.push(`${where}: roleID`)
  if (typeof key.enabled !== 'boolean') problems.push(`${where}: enabled`)
  for (const field of ['allowedIPs', 'allowedCIDRs'])
    if (!Array.isArray(key[field])) problems.push(`${where}: ${field} is not a list`)
  for (const field of ['created', 'lastModified', 'lastActivity'])
    if (key[field] !== undefined && !(typeof key[field] === 'string' && TIME.test(key[field])))
      problems.push(`${where}: ${field} is not RFC 3339 UTC`)
  if (typeof key.urn !== 'string' || !key.urn.startsWith('urn:cloudone:identity:'))
    problems.push(`${where}: urn`)
  if (withSecret !== (typeof key.secret === 'string'))
    problems.push(
      `${where}: ${withSecret ? 'no secret in a create answer' : 'a secret outside a create answer'}`
    )
  return problems
}

/** What is wrong with an answer the emulator gave, as the reference describes answers. */
export function cloudOneAnswerViolations(exchange: Exchange): string[] {
  const { method, path, status, responseBody: body } = exchange
  if (status === undefined || exchange.fault) return []
  const where = `${method} ${path} -> ${status}`
  if (status >= 400) {
    if (!isObject(body) || typeof body.message !== 'string')
      return [`${where}: an error without {"message"}`]
    if (body.fields !== undefined && !isObject(body.fields)) return [`${where}: fields`]
    return []
  }
  if (method === 'GET' && (path === '/apikeys' || path === '/roles')) {
    const field = path === '/apikeys' ? 'apikeys' : 'roles'
    if (!isObject(body) || !Array.isArray(body[field])) return [`${where}: no ${field} list`]
    if (body.next !== undefined && typeof body.next !== 'string') return [`${where}: next`]
    if (field === 'roles')
      return (body.roles as unknown[]).every(
        (r) =>
          isObject(r) &&
          typeof r.id === 'string' &&
          ROLE_ID.test(r.id) &&
          typeof r.name === 'string'
      )
        ? []
        : [`${where}: a role without id or name`]
    return (body.apikeys as unknown[]).flatMap((k) => keyViolations(where, k))
  }
  if (method === 'POST' && path === '/apikeys') {
    if (status !== 200 && status !== 201) return [`${where}: a create answered ${status}`]
    return keyViolations(where, body, true)
  }
  if (method === 'DELETE') return status === 200 || status === 204 ? [] : [`${where}: status`]
  if (method === 'POST' && status === 204) return []
  return keyViolations(where, body)
}

/** Both checks of one exchange. */
export function cloudOneContractViolations(exchange: Exchange): string[] {
  return [...cloudOneRequestViolations(exchange), ...cloudOneAnswerViolations(exchange)]
}
