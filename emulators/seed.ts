import { CloudOneEmulator, seedCloudOne, type SeededCloudOneKeys } from './cloud-one.js'
import { GitHubEmulator } from './github.js'
import { seedVisionOne, VisionOneEmulator, type SeededVisionOneKeys } from './vision-one.js'
import {
  FULL_RIGHTS,
  NO_RIGHTS,
  WorkloadSecurityEmulator,
  type EmulatedKey
} from './workload-security.js'

/** Tokens of the seeded GitHub: one may write secrets, one may only read. */
export const WRITE_TOKEN = 'ghp_emulatedWriteToken0000000000000001'
export const READ_ONLY_TOKEN = 'ghp_emulatedReadOnlyToken000000000002'

export const ROLES = {
  fullAccess: { ID: 1, name: 'Full Access' },
  auditor: { ID: 2, name: 'Auditor' },
  deployer: { ID: 3, name: 'Deployer' }
} as const

export interface SeededEmulators {
  ws: WorkloadSecurityEmulator
  github: GitHubEmulator
  /** A key with every API key right. */
  admin: EmulatedKey
  /** A key whose role has no API key rights (it can still rotate its own secret). */
  deployer: EmulatedKey
  /** A key whose role may only view keys. */
  auditor: EmulatedKey
  stop: () => Promise<void>
}

/**
 * Starts both emulators on loopback with the same small world every test, the demo and the
 * benchmark use: three roles, a few keys (two whose names differ only where `_` is a
 * wildcard), repositories octo/app (environments production and prod/eu), octo/api, octo/web,
 * and the organization octo. Every repository and the organization hold Actions, Dependabot and
 * Codespaces secrets, each type with its own key pair.
 */
export async function startSeededEmulators(): Promise<SeededEmulators> {
  const ws = new WorkloadSecurityEmulator()
  ws.addRole({ ...ROLES.fullAccess, apiKeyRights: FULL_RIGHTS })
  ws.addRole({ ...ROLES.auditor, apiKeyRights: { ...NO_RIGHTS, canViewApiKeys: true } })
  ws.addRole({ ...ROLES.deployer, apiKeyRights: NO_RIGHTS, canViewRoles: false })
  const admin = ws.addKey({
    keyName: 'ci-admin',
    roleID: ROLES.fullAccess.ID,
    description: 'rotates other keys'
  })
  const deployer = ws.addKey({ keyName: 'ci-deployer', roleID: ROLES.deployer.ID })
  const auditor = ws.addKey({
    keyName: 'nightly-auditor',
    roleID: ROLES.auditor.ID,
    expiryDate: Date.UTC(2030, 0, 1)
  })
  ws.addKey({ keyName: 'ci_key', roleID: ROLES.deployer.ID })
  ws.addKey({ keyName: 'ci-key', roleID: ROLES.deployer.ID })

  const github = await seededGitHub()
  await Promise.all([ws.start(), github.start()])
  return {
    ws,
    github,
    admin,
    deployer,
    auditor,
    stop: async () => {
      await Promise.all([ws.stop(), github.stop()])
    }
  }
}

/**
 * The seeded GitHub (not started): the two tokens, repositories octo/app (environments
 * production and prod/eu), octo/api, octo/web, and the organization octo.
 */
async function seededGitHub(): Promise<GitHubEmulator> {
  const github = await GitHubEmulator.create()
  github.addToken(WRITE_TOKEN, { write: true })
  github.addToken(READ_ONLY_TOKEN, { write: false })
  github.addRepository('octo/app', ['production', 'prod/eu'])
  github.addRepository('octo/api')
  github.addRepository('octo/web')
  github.addOrganization('octo')
  return github
}

export interface SeededVisionOneWorld extends SeededVisionOneKeys {
  v1: VisionOneEmulator
  github: GitHubEmulator
  stop: () => Promise<void>
}

/**
 * A seeded Vision One (the keys of `seedVisionOne`: `ci-key-manager` may manage keys, the pair
 * `deployer-a` / `deployer-b`, ...) beside the seeded GitHub, both on loopback, with `now`
 * (default Date.now) as the Vision One clock.
 */
export async function startSeededVisionOneWorld(
  options: { now?: () => number } = {}
): Promise<SeededVisionOneWorld> {
  const v1 = new VisionOneEmulator()
  if (options.now) v1.now = options.now
  const keys = seedVisionOne(v1)
  const github = await seededGitHub()
  await Promise.all([v1.start(), github.start()])
  return {
    v1,
    github,
    ...keys,
    stop: async () => {
      await Promise.all([v1.stop(), github.stop()])
    }
  }
}

export interface SeededCloudOneWorld extends SeededCloudOneKeys {
  c1: CloudOneEmulator
  github: GitHubEmulator
  stop: () => Promise<void>
}

/**
 * A seeded Cloud One (the roles and keys of `seedCloudOne`: `ci-admin` may manage keys, the pair
 * `deployer-a` / `deployer-b`, `deployer-a` limited to other networks, ...) beside the seeded
 * GitHub, both on loopback, with `now` (default Date.now) as the Cloud One clock.
 */
export async function startSeededCloudOneWorld(
  options: { now?: () => number } = {}
): Promise<SeededCloudOneWorld> {
  const c1 = new CloudOneEmulator()
  if (options.now) c1.now = options.now
  const keys = seedCloudOne(c1)
  const github = await seededGitHub()
  await Promise.all([c1.start(), github.start()])
  return {
    c1,
    github,
    ...keys,
    stop: async () => {
      await Promise.all([c1.stop(), github.stop()])
    }
  }
}
