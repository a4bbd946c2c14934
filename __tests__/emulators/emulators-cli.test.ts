import { afterEach, describe, expect, it } from '@jest/globals'
import { spawn, type ChildProcess } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { FAULT_KINDS, FAULT_TARGETS, parseFault, usage } from '../../emulators/serve.js'
import { useEmulators } from '../support/emulators.js'

// Local runs that teach: the Workload Security emulator refuses a secret sent with the wrong
// auth scheme, as a real manager does, and `npm run emulators` starts from the seeded world
// every time, says in its connection file that the file's secrets go stale, and can start with
// a named fault.

const root = fileURLToPath(new URL('../../', import.meta.url))

describe('the Workload Security emulator, auth schemes', () => {
  const emulators = useEmulators()

  async function call(
    path: string,
    auth: Record<string, string>,
    method = 'GET'
  ): Promise<{ status: number; body: Record<string, unknown> }> {
    const response = await fetch(`${emulators.current.ws.url}${path}`, {
      method,
      headers: { 'api-version': 'v1', accept: 'application/json', ...auth }
    })
    const text = await response.text()
    return { status: response.status, body: text ? (JSON.parse(text) as never) : {} }
  }

  it('takes a legacy key in api-secret-key and refuses it in Authorization: ApiKey, naming the right header', async () => {
    const { deployer } = emulators.current
    const right = await call('/apikeys/current', { 'api-secret-key': deployer.secret })
    expect(right).toMatchObject({ status: 200, body: { ID: deployer.ID } })
    const wrong = await call('/apikeys/current', { authorization: `ApiKey ${deployer.secret}` })
    expect(wrong.status).toBe(401)
    expect(wrong.body.message).toMatch(/legacy API key.*api-secret-key header/)
  })

  it('takes a Cloud One key in Authorization: ApiKey and refuses it in api-secret-key, naming the right header', async () => {
    const { ws } = emulators.current
    const cloudOne = ws.addKey({ keyName: 'cloud-one-key', roleID: 1, kind: 'cloud-one' })
    const right = await call('/apikeys/current', { authorization: `ApiKey ${cloudOne.secret}` })
    expect(right).toMatchObject({ status: 200, body: { ID: cloudOne.ID } })
    const wrong = await call('/apikeys/current', { 'api-secret-key': cloudOne.secret })
    expect(wrong.status).toBe(401)
    expect(wrong.body.message).toMatch(/Cloud One API key.*Authorization: ApiKey/)
    // The kind is the emulator's bookkeeping, not a field of the API's ApiKey.
    expect(right.body).not.toHaveProperty('kind')
    // A new secret for a Cloud One key is a Cloud One secret too.
    const regenerated = await call(
      '/apikeys/current/secretkey',
      { authorization: `ApiKey ${cloudOne.secret}` },
      'POST'
    )
    const secret = String(regenerated.body.secretKey)
    expect((await call('/apikeys/current', { authorization: `ApiKey ${secret}` })).status).toBe(200)
    expect((await call('/apikeys/current', { 'api-secret-key': secret })).status).toBe(401)
  })

  it('answers a secret no key has the same in either header', async () => {
    const headers: Record<string, string>[] = [
      { 'api-secret-key': '9:nobody' },
      { authorization: 'ApiKey 9:nobody' }
    ]
    for (const auth of headers)
      expect(await call('/apikeys/current', auth)).toEqual({
        status: 401,
        body: { message: 'Invalid API key.' }
      })
  })
})

