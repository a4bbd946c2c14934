/**
 * Cancellation of the committed bundle while a new secret is only partly stored: the runner
 * sends SIGINT (then SIGTERM). The run must end at once, say which destinations hold the new
 * secret, and have printed a sealed copy for every destination before the first write, so
 * that replaying the printed commands stores a secret that works.
 */
import { describe, expect, it } from '@jest/globals'
import { spawn } from 'node:child_process'
import { readFileSync, rmSync } from 'node:fs'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import {
  DIST_ENTRY,
  inputEnv,
  parseOutputFile,
  replayCommands,
  runnerFiles
} from '../../scripts/run-action.js'
import { leaks } from '../support/action.js'
import { useEmulators } from '../support/emulators.js'

const emulators = useEmulators()
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
      expect(cancelled).toContain(
        'Store it in every destination that does not hold it with the commands printed in the "Store and verify" group'
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
