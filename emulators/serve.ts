/**
 * `npm run emulators`: starts the seeded Workload Security and GitHub emulators on loopback
 * and keeps them running (until SIGINT/SIGTERM), for the workflow job that runs the action
 * with `uses: ./` and for trying the action by hand. Writes what a caller needs (URLs, the
 * emulated secrets and token) as JSON to the file named by the first argument, or stdout.
 */
import { writeFileSync } from 'node:fs'
import { READ_ONLY_TOKEN, ROLES, startSeededEmulators, WRITE_TOKEN } from './seed.js'

const world = await startSeededEmulators()
const connection = {
  apiUrl: world.ws.url,
  githubApiUrl: world.github.url,
  adminSecret: world.admin.secret,
  adminKeyId: world.admin.ID,
  deployerSecret: world.deployer.secret,
  deployerKeyId: world.deployer.ID,
  githubToken: WRITE_TOKEN,
  readOnlyGithubToken: READ_ONLY_TOKEN,
  roles: Object.values(ROLES),
  keys: [...world.ws.keys.values()].map((k) => ({
    ID: k.ID,
    keyName: k.keyName,
    roleID: k.roleID
  })),
  repositories: [...world.github.repositories.values()].map((r) => r.fullName),
  organizations: [...world.github.organizations.keys()]
}
const target = process.argv[2]
if (target) writeFileSync(target, JSON.stringify(connection, null, 2))
else console.log(JSON.stringify(connection, null, 2))
console.error(`Emulators listening: ${world.ws.url} and ${world.github.url}`)

const stop = async (): Promise<void> => {
  await world.stop()
  process.exit(0)
}
process.on('SIGINT', () => void stop())
process.on('SIGTERM', () => void stop())
