/*
 * The words of a failure name the likely cause: a rejected secret may have been replaced by an
 * earlier rotation; a locked key's 403 says locked, not a missing right; a missing right links
 * the page that lists them; a failure of several lines stays several paragraphs in the summary.
 */
import { describe, expect, it } from '@jest/globals'
import { WRITE_TOKEN } from '../../emulators/seed.js'
import { valueOf } from '../../emulators/cloud-one.js'
import { runInProcess } from '../support/action.js'
import {
  cloudOneEnv,
  cloudOneInputs,
  useCloudOne,
  useEmulators,
  useVisionOne,
  visionOneEnv,
  visionOneInputs
} from '../support/emulators.js'
import { identity } from '../../scripts/readme-tables.js'

const errors = (log: string): string[] => log.split('\n').filter((l) => l.startsWith('::error::'))
const ROTATED_AWAY = /expired, locked, or replaced by an earlier rotation/

describe('Workload Security', () => {
  const emulators = useEmulators()
  const env = (): Record<string, string> => ({
    GITHUB_API_URL: emulators.current.github.url,
    GITHUB_REPOSITORY: 'octo/app'
  })

  it('a secret rotated away by an earlier run: 401 says it may have been replaced by an earlier rotation', async () => {
    const { ws, deployer } = emulators.current
    const old = deployer.secret
    const rotated = await runInProcess(
      {
        operation: 'rotate',
        'api-secret-key': old,
        'api-url': ws.url,
        'secret-name': 'OTHER_SECRET',
        'github-token': WRITE_TOKEN
      },
      env()
    )
    expect(rotated.failed ? rotated.log : '').toBe('')
    const run = await runInProcess(
      { operation: 'describe', 'api-secret-key': old, 'api-url': ws.url, 'key-id': 'current' },
      env()
    )
    expect(errors(run.log)).toEqual([expect.stringMatching(/answered HTTP 401/)])
    expect(errors(run.log)[0]).toMatch(ROTATED_AWAY)
  })

  it("a locked key's 403 says it is locked, not that its role lacks a right", async () => {
    const { ws, admin } = emulators.current
    ws.keys.get(admin.ID)!.active = false
    const run = await runInProcess(
      {
        operation: 'describe',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-name': 'ci-deployer'
      },
      env()
    )
    expect(errors(run.log)).toEqual([expect.stringMatching(/answered HTTP 403/)])
    expect(errors(run.log)[0]).toMatch(/is locked: unlock it with another admin key/)
    expect(errors(run.log)[0]).not.toMatch(/role lacks/)
  })

  it('a missing role right links the page that lists the rights (a link, not a bare path)', async () => {
    const { ws, deployer } = emulators.current
    const run = await runInProcess(
      {
        operation: 'describe',
        'api-secret-key': deployer.secret,
        'api-url': ws.url,
        'key-name': 'ci-admin'
      },
      env()
    )
    expect(errors(run.log)).toEqual([expect.stringMatching(/answered HTTP 403/)])
    expect(errors(run.log)[0]).toContain(
      `role lacks the API key right this call needs (${identity().url}/blob/v1.0.0/docs/setup.md lists`
    )
    expect(errors(run.log)[0]).not.toMatch(/[( ]docs\/setup\.md/)
  })

  it('a failure of several lines is several paragraphs in the summary, the state word first', async () => {
    const { ws, admin } = emulators.current
    const run = await runInProcess(
      {
        operation: 'rotate',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-name': 'ci-deployer',
        'max-attempts': '99',
        'timeout-seconds': '0'
      },
      env()
    )
    expect(run.failed).toBe(true)
    expect(errors(run.log)[0]).toMatch(
      /^::error::unchanged: Invalid inputs:%0A- max-attempts .*%0A- timeout-seconds /
    )
    // The summary: the state word and the first line, then the problems as one list, not one
    // paragraph with the line breaks folded into spaces.
    expect(run.summary).toMatch(/^\*\*unchanged:\*\* Invalid inputs:$/m)
    expect(run.summary).toMatch(
      /<ul><li>max-attempts &quot;99&quot; must be a whole number from 1 to 10<\/li><li>timeout-seconds &quot;0&quot; must be .*?<\/li><li>operation rotate needs secret-name/
    )
  })
})

describe('Vision One', () => {
  const world = useVisionOne()
  it('a rejected token may have been replaced by an earlier rotation', async () => {
    const run = await runInProcess(
      visionOneInputs(world.current, 'describe', {
        'api-secret-key': 'not-the-token-any-more',
        'key-name': 'deployer-a'
      }),
      visionOneEnv(world.current)
    )
    expect(errors(run.log)).toEqual([expect.stringMatching(/answered HTTP 401/)])
    expect(errors(run.log)[0]).toMatch(ROTATED_AWAY)
  })
})

describe('Cloud One', () => {
  const world = useCloudOne()
  it('a rejected key may have been replaced by an earlier rotation', async () => {
    const run = await runInProcess(
      cloudOneInputs(world.current, 'describe', {
        'api-secret-key': valueOf({ ...world.current.admin, secret: 'rotated-away' }),
        'key-name': 'deployer-a'
      }),
      cloudOneEnv(world.current)
    )
    expect(errors(run.log)).toEqual([expect.stringMatching(/answered HTTP 401/)])
    expect(errors(run.log)[0]).toMatch(/locked, deleted, or replaced by an earlier rotation/)
  })
})
