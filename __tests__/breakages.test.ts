/**
 * Guarantees of the README that no other in-process test pinned down: each test here fails
 * for one of the one-line breakages listed in docs/testing.md ("Breakages that must fail a
 * test"), and checks what the emulators saw, not how the code is written.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals'
import type { AddressInfo } from 'node:net'
import * as tls from 'node:tls'
import { WRITE_TOKEN } from '../emulators/seed.js'
import { timerDeadline } from '../src/clock.js'
import { runInProcess, type Inputs } from './support/action.js'
import { useEmulators } from './support/emulators.js'
import { selfSignedCertificate } from './support/tls.js'

const emulators = useEmulators()
const SECRET = 'WS_API_KEY'
/** Written to the run's log by the GitHub emulator when a real write of the new secret arrives. */
const WRITE_ARRIVED = '<<the first write of the new secret reached GitHub>>'

function rotateOther(extra: Inputs = {}): Inputs {
  const { admin, deployer, ws } = emulators.current
  return {
    operation: 'rotate',
    'api-secret-key': admin.secret,
    'api-url': ws.url,
    'key-id': String(deployer.ID),
    'secret-name': SECRET,
    'github-token': WRITE_TOKEN,
    ...extra
  }
}

const env = (): Record<string, string> => ({
  GITHUB_API_URL: emulators.current.github.url,
  GITHUB_REPOSITORY: 'octo/app'
})

describe('the replay block', () => {
  it('is in the log, for every destination, before the first write of the new secret reaches GitHub', async () => {
    const { github } = emulators.current
    const repositories = ['octo/app', 'octo/api', 'octo/web']
    let marked = false
    // The emulator runs in this process: when the first real write arrives, it marks the
    // log the run is writing at that moment. Everything above the mark was printed before.
    github.inject({
      method: 'PUT',
      path: new RegExp(`/actions/secrets/${SECRET}$`),
      times: repositories.length,
      when: () => {
        if (!marked) process.stdout.write(`${WRITE_ARRIVED}\n`)
        marked = true
        return false
      }
    })
    const run = await runInProcess(rotateOther({ repositories: repositories.join(',') }), env())
    expect(run.failed ? run.log : '').toBe('')
    const mark = run.log.indexOf(WRITE_ARRIVED)
    expect(mark).toBeGreaterThan(-1)
    const before = run.log.slice(0, mark)
    for (const repository of repositories) {
      expect(before).toContain(`Replay for repository ${repository}`)
      expect(before).toContain(`/repos/${repository}/actions/secrets/${SECRET}" \\`)
    }
  })
})

describe('a secret regeneration', () => {
  it('is waited for at least 120 s, whatever timeout-seconds says', async () => {
    const { ws, deployer } = emulators.current
    const deadlines: number[] = []
    // The run's clock sets each request's deadline: record the ones it asks for.
    const run = await runInProcess(rotateOther({ 'timeout-seconds': '1' }), env(), {
      deadline: (ms) => {
        deadlines.push(ms)
        return timerDeadline(Math.min(ms, 2000))
      }
    })
    expect(run.failed ? run.log : '').toBe('')
    expect(ws.requests('POST', `/apikeys/${deployer.ID}/secretkey`)).toHaveLength(1)
    // Every other request keeps timeout-seconds; one deadline (the regeneration's) is 120 s.
    expect(deadlines.filter((ms) => ms !== 1000)).toEqual([120_000])
  })
})

describe('a manager whose certificate is not trusted', () => {
  let server: tls.Server
  let connections = 0

  beforeAll(async () => {
    // A self-signed TLS server that only counts the connections made to it.
    server = tls.createServer(selfSignedCertificate('localhost'))
    server.on('connection', () => connections++)
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  })

  afterAll(async () => {
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  it('is tried once, never retried, and the run says what to set', async () => {
    connections = 0
    const { port } = server.address() as AddressInfo
    const run = await runInProcess(
      {
        operation: 'describe',
        'api-secret-key': 'self-signed-test-secret',
        'api-url': `https://localhost:${port}/api`,
        'key-id': 'current',
        'max-attempts': '5'
      },
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/not trusted; .*set ca-certificate/)
    expect(run.log).not.toMatch(/retrying in/)
    expect(connections).toBe(1)
  })
})
