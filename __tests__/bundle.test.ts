import { describe, expect, it } from '@jest/globals'
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { WRITE_TOKEN } from '../emulators/seed.js'
import { DIST_ENTRY } from '../scripts/run-action.js'
import { leaks, runBundled } from './support/action.js'
import { useEmulators } from './support/emulators.js'

// The committed bundle, run as a runner runs it: a child process with INPUT_* variables,
// GITHUB_OUTPUT and GITHUB_STEP_SUMMARY files. One run of each kind; behaviour files run the
// bundle too where a runner would meet a case first (their test names say "bundle").
const emulators = useEmulators()

describe('the committed bundle, dist/index.js', () => {
  it('describes a key', async () => {
    const { ws, admin, auditor } = emulators.current
    const run = await runBundled({
      operation: 'describe',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-name': 'nightly-auditor'
    })
    expect(run.failed).toBe(false)
    expect(run.outputs).toMatchObject({
      'key-id': String(auditor.ID),
      'key-name': 'nightly-auditor',
      active: 'true',
      changed: 'false'
    })
    expect(run.summary).toContain('<h2>Workload Security API key: describe</h2>')
    expect(run.log).toContain('::group::Lookup')
    expect(leaks(run, [admin.secret])).toEqual([])
  })

  it('locks and unlocks a key', async () => {
    const { ws, admin, deployer } = emulators.current
    const common = {
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-id': String(deployer.ID)
    }
    const lock = await runBundled({ ...common, operation: 'lock' })
    expect(lock.outputs).toMatchObject({ active: 'false', changed: 'true' })
    expect(ws.authenticates(deployer.secret)).toBe(false)
    const unlock = await runBundled({ ...common, operation: 'unlock' })
    expect(unlock.outputs).toMatchObject({ active: 'true', changed: 'true' })
    expect(ws.authenticates(deployer.secret)).toBe(true)
  })

  it('rotates the key it authenticates with into a repository secret, printing no secret', async () => {
    const { ws, github, deployer } = emulators.current
    const old = deployer.secret
    const run = await runBundled(
      {
        operation: 'rotate',
        'api-secret-key': old,
        'api-url': ws.url,
        'secret-name': 'WS_API_KEY',
        'github-token': WRITE_TOKEN
      },
      { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'octo/app' }
    )
    expect(run.failed).toBe(false)
    const fresh = ws.keys.get(deployer.ID)!.secret
    expect(fresh).not.toBe(old)
    expect(github.secret({ repository: 'octo/app' }, 'WS_API_KEY')?.value).toBe(fresh)
    expect(ws.authenticates(fresh)).toBe(true)
    expect(ws.authenticates(old)).toBe(false)
    expect(run.outputs).toMatchObject({ changed: 'true', 'secrets-updated': '1' })
    expect(run.log).toContain(`::add-mask::${fresh}`)
    expect(run.summary).toContain('repository octo/app')
    expect(leaks(run, [old, fresh, WRITE_TOKEN])).toEqual([])
  })

  it('rotates another key into an organization secret, keeping its visibility', async () => {
    const { ws, github, admin, deployer } = emulators.current
    github.seedSecret({ organization: 'octo' }, 'WS_DEPLOYER_KEY', {
      value: 'old',
      visibility: 'all'
    })
    const run = await runBundled(
      {
        operation: 'rotate',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-name': 'ci-deployer',
        'secret-name': 'WS_DEPLOYER_KEY',
        organization: 'octo',
        'github-token': WRITE_TOKEN
      },
      { GITHUB_API_URL: github.url }
    )
    expect(run.failed).toBe(false)
    const fresh = ws.keys.get(deployer.ID)!.secret
    expect(github.secret({ organization: 'octo' }, 'WS_DEPLOYER_KEY')).toMatchObject({
      value: fresh,
      visibility: 'all'
    })
    expect(
      github.secret({ organization: 'octo' }, 'WS_DEPLOYER_KEY_ROTATION_PROBE')
    ).toBeUndefined()
    expect(JSON.parse(run.outputs.result).destinations).toEqual([
      { destination: 'organization octo', status: 'updated' }
    ])
    expect(leaks(run, [admin.secret, fresh, WRITE_TOKEN])).toEqual([])
  })

  it('rejects bad input before any request, naming it', async () => {
    const { ws, admin } = emulators.current
    const run = await runBundled({
      operation: 'lock',
      'api-secret-key': admin.secret,
      'api-url': ws.url,
      'key-id': 'seven',
      'role-id': '2'
    })
    expect(run.failed).toBe(true)
    expect(run.log).toContain('key-id \\"seven\\" must be a numeric key ID'.replace(/\\"/g, '"'))
    expect(run.log).toContain('::warning::role-id does not apply to operation lock and is ignored')
    expect(ws.log).toHaveLength(0)
    expect(run.summary).toContain('Workload Security API key: invalid input')
    expect(run.summary).toContain('key-id &quot;seven&quot; must be a numeric key ID')
    expect(leaks(run, [admin.secret])).toEqual([])
  })

  it('succeeds with a warning where no job summary can be written', async () => {
    const { ws, admin } = emulators.current
    const run = await runBundled(
      {
        operation: 'describe',
        'api-secret-key': admin.secret,
        'api-url': ws.url,
        'key-id': 'current'
      },
      { GITHUB_STEP_SUMMARY: '' }
    )
    expect(run.failed).toBe(false)
    expect(run.log).toContain('::warning::No job summary was written')
    expect(run.outputs['key-id']).toBe(String(admin.ID))
  })

  it('runs from a copy of dist/ alone, as a runner with no node_modules does, and parses no undici', async () => {
    const { ws, github, deployer } = emulators.current
    const dist = DIST_ENTRY.replace(/index\.js$/, '')
    // Start-up parses index.js only; undici and @actions/exec are never in the bundle or load
    // in chunks of their own (patches/README.md).
    expect(statSync(DIST_ENTRY).size).toBeLessThan(400 * 1024)
    const chunks = readdirSync(dist).filter((f) => f.endsWith('.js'))
    const text = (file: string): string => readFileSync(join(dist, file), 'utf8')
    expect(chunks.filter((f) => text(f).includes('class ProxyAgent'))).toEqual([])
    expect(text('index.js')).not.toContain('class ToolRunner')
    const copy = mkdtempSync(join(tmpdir(), 'ws-dist-'))
    try {
      cpSync(dist, copy, { recursive: true })
      const run = await runBundled(
        {
          operation: 'rotate',
          'api-secret-key': deployer.secret,
          'api-url': ws.url,
          'secret-name': 'WS_API_KEY',
          'github-token': WRITE_TOKEN
        },
        { GITHUB_API_URL: github.url, GITHUB_REPOSITORY: 'octo/app' },
        join(copy, 'index.js')
      )
      expect(run.failed).toBe(false)
      expect(github.secret({ repository: 'octo/app' }, 'WS_API_KEY')?.value).toBe(
        ws.keys.get(deployer.ID)!.secret
      )
    } finally {
      rmSync(copy, { recursive: true, force: true })
    }
  })
})