describe('named faults (npm run emulators -- --fault TARGET:KIND[:TIMES])', () => {
  it('aims a regeneration timeout at both regeneration paths: the manager acts, the answer comes too late', () => {
    const { emulator, fault } = parseFault('regenerate:timeout')
    expect(emulator).toBe('workload-security')
    expect(fault).toMatchObject({ method: 'POST', times: 1 })
    expect(fault.respondAfterMs).toBeGreaterThanOrEqual(10 * 60_000)
    expect(fault.status).toBeUndefined()
    const path = fault.path as RegExp
    expect(['/apikeys/2/secretkey', '/apikeys/current/secretkey'].map((p) => path.test(p))).toEqual(
      [true, true]
    )
    expect(['/apikeys/2', '/apikeys', '/apikeys/x/secretkey'].some((p) => path.test(p))).toBe(false)
  })

  it('tells a refusal (nothing done) from an error after acting, and counts TIMES', () => {
    expect(parseFault('github-write:status-422:3')).toMatchObject({
      emulator: 'github',
      fault: { method: 'PUT', status: 422, times: 3 }
    })
    expect(parseFault('github-write:status-422').fault.act).toBeUndefined()
    expect(parseFault('update:acted-500:always').fault).toMatchObject({
      method: 'POST',
      status: 500,
      act: true,
      times: Infinity
    })
    const write = parseFault('github-write:hang').fault.path as RegExp
    expect(write.test('/repos/octo/app/actions/secrets/API_KEY')).toBe(true)
    expect(write.test('/orgs/octo/dependabot/secrets/API_KEY')).toBe(true)
    expect(write.test('/repos/octo/app/actions/secrets/public-key')).toBe(false)
    const publicKey = parseFault('public-key:drop-before').fault
    expect(publicKey).toMatchObject({ method: 'GET', drop: 'before' })
    expect((publicKey.path as RegExp).test('/repos/octo/app/actions/secrets/public-key')).toBe(true)
  })

  it('maps every kind onto the emulator fault it names', () => {
    const fault = (kind: string): unknown => parseFault(`manager:${kind}`).fault
    expect(fault('hang')).toMatchObject({ hang: true })
    expect(fault('drop-before')).toMatchObject({ drop: 'before' })
    expect(fault('drop-after')).toMatchObject({ drop: 'after' })
    expect(fault('truncate')).toMatchObject({ truncate: true })
    expect(fault('malformed')).toMatchObject({
      act: true,
      status: 200,
      rawBody: expect.any(String)
    })
    expect(fault('slow')).toMatchObject({ delayMs: expect.any(Number) })
    expect(fault('status-429')).toEqual({ status: 429, times: 1 })
    expect(Object.keys(FAULT_KINDS).sort()).toEqual(
      ['drop-after', 'drop-before', 'hang', 'malformed', 'slow', 'timeout', 'truncate'].sort()
    )
  })

  it.each([
    ['regenerate', /TARGET:KIND/],
    ['nowhere:hang', /TARGET one of regenerate, create/],
    ['regenerate:explode', /unknown kind "explode".*status-NNN/],
    ['regenerate:status-200', /unknown kind "status-200"/],
    ['regenerate:status-5000', /unknown kind/],
    ['regenerate:hang:0', /TIMES must be a positive whole number or always/],
    ['regenerate:hang:twice', /TIMES/],
    ['regenerate:hang:1:2', /TARGET:KIND\[:TIMES\]/],
    ['constructor:hang', /TARGET one of/]
  ])('refuses %j, saying what is allowed', (spec, message) => {
    expect(() => parseFault(spec)).toThrow(message)
  })

  it('--help lists every target and every kind', () => {
    const help = usage()
    for (const name of [...Object.keys(FAULT_TARGETS), ...Object.keys(FAULT_KINDS)])
      expect(help).toMatch(new RegExp(`^  ${name} `, 'm'))
    expect(help).toMatch(/^ {2}status-NNN /m)
    expect(help).toMatch(/^ {2}acted-NNN /m)
    expect(help).toContain('--fault regenerate:timeout')
  })
})

