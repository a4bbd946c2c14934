/**
 * Cuts GitHub's REST API description down to the operations the GitHub emulator serves, with
 * every component they reference, into `__tests__/fixtures/github-secrets-openapi.json`:
 *
 *   npm install --no-save @octokit/openapi   (in a scratch directory)
 *   npx tsx emulators/vendor-github-openapi.ts <dir>/node_modules/@octokit/openapi/generated/api.github.com.json
 *
 * The package version is read from the package.json next to `generated/` and recorded in
 * `info.x-vendored-from`.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs'
import { dirname, join } from 'node:path'

type Json = Record<string, unknown>

const TYPES = ['actions', 'dependabot', 'codespaces']
const SECRET = ['get', 'put', 'delete']
/** Path template to the methods the emulator answers. */
const SERVED: Record<string, string[]> = {
  '/repos/{owner}/{repo}': ['get'],
  '/repos/{owner}/{repo}/environments/{environment_name}/secrets': ['get'],
  '/repos/{owner}/{repo}/environments/{environment_name}/secrets/public-key': ['get'],
  '/repos/{owner}/{repo}/environments/{environment_name}/secrets/{secret_name}': SECRET
}
for (const type of TYPES) {
  Object.assign(SERVED, {
    [`/repos/{owner}/{repo}/${type}/secrets`]: ['get'],
    [`/repos/{owner}/{repo}/${type}/secrets/public-key`]: ['get'],
    [`/repos/{owner}/{repo}/${type}/secrets/{secret_name}`]: SECRET,
    [`/orgs/{org}/${type}/secrets`]: ['get'],
    [`/orgs/{org}/${type}/secrets/public-key`]: ['get'],
    [`/orgs/{org}/${type}/secrets/{secret_name}`]: SECRET,
    [`/orgs/{org}/${type}/secrets/{secret_name}/repositories`]: ['get', 'put'],
    [`/orgs/{org}/${type}/secrets/{secret_name}/repositories/{repository_id}`]: ['put', 'delete']
  })
}

/** Drops what validation never reads (examples, GitHub's own annotations) to keep it small. */
function prune(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(prune)
  if (typeof value !== 'object' || value === null) return value
  return Object.fromEntries(
    Object.entries(value)
      .filter(([key]) => key !== 'examples' && key !== 'example' && !key.startsWith('x-github'))
      .map(([key, v]) => [key, prune(v)])
  )
}

function refs(value: unknown, found: Set<string>): void {
  if (Array.isArray(value)) for (const v of value) refs(v, found)
  else if (typeof value === 'object' && value !== null) {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string') found.add(v)
      else refs(v, found)
    }
  }
}

const source = process.argv[2]
if (!source) {
  console.error('usage: tsx emulators/vendor-github-openapi.ts <api.github.com.json>')
  process.exit(2)
}
const full = JSON.parse(readFileSync(source, 'utf8')) as Json & {
  paths: Record<string, Json>
  components: Record<string, Json>
}
const packageJson = join(dirname(source), '..', 'package.json')
const version = existsSync(packageJson)
  ? (JSON.parse(readFileSync(packageJson, 'utf8')) as { name: string; version: string })
  : undefined

const paths: Record<string, Json> = {}
for (const [template, methods] of Object.entries(SERVED)) {
  const item = full.paths[template]
  if (!item) throw new Error(`${template} is not in ${source}`)
  paths[template] = prune(
    Object.fromEntries(
      Object.entries(item).filter(([key]) => key === 'parameters' || methods.includes(key))
    )
  ) as Json
}

// Follow references until no new component turns up.
const components: Record<string, Json> = {}
const seen = new Set<string>()
let pending = new Set<string>()
refs(paths, pending)
while (pending.size > 0) {
  const next = new Set<string>()
  for (const ref of pending) {
    if (seen.has(ref)) continue
    seen.add(ref)
    const [, , kind, name] = ref.split('/')
    const component = prune(full.components[kind]?.[name])
    if (component === undefined) throw new Error(`${ref} is not in ${source}`)
    ;(components[kind] ??= {})[name] = component as Json
    refs(component, next)
  }
  pending = next
}

const info = full.info as Json
const vendored = {
  openapi: full.openapi,
  info: {
    title: info.title,
    version: info.version,
    'x-vendored-from': `${version ? `${version.name}@${version.version}` : 'unknown package'} generated/api.github.com.json: only the paths the GitHub emulator serves (emulators/vendor-github-openapi.ts)`
  },
  servers: full.servers,
  paths,
  components
}
const target = new URL('../__tests__/fixtures/github-secrets-openapi.json', import.meta.url)
writeFileSync(target, JSON.stringify(vendored, null, 2) + '\n')
console.log(`Wrote ${Object.keys(paths).length} paths to ${target.pathname}`)
