import { afterEach, beforeAll, beforeEach, expect } from '@jest/globals'
import { valueOf } from '../../emulators/cloud-one.js'
import {
  startSeededCloudOneWorld,
  startSeededEmulators,
  startSeededVisionOneWorld,
  type SeededCloudOneWorld,
  type SeededEmulators,
  type SeededVisionOneWorld
} from '../../emulators/seed.js'
import { cloudOneContractViolations } from './cloud-one-contract.js'
import type { Inputs } from './action.js'
import { contractViolations, githubContractViolations, loadContracts } from './contract.js'
import { visionOneContractViolations } from './vision-one-contract.js'

/**
 * Fresh seeded emulators for every test of the calling file. After each test, every
 * exchange with the Workload Security emulator must have matched Trend Micro's OpenAPI
 * description, and every exchange with the GitHub emulator GitHub's.
 */
export function useEmulators(): { readonly current: SeededEmulators } {
  const holder = {} as { current: SeededEmulators }
  let checks: Promise<string[]>[] = []
  // Building the validators blocks the process for seconds: before the first test's requests.
  beforeAll(loadContracts, 60_000)
  beforeEach(async () => {
    holder.current = await startSeededEmulators()
    checks = []
    holder.current.ws.onExchange = (exchange) => checks.push(contractViolations(exchange))
    holder.current.github.onExchange = (exchange) => checks.push(githubContractViolations(exchange))
  })
  afterEach(async () => {
    await holder.current.stop()
    expect((await Promise.all(checks)).flat()).toEqual([])
  })
  return holder
}

/**
 * A fresh seeded Vision One and GitHub for every test of the calling file; after each test,
 * every exchange must have matched Trend's request and answer shapes, and GitHub's.
 */
export function useVisionOne(): { readonly current: SeededVisionOneWorld } {
  const holder = {} as { current: SeededVisionOneWorld }
  let checks: Promise<string[]>[] = []
  // Building the validators blocks the process for seconds: before the first test's requests.
  beforeAll(loadContracts, 60_000)
  beforeEach(async () => {
    holder.current = await startSeededVisionOneWorld()
    checks = []
    holder.current.v1.onExchange = (exchange) =>
      checks.push(Promise.resolve(visionOneContractViolations(exchange)))
    holder.current.github.onExchange = (exchange) => checks.push(githubContractViolations(exchange))
  })
  afterEach(async () => {
    await holder.current.stop()
    expect((await Promise.all(checks)).flat()).toEqual([])
  })
  return holder
}

/** The inputs of `operation` on platform vision-one, authenticated with the seeded admin key. */
export function visionOneInputs(
  world: SeededVisionOneWorld,
  operation: string,
  extra: Inputs = {}
): Inputs {
  return {
    operation,
    platform: 'vision-one',
    'api-secret-key': world.admin.secret,
    'api-url': world.v1.url,
    ...extra
  }
}

/** The runner's environment of a Vision One run: GitHub's emulator and the calling repository. */
export function visionOneEnv(world: SeededVisionOneWorld): Record<string, string> {
  return { GITHUB_API_URL: world.github.url, GITHUB_REPOSITORY: 'octo/app' }
}

/**
 * A fresh seeded Cloud One and GitHub for every test of the calling file; after each test, every
 * exchange must have matched the reference's request and answer shapes, and GitHub's.
 */
export function useCloudOne(): { readonly current: SeededCloudOneWorld } {
  const holder = {} as { current: SeededCloudOneWorld }
  let checks: Promise<string[]>[] = []
  beforeAll(loadContracts, 60_000)
  beforeEach(async () => {
    holder.current = await startSeededCloudOneWorld()
    checks = []
    holder.current.c1.onExchange = (exchange) =>
      checks.push(Promise.resolve(cloudOneContractViolations(exchange)))
    holder.current.github.onExchange = (exchange) => checks.push(githubContractViolations(exchange))
  })
  afterEach(async () => {
    await holder.current.stop()
    expect((await Promise.all(checks)).flat()).toEqual([])
  })
  return holder
}

/** The inputs of `operation` on platform cloud-one, authenticated with the seeded admin key. */
export function cloudOneInputs(
  world: SeededCloudOneWorld,
  operation: string,
  extra: Inputs = {}
): Inputs {
  return {
    operation,
    platform: 'cloud-one',
    'api-secret-key': valueOf(world.admin),
    'api-url': world.c1.url,
    ...extra
  }
}

/** The runner's environment of a Cloud One run: GitHub's emulator and the calling repository. */
export function cloudOneEnv(world: SeededCloudOneWorld): Record<string, string> {
  return { GITHUB_API_URL: world.github.url, GITHUB_REPOSITORY: 'octo/app' }
}

/** What the Workload Security emulator answered: its status and its JSON body ({} when empty). */
export interface EmulatorAnswer {
  status: number
  body: Record<string, unknown>
}

/** One exchange with the Workload Security emulator at `url`, as a legacy key sends it. */
export async function askWorkloadSecurity(
  url: string,
  method: string,
  path: string,
  secret: string,
  body?: unknown,
  signal?: AbortSignal
): Promise<EmulatorAnswer> {
  const res = await fetch(`${url}${path}`, {
    method,
    headers: {
      'api-version': 'v1',
      'api-secret-key': secret,
      accept: 'application/json',
      ...(body !== undefined && { 'content-type': 'application/json' })
    },
    body: body === undefined ? undefined : JSON.stringify(body),
    signal
  })
  const text = await res.text()
  return { status: res.status, body: text ? (JSON.parse(text) as Record<string, unknown>) : {} }
}
