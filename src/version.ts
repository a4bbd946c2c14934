import packageJson from '../package.json' with { type: 'json' }

/** Sent in every User-Agent; the version is package.json's, inlined by the bundler. */
const ACTION_NAME = 'workload-security-api-key-action'
const ACTION_VERSION: string = packageJson.version
export const USER_AGENT = `${ACTION_NAME}/${ACTION_VERSION}`