describe('npm run emulators, as a process', () => {
  const children: ChildProcess[] = []
  const dirs: string[] = []
  afterEach(() => {
    for (const child of children.splice(0)) if (child.exitCode === null) child.kill('SIGKILL')
    for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
  })

  interface Started {
    child: ChildProcess
    exited: Promise<number | null>
    output: () => string
  }

  /** `emulators/serve.ts` in a node process of its own (tsx as a loader: no wrapper process). */
  function start(args: string[]): Started {
    const { NODE_OPTIONS: _omitted, ...env } = process.env
    const child = spawn(process.execPath, ['--import', 'tsx', 'emulators/serve.ts', ...args], {
      cwd: root,
      env,
      stdio: ['ignore', 'pipe', 'pipe']
    })
    children.push(child)
    let output = ''
    child.stdout?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    child.stderr?.on('data', (chunk: Buffer) => (output += chunk.toString()))
    const exited = new Promise<number | null>((resolve) =>
      child.on('exit', (code) => resolve(code))
    )
    return { child, exited, output: () => output }
  }

  function tempFile(): string {
    const dir = mkdtempSync(join(tmpdir(), 'emulators-cli-'))
    dirs.push(dir)
    return join(dir, 'emulators.json')
  }

  interface Connection {
    note: string
    pid: number
    faults: string[]
    apiUrl: string
    githubApiUrl: string
    adminSecret: string
    deployerSecret: string
    deployerKeyId: number
    githubToken: string
    visionOne: { apiUrl: string; adminSecret: string; keys: { id: string; name: string }[] }
    cloudOne: { apiUrl: string; adminSecret: string; keys: { id: string; alias: string }[] }
  }

  /**
   * The connection file once this process has written it: until then the path may still hold a
   * previous run's file, which its `pid` tells apart.
   */
  async function connection(file: string, started: Started): Promise<Connection> {
    const deadline = Date.now() + 20_000
    for (;;) {
      if (existsSync(file)) {
        const written = JSON.parse(readFileSync(file, 'utf8')) as Connection
        if (written.pid === started.child.pid) return written
      }
      if (started.child.exitCode !== null || Date.now() > deadline)
        throw new Error(`npm run emulators did not write ${file}:\n${started.output()}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  const manager = (c: Connection, path: string, auth: Record<string, string>, method = 'GET') =>
    fetch(`${c.apiUrl}${path}`, { method, headers: { 'api-version': 'v1', ...auth } })

  it('--help lists the fault vocabulary; a bad --fault stops before anything starts', async () => {
    const help = start(['--help'])
    expect(await help.exited).toBe(0)
    expect(help.output()).toContain('regenerate')
    expect(help.output()).toContain('drop-after')
    const file = tempFile()
    const bad = start([file, '--fault', 'regenerate:explode'])
    expect(await bad.exited).toBe(2)
    expect(bad.output()).toMatch(/unknown kind "explode"/)
    expect(existsSync(file)).toBe(false)
  })

  it('rewrites the connection file at start, fires each named fault, refuses the wrong auth scheme, and starts over on restart', async () => {
    const file = tempFile()
    writeFileSync(file, '{"pid": 1, "apiUrl": "http://127.0.0.1:1/api", "note": "a previous run"}')
    const first = start([file, '--fault', 'list:status-503', '--fault', 'public-key:status-502'])
    const c = await connection(file, first)
    expect(c.faults).toEqual(['list:status-503', 'public-key:status-502'])
    expect(c.note).toMatch(/stale/)
    expect(c.note).toMatch(/Restart npm run emulators/)

    const admin = { 'api-secret-key': c.adminSecret }
    expect((await manager(c, '/apikeys', admin)).status).toBe(503)
    expect((await manager(c, '/apikeys', admin)).status).toBe(200)
    const publicKey = (): Promise<Response> =>
      fetch(`${c.githubApiUrl}/repos/octo/app/actions/secrets/public-key`, {
        headers: { authorization: `Bearer ${c.githubToken}` }
      })
    expect((await publicKey()).status).toBe(502)
    expect((await publicKey()).status).toBe(200)
    expect(first.output()).toMatch(
      /Fault list:status-503: GET http:\/\/127\.0\.0\.1:\d+\/api\/apikeys/
    )

    const wrongScheme = await manager(c, '/apikeys/current', {
      authorization: `ApiKey ${c.deployerSecret}`
    })
    expect(wrongScheme.status).toBe(401)
    expect(await wrongScheme.text()).toMatch(/api-secret-key header/)

    // Change the world, then stop: the file goes with the emulators.
    const deleted = await manager(c, `/apikeys/${c.deployerKeyId}`, admin, 'DELETE')
    expect(deleted.status).toBe(200)
    first.child.kill('SIGTERM')
    expect(await first.exited).toBe(0)
    expect(existsSync(file)).toBe(false)

    // A restart is the seeded world again, with fresh secrets and no fault.
    const second = start([file])
    const again = await connection(file, second)
    expect(again.faults).toEqual([])
    expect(again.deployerSecret).not.toBe(c.deployerSecret)
    const described = await manager(again, `/apikeys/${again.deployerKeyId}`, {
      'api-secret-key': again.adminSecret
    })
    expect(described.status).toBe(200)
    expect((await manager(again, '/apikeys', { 'api-secret-key': again.adminSecret })).status).toBe(
      200
    )
    second.child.kill('SIGTERM')
    expect(await second.exited).toBe(0)
  })
  it('--expired and --locked start a seeded key so; the start message names each URL', async () => {
    const file = tempFile()
    const started = start([
      file,
      '--expired',
      'ci-deployer',
      '--locked',
      'nightly-auditor',
      '--locked',
      'cloud-one:deployer-a'
    ])
    const c = await connection(file, started)
    const expired = await manager(c, '/apikeys/current', { 'api-secret-key': c.deployerSecret })
    expect(expired.status).toBe(401)
    expect(await expired.text()).toMatch(/expired/)
    const auditor = (JSON.parse(readFileSync(file, 'utf8')) as { keyStates: unknown[] }).keyStates
    expect(auditor).toEqual([
      { platform: 'workload-security', name: 'ci-deployer', state: 'expired' },
      { platform: 'workload-security', name: 'nightly-auditor', state: 'locked' },
      { platform: 'cloud-one', name: 'deployer-a', state: 'locked' }
    ])
    // The admin key is neither: it still answers.
    expect((await manager(c, '/apikeys', { 'api-secret-key': c.adminSecret })).status).toBe(200)
    for (const [label, url] of [
      ['Workload Security', c.apiUrl],
      ['Vision One', c.visionOne.apiUrl],
      ['Cloud One', c.cloudOne.apiUrl],
      ['GitHub', c.githubApiUrl]
    ])
      expect(started.output()).toMatch(
        new RegExp(`^  ${label} +${url.replace(/[.]/g, '\\.')} `, 'm')
      )
    expect(started.output()).toContain('Key locked: deployer-a (cloud-one)')
    started.child.kill('SIGTERM')
    expect(await started.exited).toBe(0)

    const unknown = start([tempFile(), '--locked', 'no-such-key'])
    expect(await unknown.exited).toBe(2)
    expect(unknown.output()).toMatch(
      /--locked no-such-key: no such key; there are ci-admin, ci-deployer/
    )
    const never = start([tempFile(), '--expired', 'cloud-one:deployer-a'])
    expect(await never.exited).toBe(2)
    expect(never.output()).toMatch(/Cloud One account keys never expire/)
  })

  it('serves Vision One beside the others, with its own named faults', async () => {
    const file = tempFile()
    const started = start([file, '--fault', 'v1-read:status-429'])
    const c = await connection(file, started)
    const list = (): Promise<Response> =>
      fetch(`${c.visionOne.apiUrl}/v3.0/iam/apiKeys`, {
        headers: { authorization: `Bearer ${c.visionOne.adminSecret}` }
      })
    expect((await list()).status).toBe(429)
    const answer = await list()
    expect(answer.status).toBe(200)
    const names = ((await answer.json()) as { items: { name: string }[] }).items.map((k) => k.name)
    expect(names.sort()).toEqual(c.visionOne.keys.map((k) => k.name).sort())
    expect(started.output()).toMatch(
      /Fault v1-read:status-429: GET http:\/\/127\.0\.0\.1:\d+\/v3\.0\/iam\/apiKeys/
    )
    started.child.kill('SIGTERM')
    expect(await started.exited).toBe(0)
  })

  it('serves Cloud One beside the others, with its own named faults', async () => {
    const file = tempFile()
    const started = start([file, '--fault', 'c1-read:status-503'])
    const c = await connection(file, started)
    const list = (): Promise<Response> =>
      fetch(`${c.cloudOne.apiUrl}/apikeys`, {
        headers: { 'api-version': 'v1', authorization: `ApiKey ${c.cloudOne.adminSecret}` }
      })
    expect((await list()).status).toBe(503)
    const answer = await list()
    expect(answer.status).toBe(200)
    const aliases = ((await answer.json()) as { apikeys: { alias: string }[] }).apikeys.map(
      (k) => k.alias
    )
    expect(aliases.sort()).toEqual(c.cloudOne.keys.map((k) => k.alias).sort())
    expect(started.output()).toMatch(
      /Fault c1-read:status-503: GET http:\/\/127\.0\.0\.1:\d+\/api\/apikeys/
    )
    started.child.kill('SIGTERM')
    expect(await started.exited).toBe(0)
  })
})
