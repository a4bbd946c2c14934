import { OpenAPIBackend, type Document } from 'openapi-backend'
import { readFileSync } from 'node:fs'
import type { Exchange } from '../../emulators/server.js'

/**
 * Trend Micro's OpenAPI description (Workload Security API 50.0.827), cut down to /apikeys and
 * /roles; a copy of shared/workload-security-openapi/api-keys-and-roles.json.
 */
export const OPENAPI_PATH = new URL(
  '../fixtures/workload-security-api-keys-and-roles.json',
  import.meta.url
)

/**
 * GitHub's REST API description from `@octokit/openapi` (version in `info.x-vendored-from`),
 * cut down to what the GitHub emulator serves by `emulators/vendor-github-openapi.ts`.
 */
export const GITHUB_OPENAPI_PATH = new URL(
  '../fixtures/github-secrets-openapi.json',
  import.meta.url
)

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?(?:Z|[+-]\d{2}:\d{2})$/i

function isUri(text: string): boolean {
  try {
    new URL(text)
    return true
  } catch {
    return false
  }
}

const backends = new Map<string, Promise<OpenAPIBackend>>()

function openApi(path: URL = OPENAPI_PATH): Promise<OpenAPIBackend> {
  let backend = backends.get(path.href)
  if (!backend) {
    const definition = JSON.parse(readFileSync(path, 'utf8')) as Document
    const api = new OpenAPIBackend({
      definition,
      quick: false,
      validate: true,
      strict: false,
      customizeAjv: (ajv) => ajv.addFormat('uri', isUri).addFormat('date-time', DATE_TIME)
    })
    backend = api.init()
    backends.set(path.href, backend)
  }
  return backend
}

/**
 * Builds both validators now: building them blocks the process for a while, which must not
 * happen in the middle of a test's first request (its deadline would fire).
 */
export async function loadContracts(): Promise<void> {
  await Promise.all([openApi(), openApi(GITHUB_OPENAPI_PATH)])
}

/**
 * Checks one exchange with the Workload Security emulator against the OpenAPI description:
 * the operation exists (method and path, path-parameter pattern), required headers, the
 * request body schema, an authentication header of one of the declared schemes, and for a
 * documented 200 answer the response body schema. Returns the violations (empty when valid).
 */
export async function contractViolations(exchange: Exchange): Promise<string[]> {
  const api = await openApi()
  const where = `${exchange.method} ${exchange.path}`
  const request = {
    method: exchange.method,
    path: exchange.path,
    headers: exchange.headers as Record<string, string>,
    body: exchange.body
  }
  const operation = api.matchOperation(request)
  if (!operation) return [`${where}: no such operation in the OpenAPI description`]
  const problems: string[] = []
  const validation = api.validateRequest(request, operation)
  if (!validation.valid) {
    for (const e of validation.errors ?? [])
      problems.push(`${where} request: ${e.instancePath} ${e.message}`)
  }
  const templateSegments = operation.path.split('/')
  for (const param of operation.parameters ?? []) {
    const p = param as { in: string; name: string; schema?: { pattern?: string } }
    if (p.in === 'path' && p.schema?.pattern) {
      const value = exchange.path.split('/')[templateSegments.indexOf(`{${p.name}}`)] ?? ''
      if (!new RegExp(`^(?:${p.schema.pattern})$`).test(value)) {
        problems.push(
          `${where}: path parameter ${p.name} "${value}" does not match ${p.schema.pattern}`
        )
      }
    }
  }
  const schemes = (operation.security ?? []).flatMap((s) => Object.keys(s))
  const declared = api.definition.components?.securitySchemes ?? {}
  const authenticated = schemes.some((name) => {
    const scheme = declared[name] as { name?: string } | undefined
    return scheme?.name !== undefined && exchange.headers[scheme.name.toLowerCase()] !== undefined
  })
  if (schemes.length > 0 && !authenticated)
    problems.push(`${where}: no header of the schemes ${schemes.join(', ')}`)
  if (!exchange.fault && exchange.status === 200) {
    const response = api.validateResponse(exchange.responseBody, operation, 200)
    if (!response.valid) {
      for (const e of response.errors ?? [])
        problems.push(`${where} response: ${e.instancePath} ${e.message}`)
    }
  }
  return problems
}

/**
 * Checks one exchange with the GitHub emulator against GitHub's own description: the
 * operation exists, path and query parameters and the request body match, and a 2xx answer
 * is a documented status whose body matches the schema. Answers injected by a fault are not
 * the emulator's, so only their request is checked. Returns the violations (empty when valid).
 */
export async function githubContractViolations(exchange: Exchange): Promise<string[]> {
  const api = await openApi(GITHUB_OPENAPI_PATH)
  const where = `${exchange.method} ${exchange.path}`
  const request = {
    method: exchange.method,
    path: exchange.path,
    query: exchange.query,
    headers: exchange.headers as Record<string, string>,
    body: exchange.body
  }
  const operation = api.matchOperation(request)
  if (!operation) return [`${where}: no such operation in GitHub's OpenAPI description`]
  const problems: string[] = []
  const validation = api.validateRequest(request, operation)
  for (const e of validation.errors ?? [])
    problems.push(`${where} request: ${e.instancePath} ${e.message}`)
  const status = exchange.status
  if (!exchange.fault && status !== undefined && status >= 200 && status < 300) {
    if (!(String(status) in (operation.responses ?? {}))) {
      problems.push(`${where}: HTTP ${status} is not a documented answer`)
    } else {
      // A documented 204 has no content: openapi-backend checks the body is null.
      const response = api.validateResponse(exchange.responseBody ?? null, operation, status)
      for (const e of response.errors ?? [])
        problems.push(`${where} response: ${e.instancePath} ${e.message}`)
    }
  }
  return problems
}
