/**
 * What only the operations that store a secret need (the GitHub client, libsodium, the
 * delivery), in one module that main.ts loads on demand, so that other operations start
 * without it.
 */
export { GitHubSecretsClient } from './github/secrets-client.js'
export { create } from './operations/create.js'
export { rotate } from './operations/rotate.js'
