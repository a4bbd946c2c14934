/*
 * platform vision-one: list paging driven by a hostile server (nextLink, page sizes, the list's
 * total size) and two rotations of one key that overlap. From an adversarial review.
 */
import { describe, expect, it } from '@jest/globals'
import { randomUUID } from 'node:crypto'
import * as http from 'node:http'
import type { AddressInfo } from 'node:net'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import type { VisionOneKey } from '../../emulators/vision-one.js'
import { inputEnv, runnerFiles } from '../../scripts/run-action.js'
import { timerDeadline } from '../../src/clock.js'
import { runInProcess, testClock, type Inputs } from '../support/action.js'
import { useVisionOne, visionOneEnv, visionOneInputs } from '../support/emulators.js'

const world = useVisionOne()
const LIST = '/v3.0/iam/apiKeys'

function op(operation: string, extra: Inputs = {}): Inputs {
  return visionOneInputs(world.current, operation, extra)
}

function env(): Record<string, string> {
  return visionOneEnv(world.current)
}

/** A loopback server that records every request it gets (a host the token must never reach). */
async function bystander(): Promise<{
  url: string
  hits: http.IncomingHttpHeaders[]
  stop: () => Promise<void>
}> {
  const hits: http.IncomingHttpHeaders[] = []
  const server = http.createServer((req, res) => {
    hits.push(req.headers)
    res.writeHead(200, { 'content-type': 'application/json' })
    res.end(JSON.stringify({ items: [], count: 0, totalCount: 0 }))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    hits,
    stop: () => new Promise<void>((resolve) => server.close(() => resolve()))
  }
}

describe('nextLink from a hostile server', () => {
  it.each([
    ['another port', (_v1: string, other: string) => `${other}${LIST}?skipToken=a`],
    [
      'another host name for the same address',
      (v1: string) => `${v1.replace('127.0.0.1', 'localhost')}${LIST}?skipToken=a`
    ],
    [
      'protocol-relative',
      (_v1: string, other: string) => `${other.replace('http:', '')}${LIST}?skipToken=a`
    ],
    ['another path', (v1: string) => `${v1}/v3.0/iam/apiKeys/delete?skipToken=a`],
    [
      'a path that only decodes to the list',
      (v1: string) => `${v1}/v3.0/iam/apiKey%73?skipToken=a`
    ],
    [
      'https instead of http',
      (v1: string) => `${v1.replace('http:', 'https:')}${LIST}?skipToken=a`
    ],
    ['a scheme that is not http', (v1: string) => `javascript:${v1}${LIST}`]
  ])('a nextLink to %s is refused and the token goes nowhere else', async (_what, link) => {
    const { v1 } = world.current
    const other = await bystander()
    try {
      v1.inject({
        method: 'GET',
        path: LIST,
        body: { totalCount: 0, count: 0, items: [], nextLink: link(v1.url, other.url) }
      })
      const run = await runInProcess(op('audit'), env())
      expect(run.failed).toBe(true)
      expect(run.log).toMatch(/nextLink that does not lead to/)
      expect(other.hits).toEqual([])
      expect(v1.requests('GET', '/v3.0/iam/apiKeys/delete')).toEqual([])
      expect(v1.requests('GET', LIST)).toHaveLength(1)
    } finally {
      await other.stop()
    }
  })

  it('credentials in a nextLink are dropped, and the same list is asked with the same token', async () => {
    const { v1, admin } = world.current
    v1.inject({
      method: 'GET',
      path: LIST,
      body: {
        totalCount: 0,
        count: 0,
        items: [],
        nextLink: `${v1.url.replace('http://', 'http://mallory:pw@')}${LIST}?top=200&orderBy=createdDateTime%20asc`
      }
    })
    const run = await runInProcess(op('audit'), env())
    expect(run.failed ? run.log : '').toBe('')
    const pages = v1.requests('GET', LIST)
    expect(pages).toHaveLength(2)
    expect(pages[1].headers.authorization).toBe(`Bearer ${admin.secret}`)
  })

  it('a nextLink that points back to the first page stops the listing (no key counted twice)', async () => {
    const { v1 } = world.current
    const first = `${v1.url}${LIST}?top=200&orderBy=createdDateTime%20asc`
    v1.inject({
      method: 'GET',
      path: LIST,
      times: 5,
      bodyFor: () => ({
        totalCount: 1,
        count: 1,
        items: [{ id: randomUUID(), name: 'echo', status: 'enabled', role: 'SIEM' }],
        nextLink: first
      })
    })
    const run = await runInProcess(op('audit'), env())
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(/a nextLink it gave before/)
  })

  it('the whole list a server can make the action read is bounded like any other answer (not 1,000 pages of 32 MiB)', async () => {
    const { v1 } = world.current
    // Pages of about 1.2 MiB (each larger than the 1 MiB cap of any other answer), each with
    // thousands of items although top=200 was asked, each with a fresh nextLink; the server
    // gives up after 40 pages (48 MiB).
    const PAGES = 40
    let served = 0
    let bytes = 0
    const name = (i: number, n: number): string => `k${n}-${i}`
    v1.inject({
      method: 'GET',
      path: LIST,
      times: PAGES,
      bodyFor: () => {
        served++
        const items = Array.from({ length: 11_000 }, (_v, i) => ({
          id: randomUUID(),
          name: name(i, served),
          status: 'enabled',
          role: 'SIEM'
        }))
        const page = {
          totalCount: items.length * PAGES,
          count: items.length,
          items,
          ...(served < PAGES && { nextLink: `${v1.url}${LIST}?skipToken=${served}` })
        }
        bytes += JSON.stringify(page).length
        return page
      }
    })
    const run = await runInProcess(op('describe', { 'key-name': 'deployer-a' }), env())
    // The list of every key is capped at 32 MiB elsewhere (MAX_LIST_BYTES, one answer): a run
    // that read more than that, or took pages far beyond the size it asked for, was not bounded.
    expect(served).toBeGreaterThan(1)
    expect(bytes).toBeLessThanOrEqual(32 * 1024 * 1024 + 2 * 1024 * 1024)
    expect(run.failed).toBe(true)
  }, 120_000)
})

describe('two rotations of one key at the same time', () => {
  it('a second rotation that starts while the first one writes never leaves the destinations with a deleted key, nor two green runs', async () => {
    const { v1, github, deployerA } = world.current
    const SECRET = 'V1_TOKEN'
    const REPOS = ['octo/app', 'octo/api']
    for (const repository of REPOS)
      github.seedSecret({ repository }, SECRET, { value: deployerA.secret })
    const inputs = (): Inputs => ({
      operation: 'rotate',
      platform: 'vision-one',
      'api-secret-key': world.current.admin.secret,
      'api-url': v1.url,
      'key-name': 'deployer-a',
      'secret-name': SECRET,
      'github-token': WRITE_TOKEN,
      repositories: REPOS.join(',')
    })
    // Run A's real writes are slow (GitHub takes 3 s to answer them).
    github.inject({
      method: 'PUT',
      path: new RegExp(`/actions/secrets/${SECRET}$`),
      delayMs: 3000,
      times: REPOS.length
    })
    let aWriting!: () => void
    const aIsWriting = new Promise<void>((resolve) => (aWriting = resolve))
    github.onArrival = (request) => {
      if (request.method === 'PUT' && request.path.endsWith(`/secrets/${SECRET}`)) aWriting()
    }

    const { run } = await import('../../src/main.js')
    const files = runnerFiles()
    const saved = { ...process.env }
    let log = ''
    const write = process.stdout.write.bind(process.stdout)
    process.stdout.write = ((chunk: string | Uint8Array) => {
      log += chunk.toString()
      return true
    }) as typeof process.stdout.write
    const start = (offsetMs: number, deadlineMs: number): Promise<void> => {
      for (const key of Object.keys(process.env))
        if (key.startsWith('INPUT_')) delete process.env[key]
      Object.assign(process.env, {
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        ...env(),
        ...inputEnv(inputs())
      })
      // run() reads every input before its first await.
      return run({
        ...testClock,
        now: () => Date.now() + offsetMs,
        deadline: (ms) => timerDeadline(Math.min(ms, deadlineMs))
      })
    }
    let aKey: VisionOneKey | undefined
    try {
      process.exitCode = undefined
      const a = start(0, 10_000)
      await aIsWriting
      aKey = [...v1.keys.values()].find((k) => k.name.startsWith('deployer-a-next-'))
      const b = start(2_000, 2_000)
      await Promise.all([a, b])
    } finally {
      process.stdout.write = write
      process.env = saved
    }
    const failedRuns = (log.match(/^::error::/gm) ?? []).length
    process.exitCode = undefined

    expect(aKey).toBeDefined()
    // The second run is stopped in preflight by the first run's probe secret (the lease).
    expect(log).toMatch(/another run seems to be delivering V1_TOKEN/)
    const states = REPOS.map((repository) => {
      const token = github.secret({ repository }, SECRET)?.value ?? ''
      return [repository, v1.tokenState(token)]
    })
    // Whatever the two runs did, every destination must end with a working token, or a run
    // must have failed saying so.
    const dead = states.filter(([, state]) => state !== 'valid')
    expect({ dead, failedRuns }).not.toEqual({
      dead: expect.arrayContaining([expect.anything()]),
      failedRuns: 0
    })
    expect(dead).toEqual([])
  }, 60_000)
})

describe('a rotation that slipped past the probe', () => {
  it('a key of another rotation of the same name appears while this one writes: it stops before deleting anything', async () => {
    const { v1, github, deployerA } = world.current
    const SECRET = 'V1_TOKEN'
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: deployerA.secret })
    let theirs: VisionOneKey | undefined
    github.onArrival = (request) => {
      if (theirs || request.method !== 'PUT' || !request.path.endsWith(`/secrets/${SECRET}`)) return
      // Another run, a second later, creates its own -next- key.
      const stamp = new Date(Date.now() + 1000).toISOString().replace(/\D/g, '').slice(0, 14)
      theirs = v1.addKey({
        name: `deployer-a-next-${stamp}`,
        role: deployerA.role,
        createdDateTime: Date.now() + 1000
      })
    }
    const run = await runInProcess(
      op('rotate', {
        'key-name': 'deployer-a',
        'secret-name': SECRET,
        'github-token': WRITE_TOKEN,
        repositories: 'octo/app'
      }),
      env()
    )
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(
      new RegExp(
        `::error::done: Another rotation of "deployer-a" seems to run at the same time: key ${theirs!.id}`
      )
    )
    expect(v1.keys.has(deployerA.id)).toBe(true)
    expect(v1.tokenState(github.secret({ repository: 'octo/app' }, SECRET)!.value!)).toBe('valid')
    expect(v1.requests('POST', '/v3.0/iam/apiKeys/delete')).toEqual([])
  })
})
