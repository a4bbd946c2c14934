import { afterEach, beforeAll, beforeEach, expect } from '@jest/globals'
import { startSeededEmulators, type SeededEmulators } from '../../emulators/seed.js'
import { contractViolations, githubContractViolations, loadContracts } from './contract.js'

/**
 * Fresh seeded emulators for every test of the calling file. After each test, every
 * exchange with the Workload Security emulator must have matched Trend Micro's OpenAPI
 * description, and every exchange with the GitHub emulator GitHub's.
 */
export function useEmulators(): { readonly current: SeededEmulators } {
  const holder = {} as { current: SeededEmulators }
  let checks: Promise<string[]>[] = []
  beforeAll(loadContracts)
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
