/**
 * Cancellation of the committed bundle at any moment: the runner sends SIGINT, then SIGTERM 7.5 s
 * later, then SIGKILL 2.5 s after that. The first signal never kills the process: a request
 * that may issue a secret is waited for and its secret sealed and printed first, no change
 * starts after it, the probes are removed, and the run ends with `::error::`, a summary and
 * outputs saying what changed and who holds what. At SIGTERM every request still open is
 * abandoned and the run reports before the SIGKILL; a regeneration still open then is reported
 * as "outcome unknown". A run that finished before the signal reports what it did.
 */
import { describe, expect, it } from '@jest/globals'
import { execFileSync, spawn } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import type { EmulatorServer } from '../../emulators/server.js'
import {
  DIST_ENTRY,
  inputEnv,
  parseOutputFile,
  replayCommands,
  runnerFiles,
  startBundled,
  type BundledRun,
  type Inputs
} from '../../scripts/run-action.js'
import { Cancellation, CancelledError } from '../../src/cancellation.js'
import { leaks, runInProcess } from '../support/action.js'
import { checks, expectReported } from '../support/checks.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
const { expectNoLeak, githubWrites } = checks(emulators)
const SECRET = 'WS_KEY'
const REPOSITORIES = ['octo/app', 'octo/api', 'octo/web']

