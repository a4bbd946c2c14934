import packageJson from '../package.json' with { type: 'json' }

/** Sent in every User-Agent; the version is package.json's, inlined by the bundler. */
const ACTION_NAME = 'workload-security-api-key-action'
const ACTION_VERSION: string = packageJson.version
export const USER_AGENT = `${ACTION_NAME}/${ACTION_VERSION}`

/** The action's repository on GitHub, from package.json's `repository` (the one place naming it). */
export const REPOSITORY_URL = packageJson.repository.url.replace(/^git\+/, '').replace(/\.git$/, '')

/** A link a reader can open to a file of this repository, at the version that runs. */
export function docLink(path: string): string {
  return `${REPOSITORY_URL}/blob/v${ACTION_VERSION}/${path}`
}

/** Where users report a problem (package.json's `bugs`). */
export const ISSUES_URL: string = packageJson.bugs.url
