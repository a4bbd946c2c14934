/**
 * What only rotation needs (the GitHub client, libsodium, the pipeline), in one module that
 * main.ts loads on demand, so that other operations start without it.
 */
export { GitHubSecretsClient } from './github/secrets-client.js'
export { rotate } from './operations/rotate.js'