/** Polls `condition` every 20 ms until it holds, or fails after `ms`. */
async function until(condition: () => boolean, ms: number, what: string): Promise<void> {
  const deadline = performance.now() + ms
  while (!condition()) {
    if (performance.now() > deadline) throw new Error(`timed out waiting for ${what}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

describe('cancellation of the bundle while storing a new secret', () => {
  it('SIGINT then SIGTERM: exits at once, reports the holders, and the printed replays store a working secret', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    const issued = (): boolean => ws.keys.get(deployer.ID)!.secret !== old
    // The real writes (those after the regeneration) never answer.
    github.inject({
      method: 'PUT',
      path: new RegExp(`^/repos/octo/[a-z]+/actions/secrets/${SECRET}$`),
      when: issued,
      hang: true,
      times: REPOSITORIES.length
    })
    const files = runnerFiles()
    const child = spawn(process.execPath, [DIST_ENTRY], {
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        GITHUB_OUTPUT: files.output,
        GITHUB_STEP_SUMMARY: files.summary,
        RUNNER_TEMP: files.dir,
        GITHUB_API_URL: github.url,
        ...inputEnv({
          operation: 'rotate',
          'api-secret-key': old,
          'api-url': ws.url,
          'secret-name': SECRET,
          repositories: REPOSITORIES.join('\n'),
          'github-token': WRITE_TOKEN,
          'timeout-seconds': '60'
        })
      },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    let log = ''
    /** Real writes GitHub had answered when the replay block arrived (must be none). */
    let answeredWhenReplayArrived = -1
    const realWrites = (): typeof github.log =>
      github.log.filter((e) => e.method === 'PUT' && e.path.endsWith(`/${SECRET}`) && e.fault)
    child.stdout.on('data', (chunk: Buffer) => {
      log += chunk.toString()
      if (answeredWhenReplayArrived < 0 && log.includes('Sealed copies of the new secret'))
        answeredWhenReplayArrived = realWrites().filter((e) => e.status !== undefined).length
    })
    child.stderr.on('data', (chunk: Buffer) => (log += chunk.toString()))
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve))
    try {
      await until(() => log.includes('Sealed copies of the new secret'), 15_000, 'the replay')
      // Every real write is in flight (hanging) before the runner cancels.
      await until(() => realWrites().length === REPOSITORIES.length, 5_000, 'the writes')
      const cancelledAt = performance.now()
      child.kill('SIGINT')
      child.kill('SIGTERM')
      const code = await exited
      const exitMs = performance.now() - cancelledAt

      expect(code).not.toBe(0)
      expect(exitMs).toBeLessThan(3000)
      // The replay block came before any write was answered: the writes never were.
      expect(answeredWhenReplayArrived).toBe(0)
      expect(realWrites().every((e) => e.status === undefined)).toBe(true)
      const errors = log.split('\n').filter((l) => l.startsWith('::error::'))
      const cancelled = errors.find((l) => l.includes('Cancelled'))
      expect(cancelled).toBeDefined()
      expect(cancelled).toContain('Destinations holding the new secret: none.')
      for (const r of REPOSITORIES) expect(cancelled).toContain(`repository ${r}`)
      expect(cancelled).toMatch(/^::error::partial: /)
      expect(cancelled).toContain(
        `%0ATo recover, in order:%0A1. Replay the sealed copies for: ${REPOSITORIES.map((r) => `repository ${r}`).join('; ')}.`
      )

      // The replay commands, replayed, store a secret that authenticates as the key.
      const printed = replayCommands(log)
      expect(printed.map((p) => p.label).sort()).toEqual(
        REPOSITORIES.map((r) => `repository ${r}`).sort()
      )
      github.clearFaults()
      for (const { url, body } of printed) {
        expect(url.startsWith(github.url)).toBe(true)
        const answer = await fetch(url, {
          method: 'PUT',
          headers: {
            Authorization: `Bearer ${WRITE_TOKEN}`,
            Accept: 'application/vnd.github+json',
            'Content-Type': 'application/json'
          },
          body
        })
        expect([201, 204]).toContain(answer.status)
      }
      const fresh = ws.keys.get(deployer.ID)!.secret
      expect(fresh).not.toBe(old)
      for (const repository of REPOSITORIES)
        expect(github.secret({ repository }, SECRET)?.value).toBe(fresh)
      expect(ws.authenticates(fresh)).toBe(true)

      const run = {
        log,
        outputs: parseOutputFile(readFileSync(files.output, 'utf8')),
        summary: readFileSync(files.summary, 'utf8'),
        failed: true
      }
      expect(leaks(run, [old, fresh, WRITE_TOKEN])).toEqual([])
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL')
      await exited
      rmSync(files.dir, { recursive: true, force: true })
    }
  }, 30_000)
})

/** The inputs of a rotation of the deployer key by the admin key into `repositories`. */
function rotation(extra: Inputs = {}): Inputs {
  const { ws, admin, deployer } = emulators.current
  return {
    operation: 'rotate',
    'api-secret-key': admin.secret,
    'api-url': ws.url,
    'key-id': String(deployer.ID),
    'secret-name': SECRET,
    repositories: REPOSITORIES.join('\n'),
    'github-token': WRITE_TOKEN,
    ...extra
  }
}

function start(inputs: Inputs): BundledRun {
  return startBundled(inputs, { GITHUB_API_URL: emulators.current.github.url })
}

/** The real writes of the new secret (probes aside) that reached GitHub. */
function realWrites(): string[] {
  return githubWrites().filter((w) => w.startsWith('PUT') && w.endsWith(`/${SECRET}`))
}

function probesLeft(): string[] {
  return REPOSITORIES.filter(
    (repository) => emulators.current.github.secret({ repository }, PROBE) !== undefined
  )
}

const PROBE = `${SECRET}_ROTATION_PROBE`

describe('cancellation of the committed bundle at any moment', () => {
  it('SIGINT while a slow manager issues the secret: waited for, sealed and printed, nothing written, probes removed, the printed copies work', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    // The manager issues the secret at once and answers 1.5 s later.
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}/secretkey`, respondAfterMs: 1500 })
    const running = start(rotation())
    await running.waitFor('::group::Regenerate')
    await new Promise((resolve) => setTimeout(resolve, 100))
    const cancelledAt = performance.now()
    running.child.kill('SIGINT')
    const run = await running.done
    // It waited for the regeneration (not killed at once), then ended without the SIGTERM.
    expect(performance.now() - cancelledAt).toBeGreaterThan(1000)
    expect(run.failed).toBe(true)
    expectReported(run)
    const fresh = ws.keys.get(deployer.ID)!.secret
    expect(fresh).not.toBe(old)
    expect(realWrites()).toEqual([])
    expect(probesLeft()).toEqual([])
    const error = run.log.split('\n').filter((l) => l.startsWith('::error::'))
    expect(error).toHaveLength(1)
    expect(error[0]).toContain(`Cancelled (SIGINT) after the new secret of key ${deployer.ID}`)
    expect(error[0]).toContain('Destinations holding the new secret: none.')
    expect(error[0]).toContain('Not sent (the run was cancelled first): repository octo/app')
    expect(JSON.parse(run.outputs.result).destinations).toEqual(
      REPOSITORIES.map((r) =>
        expect.objectContaining({ destination: `repository ${r}`, status: 'skipped' })
      )
    )
    for (const { url, body } of replayCommands(run.log)) {
      const answer = await fetch(url, {
        method: 'PUT',
        headers: { Authorization: `Bearer ${WRITE_TOKEN}`, 'Content-Type': 'application/json' },
        body
      })
      expect([201, 204]).toContain(answer.status)
    }
    for (const repository of REPOSITORIES)
      expect(github.secret({ repository }, SECRET)?.value).toBe(fresh)
    expectNoLeak(run, old, fresh)
  }, 30_000)

  it('SIGTERM while the regeneration is still open: "outcome unknown" reported, before the SIGKILL', async () => {
    const { ws, deployer } = emulators.current
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}/secretkey`, hang: true })
    const running = start(rotation())
    await running.waitFor('::group::Regenerate')
    await new Promise((resolve) => setTimeout(resolve, 100))
    running.child.kill('SIGINT')
    await new Promise((resolve) => setTimeout(resolve, 300))
    const terminatedAt = performance.now()
    running.child.kill('SIGTERM')
    const run = await running.done
    expect(performance.now() - terminatedAt).toBeLessThan(2500)
    expect(running.child.signalCode).toBeNull()
    expect(run.failed).toBe(true)
    expectReported(run)
    expect(run.log).toMatch(
      /::error::unknown: Cancelled \(SIGINT\) while the manager was issuing a new secret for key \d+ "ci-deployer": outcome unknown: the key's secret may have been replaced/
    )
    expect(realWrites()).toEqual([])
    expect(probesLeft()).toEqual([])
  }, 30_000)

  it('SIGINT while the manager creates a key: the key is made, its secret sealed and printed, nothing written, then the key no destination holds is removed and its copies called void', async () => {
    const { ws, admin } = emulators.current
    ws.inject({ method: 'POST', path: '/apikeys', respondAfterMs: 1000 })
    const keysBefore = ws.keys.size
    const running = start({
      operation: 'create',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-name': 'ci-cancelled',
      'role-id': '3',
      'secret-name': SECRET,
      repositories: REPOSITORIES.join('\n'),
      'github-token': WRITE_TOKEN
    })
    await running.waitFor('::group::Create')
    await new Promise((resolve) => setTimeout(resolve, 100))
    running.child.kill('SIGINT')
    const run = await running.done
    expect(run.failed).toBe(true)
    expectReported(run)
    // The key was made (its secret sealed and printed), then deleted: nothing held it.
    expect(ws.requests('POST').filter((e) => e.path === '/apikeys')).toHaveLength(1)
    expect(replayCommands(run.log)).toHaveLength(REPOSITORIES.length)
    expect([...ws.keys.values()].find((k) => k.keyName === 'ci-cancelled')).toBeUndefined()
    expect(ws.keys.size).toBe(keysBefore)
    expect(realWrites()).toEqual([])
    expect(probesLeft()).toEqual([])
    const [error] = run.log.split('\n').filter((l) => l.startsWith('::error::'))
    expect(error).toMatch(
      /^::error::unchanged: Cancelled \(SIGINT\) after the new secret of key \d+ "ci-cancelled"/
    )
    expect(error).toContain('are void (do not replay them)')
    // The one step is a re-run: never a replay of the void copies.
    expect(error).toMatch(
      /%0ATo recover, in order:%0A1\. Re-run this workflow: re-running is safe [^%]*$/
    )
    expect(run.summary).toContain('Sealed copies of the new secret: void')

    expectNoLeak(run)
  }, 30_000)

  it('SIGINT during preflight: nothing changes, the run says so', async () => {
    const { ws, deployer } = emulators.current
    ws.inject({ method: 'GET', path: `/apikeys/${deployer.ID}`, delayMs: 800 })
    const running = start(rotation())
    await running.waitFor('::group::Preflight')
    await new Promise((resolve) => setTimeout(resolve, 200))
    running.child.kill('SIGINT')
    const run = await running.done
    expect(run.failed).toBe(true)
    expectReported(run)
    expect(run.log).toContain(
      '::error::unchanged: The run was cancelled (SIGINT) before it finished. Nothing had changed.'
    )
    expect(ws.keys.get(deployer.ID)!.secret).toBe(deployer.secret)
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(githubWrites().filter((w) => !w.includes(PROBE))).toEqual([])
    expect(probesLeft()).toEqual([])
  }, 30_000)

  it('a signal that comes once the work is done: the run reports what it did, and exits 0', async () => {
    const { ws, admin, deployer } = emulators.current
    // The job summary is a FIFO: writing it blocks until this test reads it, so the signal
    // surely arrives after the work and before the run ends.
    const dir = mkdtempSync(join(tmpdir(), 'cancel-after-'))
    const summary = join(dir, 'summary')
    execFileSync('mkfifo', [summary])
    const running = startBundled(
      {
        operation: 'lock',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': String(deployer.ID)
      },
      { GITHUB_STEP_SUMMARY: summary }
    )
    try {
      await running.waitFor('locked (active: false)')
      running.child.kill('SIGINT')
      await new Promise((resolve) => setTimeout(resolve, 200))
      const written = await readFile(summary, 'utf8')
      const run = await running.done
      expect(ws.keys.get(deployer.ID)!.active).toBe(false)
      expect(written).toContain('locked &#40;active: false&#41;')
      expect(run.log).not.toContain('::error::')
      expect(running.child.exitCode).toBe(0)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  }, 30_000)
})

describe('Cancellation', () => {
  it('the first SIGINT asks the run to stop; SIGTERM, or a second signal, is urgent', () => {
    const interrupted = new Cancellation()
    expect(() => interrupted.throwIfRequested()).not.toThrow()
    interrupted.receive('SIGINT')
    expect(interrupted.signal).toBe('SIGINT')
    expect(interrupted.requested.aborted).toBe(true)
    expect(interrupted.urgent.aborted).toBe(false)
    expect(() => interrupted.throwIfRequested()).toThrow(CancelledError)
    interrupted.receive('SIGTERM')
    expect(interrupted.signal).toBe('SIGINT')
    expect(interrupted.urgent.aborted).toBe(true)

    const terminated = new Cancellation()
    terminated.receive('SIGTERM')
    expect(terminated.requested.aborted).toBe(true)
    expect(terminated.urgent.aborted).toBe(true)

    const twice = new Cancellation()
    twice.receive('SIGINT')
    twice.receive('SIGINT')
    expect(twice.urgent.aborted).toBe(true)
  })
})

describe('cancellation in-process, at a chosen request', () => {
  /** A cancellation that receives `signals` as the first request matching `method path` arrives. */
  function cancelAt(
    emulator: EmulatorServer,
    method: string,
    path: RegExp,
    ...signals: string[]
  ): Cancellation {
    const cancellation = new Cancellation()
    emulator.onArrival = (request) => {
      if (request.method === method && path.test(request.path) && !cancellation.signal)
        for (const signal of signals) cancellation.receive(signal)
    }
    return cancellation
  }

  it('lock: SIGINT during the lookup changes nothing, and the report says so', async () => {
    const { ws, admin, deployer } = emulators.current
    const cancellation = cancelAt(ws, 'GET', /^\/apikeys\/\d+$/, 'SIGINT')
    const run = await runInProcess(
      {
        operation: 'lock',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': String(deployer.ID)
      },
      {},
      {},
      cancellation
    )
    expect(run.failed).toBe(true)
    expect(run.log).toContain(
      '::error::unchanged: The run was cancelled (SIGINT) before it finished. Nothing had changed.'
    )
    expect(ws.requests('POST', `/apikeys/${deployer.ID}`)).toHaveLength(0)
    expect(ws.keys.get(deployer.ID)!.active).toBe(true)
    expectReported(run)
  })

  it('rotate: SIGINT then SIGTERM while the regeneration hangs: outcome unknown, reported within a second', async () => {
    const { ws, deployer } = emulators.current
    ws.inject({ method: 'POST', path: `/apikeys/${deployer.ID}/secretkey`, hang: true })
    const cancellation = cancelAt(ws, 'POST', /secretkey$/, 'SIGINT', 'SIGTERM')
    const started = performance.now()
    const run = await runInProcess(
      rotation(),
      { GITHUB_API_URL: emulators.current.github.url },
      {},
      cancellation
    )
    expect(performance.now() - started).toBeLessThan(2500)
    expect(run.failed).toBe(true)
    expect(run.log).toContain("outcome unknown: the key's secret may have been replaced")
    expect(run.log).toMatch(/::error::unknown: /)
    expect(run.log).toContain(
      `%0ATo recover, in order:%0A1. Re-run this workflow: re-running is safe (it issues a fresh secret for key ${deployer.ID}`
    )
    expect(run.outputs.changed).toBe('unknown')
    expect(realWrites()).toEqual([])
    expect(probesLeft()).toEqual([])
    expectReported(run)
  })

  it('rotate: SIGTERM while GitHub hangs on the writes: the report names who holds what, within a second', async () => {
    const { github } = emulators.current
    github.inject({ method: 'PUT', path: new RegExp(`/${SECRET}$`), hang: true, times: 10 })
    const cancellation = cancelAt(github, 'PUT', new RegExp(`/${SECRET}$`), 'SIGTERM')
    const run = await runInProcess(rotation(), { GITHUB_API_URL: github.url }, {}, cancellation)
    expect(run.failed).toBe(true)
    expect(run.log).toMatch(
      /::error::partial: (The run was cancelled \(SIGTERM\) before it finished\. What changed before it stopped: issued a new secret|Cancelled \(SIGTERM\) after the new secret of key)/
    )
    expect(run.log).toContain('Destinations holding the new secret: none.')
    expect(run.log).toContain('Replay for repository octo/app')
    expect(JSON.parse(run.outputs.result).changed).toBe(true)
    expectReported(run)
  })

  it('alternate: SIGINT after the expiry update, before the regeneration: the expiry is put back', async () => {
    const { ws, github } = emulators.current
    const now = Date.now()
    const a = ws.addKey({
      ID: 7,
      keyName: 'deployer-a',
      roleID: 3,
      expiryDate: now + 5 * 86_400_000
    })
    const b = ws.addKey({
      ID: 8,
      keyName: 'deployer-b',
      roleID: 3,
      expiryDate: now + 20 * 86_400_000
    })
    const before = { expiry: a.expiryDate, secret: a.secret }
    github.seedSecret({ repository: 'octo/app' }, SECRET, { value: b.secret })
    const cancellation = cancelAt(ws, 'POST', /^\/apikeys\/7$/, 'SIGINT')
    const run = await runInProcess(
      rotation({
        strategy: 'alternate',
        'key-id': '7,8',
        'expiry-days': '60',
        repositories: 'octo/app'
      }),
      { GITHUB_API_URL: github.url },
      {},
      cancellation
    )
    expect(run.failed).toBe(true)
    expect(ws.requests('POST', /secretkey$/)).toHaveLength(0)
    expect(ws.keys.get(7)).toMatchObject({ expiryDate: before.expiry, secret: before.secret })
    expect(run.log).toContain("The idle key's expiry was put back")
    expectReported(run)
  })
})
